"""The one call at the end of a sync: the alerts on the synced entity are evaluated at once,
and an alert problem never fails the sync."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from core.alerts import run as alerts_run
from core.config import get_settings
from core.ledger.store import LedgerStore, open_ledger
from core.sources.runs import sync_run
from tests.core.alerts.conftest import ACME, acme_ledger, move_cash, rule


@pytest.fixture
def configured(data_dir: Path) -> LedgerStore:
    """The configured ledger (EXEC_DATA_DIR) with Acme; mail goes to its outbox."""
    return acme_ledger(open_ledger(get_settings().ledger_url))


def sent(data_dir: Path) -> list[str]:
    index = data_dir / "outbox" / "index.jsonl"
    return (
        [json.loads(x)["subject"] for x in index.read_text().splitlines()] if index.exists() else []
    )


def test_a_sync_that_crosses_sends_the_alert(configured: LedgerStore, data_dir: Path) -> None:
    rule(configured, get_settings(), threshold=500)
    rule(configured, get_settings(), entity="Other", threshold=5000)  # not this sync's entity
    with sync_run(configured, ACME, "stripe"):
        move_cash(configured, -800)
    assert sent(data_dir) == ["Alert: Cash is $200, below $500 (Acme <Boats> & Co)"]


def test_an_alert_problem_does_not_fail_the_sync(
    configured: LedgerStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(alerts_run, "run_alerts", broken)
    with caplog.at_level(logging.ERROR), sync_run(configured, ACME, "stripe") as run:
        run.message = "ok"
    assert "alerts after a change to Acme failed" in caplog.text
