"""`close status|lock|unlock` on the command line: JSON shape and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli import main
from core.config import get_settings
from core.ledger.store import NewEntry, open_ledger

BANK = "Assets:Bank:Checking"


def test_status_lock_and_unlock(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    store = open_ledger(get_settings().ledger_url)
    store.add_entity(id="A", name="Alpha")
    store.post(
        [NewEntry("A", date(2026, 10, 3), "MYSTERY", [(BANK, 100), ("Income:Uncategorized", -100)])]
    )
    assert (
        main(["close", "status", "--entity", "A", "--period", "2026-10", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"checks", "anomalies", "entities", "period"}
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    assert statuses["uncategorized"] == "fail"

    assert main(["close", "lock", "--entity", "A", "--period", "2026-10"]) == 2
    err = capsys.readouterr().err
    assert "2 checks fail" in err and "uncategorized: 1 uncategorized line" in err
    assert main(["close", "lock", "--entity", "A", "--period", "2026-10", "--force"]) == 2
    assert "--force needs --reason" in capsys.readouterr().err
    assert main(["close", "lock", "--entity", "A", "--period", "2026-13"]) == 2
    assert main(["close", "lock", "--entity", "Nope", "--period", "2026-10"]) == 2
    capsys.readouterr()
    args = ["close", "lock", "--entity", "A", "--period", "2026-10", "--force"]
    assert main([*args, "--reason", "bank statement late"]) == 0
    assert "locked A through 2026-10 (forced)" in capsys.readouterr().out

    capsys.readouterr()
    assert main(["close", "status", "--entity", "all", "--period", "2026-09"]) == 0
    assert "locked through 2026-10 by cli" in capsys.readouterr().out
    assert main(["close", "unlock", "--entity", "A", "--period", "2026-10", "--reason", "fix"]) == 0
    assert "unlocked A 2026-10" in capsys.readouterr().out


def test_a_posting_in_a_locked_month_exits_2_naming_the_lock(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_ledger(get_settings().ledger_url)
    store.add_entity(id="A", name="Alpha")
    assert main(["close", "lock", "--entity", "A", "--period", "2026-10"]) == 0
    csv = data_dir / "oct.csv"
    csv.write_text("Date,Description,Amount\n2026-09-12,COFFEE,-4.50\n")
    assert main(["import-csv", str(csv), "--entity", "A", "--account", BANK]) == 2
    err = capsys.readouterr().err
    assert "A 2026-09 is closed: A is locked through 2026-10 by cli on" in err
    assert store.line_count() == 0
