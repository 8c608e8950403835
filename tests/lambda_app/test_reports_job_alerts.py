"""The reports Lambda's alerts schedule (input ``{"job": "alerts"}``): `alerts run` once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.alerts.rules import add_rule
from core.auth.dashboard_users import OPERATOR
from core.config import get_settings
from core.ledger.store import LedgerStore, open_ledger
from lambda_app import reports_job
from tests.core.alerts.conftest import NOW, acme_ledger

TEMPLATE = Path(__file__).resolve().parents[2] / "lambda_app" / "template.yaml"


@pytest.fixture
def ledger(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> LedgerStore:
    for name in ("MAIL_BACKEND", "DATABASE_URL_SECRET_ARN", "OPS_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    store = acme_ledger(open_ledger(get_settings().ledger_url))
    add_rule(
        store,
        kpi="cfo.cash",
        entity="Acme",
        condition="below",
        threshold=5000,
        to=["boss@example.com"],
        actor=OPERATOR,
        settings=get_settings(),
        now=NOW,
    )
    return store


def test_the_alerts_job_sends_each_alert_once(ledger: LedgerStore, data_dir: Path) -> None:
    event = {"job": "alerts", "now": NOW.isoformat()}
    first = reports_job.handler(event, None)
    assert (first["evaluated"], first["sent"]) == (1, 1)
    assert json.loads(json.dumps(first)) == first
    again = reports_job.handler(event, None)
    assert (again["evaluated"], again["sent"]) == (1, 0)
    index = (data_dir / "outbox" / "index.jsonl").read_text().splitlines()
    assert len(index) == 1 and "Cash is $1,000, below $5,000" in index[0]
    # the send-due schedule (no "job") does not evaluate alerts
    assert reports_job.handler({"now": NOW.isoformat()}, None)["sent"] == 0


def test_the_template_schedules_the_alerts_job() -> None:
    text = TEMPLATE.read_text()
    block = text[text.index("        AlertsRun:") :][:400]
    assert "Schedule: !Ref AlertsSchedule" in block
    assert """Input: '{"job": "alerts"}'""" in block
