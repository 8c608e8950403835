"""AppTest: a page's "Download CSV" goes through the core writer, so a bank description that
is a formula arrives as text and amounts as numbers."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from core.config import get_settings
from core.ledger.store import open_ledger
from core.periods import month_add, month_of
from tests.conftest import BANK, entry
from tests.dashboard.conftest import sign_in

HOSTILE = '=HYPERLINK("http://evil.example/","Refund")'


def test_the_queue_download_neutralises_formulas(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    last_month = month_add(month_of(datetime.now(settings.tz).date()), -1)
    day = datetime(last_month // 100, last_month % 100, 3).date()
    store.post([entry("JADA", day, HOSTILE, (BANK, 12.5), ("Expenses:Uncategorized", -12.5))])
    downloads: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def spy(
        self: MemoryMediaFileStorage,
        data: object,
        mimetype: str,
        kind: object,
        filename: str | None = None,
    ) -> str:
        if filename and isinstance(data, bytes):
            downloads[filename] = data
        return keep(self, data, mimetype, kind, filename)  # type: ignore[arg-type]

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    at = sign_in("owner@example.com")
    at.switch_page("views/accounting.py").run()
    assert not at.exception, at.exception
    rows = list(csv.reader(io.StringIO(downloads["uncategorized.csv"].decode("utf-8-sig"))))
    [mine] = [r for r in rows if HOSTILE in r[2]]
    assert mine[2] == "'" + HOSTILE
    assert mine[-1] == "-12.5"
