"""Two `alerts run` at once send each alert once: threads on SQLite and PostgreSQL, and two
processes of the command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core.alerts.rules import rule_history
from core.alerts.run import AlertRunResult, run_alerts
from core.auth.dashboard_users import OPERATOR
from core.config import Settings
from core.ledger.store import LedgerStore
from tests.core.alerts.conftest import NOW, Recorder, acme_ledger, rule

ROOT = Path(__file__).resolve().parents[3]


def race(store: LedgerStore, settings: Settings) -> tuple[list[AlertRunResult], Recorder]:
    """Three crossed rules (two once, one every), two runs started together."""
    rule(store, settings, threshold=5000, to="a@example.com")
    rule(store, settings, condition="above", threshold=10, to="b@example.com")
    rule(store, settings, threshold=5000, every=True, to="c@example.com")
    mail = Recorder(delay=0.05)  # a slow send: the other run has time to try the same claim
    barrier = threading.Barrier(2)
    results: list[AlertRunResult] = []

    def run() -> None:
        barrier.wait()
        results.append(run_alerts(store, mail, settings, now=NOW))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, mail


def check_once_each(store: LedgerStore, results: list[AlertRunResult], mail: Recorder) -> None:
    assert len(results) == 2
    assert sorted(m.to[0] for m in mail.sent) == ["a@example.com", "b@example.com", "c@example.com"]
    assert sum(r.sent for r in results) == 3
    for rule_id in (1, 2, 3):
        assert [f.status for f in rule_history(store, rule_id, actor=OPERATOR)] == ["sent"]


def test_two_runs_at_once_send_once_on_sqlite(hand: LedgerStore, settings: Settings) -> None:
    results, mail = race(hand, settings)
    check_once_each(hand, results, mail)


def test_two_runs_at_once_send_once_on_postgresql(
    postgres_database: str, settings: Settings
) -> None:
    store = acme_ledger(LedgerStore(postgres_database))
    try:
        results, mail = race(store, settings)
        check_once_each(store, results, mail)
    finally:
        store.engine.dispose()


def test_two_command_line_runs_at_once_send_once(
    hand: LedgerStore, settings: Settings, tmp_path: Path
) -> None:
    rule(hand, settings, threshold=5000)
    env = {
        **os.environ,
        "EXEC_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "MAIL_BACKEND": "outbox",
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "core", "alerts", "run", "--now", NOW.isoformat()]
    runs = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE) for _ in "ab"]
    outputs = [p.communicate(timeout=120)[0].decode() for p in runs]
    assert all(p.returncode == 0 for p in runs), outputs
    index = (tmp_path / "outbox" / "index.jsonl").read_text().splitlines()
    assert len(index) == 1, outputs
    # each said what it did: one sent it; the other found it claimed or already fired
    assert sorted(int(re.search(r"evaluated 1, sent (\d)", o)[1]) for o in outputs) == [0, 1]


@pytest.fixture(autouse=True)
def _no_ambient_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
