"""The reports Lambda: one scheduled run sends each due subscription once, like `send-due`."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.auth.dashboard_users import OPERATOR
from core.config import get_settings
from core.delivery import senders
from core.delivery.message import Outgoing
from core.delivery.reports import add_subscription, delivery_log
from core.errors import Invalid, Unavailable
from core.ledger.store import LedgerStore, open_ledger
from lambda_app import reports_job
from tests.conftest import BANK, aws, entry

CREATED = datetime(2026, 11, 1, tzinfo=UTC)
MONDAY_8AM_LA = "2026-11-30T16:00:00+00:00"  # Mon 30 Nov, 08:00 PST: the 07:00 run is due


@pytest.fixture
def ledger(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> LedgerStore:
    """The ledger the handler will open (EXEC_DATA_DIR), with one entity and a weekly CFO
    subscription; mail goes to the outbox."""
    for name in ("MAIL_BACKEND", "DATABASE_URL_SECRET_ARN", "REPORT_BCC", "OPS_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    store = open_ledger(get_settings().ledger_url)
    store.add_entity(id="Acme", name="Acme Boats")
    store.post(
        [entry("Acme", date(2026, 11, 3), "charter", (BANK, 1200), ("Income:Charters", -1200))]
    )
    add_subscription(
        store,
        report="cfo",
        entity="Acme",
        to=["boss@example.com"],
        cron="0 7 * * MON",
        tz="America/Los_Angeles",
        actor=OPERATOR,
        now=CREATED,
    )
    return store


def outbox(data_dir: Path) -> list[dict[str, object]]:
    """What the outbox sender wrote."""
    index = data_dir / "outbox" / "index.jsonl"
    return [json.loads(x) for x in index.read_text().splitlines()] if index.exists() else []


def test_a_due_subscription_is_sent_once(ledger: LedgerStore, data_dir: Path) -> None:
    first = reports_job.handler({"now": MONDAY_8AM_LA}, None)
    assert first == {"sent": 1, "failed": 0, "skipped": 0, "refused": 0, "empty": 0}
    assert json.loads(json.dumps(first)) == first  # what Lambda returns must be JSON
    [mail] = outbox(data_dir)
    assert "boss@example.com" in json.dumps(mail)
    [log] = delivery_log(ledger, actor=OPERATOR)
    assert (log.status, log.period, log.report) == ("sent", "2026-11", "cfo")

    again = reports_job.handler({"now": MONDAY_8AM_LA}, None)
    assert again == {"sent": 0, "failed": 0, "skipped": 1, "refused": 0, "empty": 0}
    assert len(outbox(data_dir)) == 1
    assert len(delivery_log(ledger, actor=OPERATOR)) == 1


def test_nothing_is_due_before_the_first_occurrence(ledger: LedgerStore, data_dir: Path) -> None:
    # an EventBridge scheduled event carries no "now": the handler uses the real clock, and
    # with --now semantics a Sunday before the first Monday 07:00 sends nothing
    assert reports_job.handler({"now": "2026-11-01T12:00:00+00:00"}, None) == {
        "sent": 0,
        "failed": 0,
        "skipped": 0,
        "refused": 0,
        "empty": 0,
    }
    assert outbox(data_dir) == []


def test_a_failed_send_raises_so_the_errors_alarm_fires(
    ledger: LedgerStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = senders.make_sender

    class Refusing(senders.OutboxSender):
        def send(self, msg: Outgoing) -> list[str]:
            raise Unavailable("SES refused the message: MessageRejected")

    monkeypatch.setattr(senders, "make_sender", lambda s, **_: Refusing(s.outbox_dir))
    with pytest.raises(reports_job.SendDueFailed, match="'failed': 1"):
        reports_job.handler({"now": MONDAY_8AM_LA}, None)
    [log] = delivery_log(ledger, actor=OPERATOR)
    assert log.status == "failed" and "MessageRejected" in (log.error or "")
    assert outbox(data_dir) == []

    monkeypatch.setattr(senders, "make_sender", real)  # the next run retries and sends it
    assert reports_job.handler({"now": MONDAY_8AM_LA}, None) == {
        "sent": 1,
        "failed": 0,
        "skipped": 0,
        "refused": 0,
        "empty": 0,
    }
    assert len(outbox(data_dir)) == 1


def test_a_bad_now_is_refused(ledger: LedgerStore) -> None:
    with pytest.raises(Invalid, match="UTC offset"):
        reports_job.handler({"now": "2026-11-30T16:00:00"}, None)


def test_database_url_is_read_from_its_secret(
    data_dir: Path, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{data_dir}/from-secret.db"
    arn = aws("secretsmanager", moto_endpoint).create_secret(
        Name=f"ledger-url-{data_dir.name}", SecretString=url + "\n"
    )["ARN"]
    for name, value in {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "DATABASE_URL_SECRET_ARN": arn,
    }.items():
        monkeypatch.setenv(name, value)
    # empty counts as unset; set through monkeypatch so what the loader writes is undone
    monkeypatch.setenv("DATABASE_URL", "")
    get_settings()  # cached before the secret is read: the loader must clear it
    reports_job._load_database_url()
    assert get_settings().ledger_url == url


def test_an_explicit_database_url_wins_over_the_secret(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = f"sqlite:///{data_dir}/explicit.db"
    monkeypatch.setenv("DATABASE_URL_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:x")
    monkeypatch.setenv("DATABASE_URL", explicit)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # any AWS call would fail
    reports_job._load_database_url()
    assert os.environ["DATABASE_URL"] == explicit


def test_each_run_logs_one_line_and_counts_sent_failed_skipped(
    ledger: LedgerStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.lambda_app.test_telemetry import logs, metrics

    class Refusing(senders.OutboxSender):
        def send(self, msg: Outgoing) -> list[str]:
            raise Unavailable("SES refused the message: MessageRejected")

    real = senders.make_sender
    monkeypatch.setattr(senders, "make_sender", lambda s, **_: Refusing(s.outbox_dir))
    capsys.readouterr()
    with pytest.raises(reports_job.SendDueFailed):
        reports_job.handler({"now": MONDAY_8AM_LA}, None)
    monkeypatch.setattr(senders, "make_sender", real)
    reports_job.handler({"now": MONDAY_8AM_LA}, None)
    reports_job.handler({"now": MONDAY_8AM_LA}, None)
    out = capsys.readouterr().out
    runs = [x for x in logs(out) if x["message"] == "send-due run"]
    assert [(r["sent"], r["failed"], r["skipped"]) for r in runs] == [
        (0, 1, 0),
        (1, 0, 0),
        (0, 0, 1),
    ]
    assert all(r["service"] == "reports" and r["duration_ms"] >= 0 for r in runs)
    assert "boss@example.com" not in out  # recipients are masked where they appear
    counted = metrics(out, service="reports")
    assert counted == {
        "SubscriptionRuns": 3,
        "ReportsFailed": 1,  # the alarm's metric (template.yaml ReportsFailedSendsAlarm)
        "ReportsSent": 1,
        "ReportsSkipped": 1,
    }
