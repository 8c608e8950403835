"""Subscriptions: validation, due occurrences, send-due once (also twice at once), scopes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope, add_user, get_user
from core.config import Settings
from core.delivery.reports import (
    add_subscription,
    delivery_log,
    last_due,
    list_subscriptions,
    remove_subscription,
    report_period,
    send_due,
    send_report,
)
from core.delivery.senders import OutboxSender
from core.errors import Forbidden, Invalid, NotFound
from core.ledger.store import LedgerStore
from core.reports.request import ReportRequest

CREATED = datetime(2026, 11, 1, tzinfo=UTC)
MONDAY_8AM_LA = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # Mon 30 Nov, 08:00 PST


def scoped_cfo(store: LedgerStore, email: str = "dump@example.com") -> UserScope:
    """A CFO limited to QuickDumpNow, as the dashboard passes them."""
    add_user(store, email=email, role="cfo", password="x" * 12, entities="QuickDumpNow")
    return get_user(store, email)


def weekly(store: LedgerStore, entity: str = "all", to: str = "boss@example.com") -> int:
    sub = add_subscription(
        store,
        report="cfo",
        entity=entity,
        to=[to],
        cron="0 7 * * MON",
        tz="America/Los_Angeles",
        actor=OPERATOR,
        now=CREATED,
    )
    assert sub.id is not None
    return sub.id


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cron": "0 7 * *"}, "five fields"),
        ({"cron": "61 7 * * MON"}, "not a cron expression"),
        ({"tz": "Mars/Olympus"}, "not a time zone"),
        ({"report": "bogus"}, "unknown report"),
        ({"to": ["nope"]}, "bad recipient"),
    ],
)
def test_bad_subscriptions_are_refused(
    ledger: LedgerStore, kwargs: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {
        "report": "cfo",
        "entity": "all",
        "to": ["a@example.com"],
        "cron": "0 7 * * MON",
        "tz": "America/Los_Angeles",
        "actor": OPERATOR,
    }
    with pytest.raises(Invalid, match=message):
        add_subscription(ledger, **{**args, **kwargs})  # type: ignore[arg-type]
    assert list_subscriptions(ledger, actor=OPERATOR) == []


def test_due_occurrences_follow_the_zone(ledger: LedgerStore) -> None:
    sub_id = weekly(ledger)
    [sub] = [s for s in list_subscriptions(ledger, actor=OPERATOR) if s.id == sub_id]
    due = last_due(sub, MONDAY_8AM_LA)
    assert due is not None and due.isoformat() == "2026-11-30T07:00:00-08:00"
    before = last_due(sub, datetime(2026, 11, 30, 14, 59, tzinfo=UTC))  # 06:59 PST
    assert before is not None and before.isoformat() == "2026-11-23T07:00:00-08:00"
    assert last_due(sub, datetime(2026, 11, 1, 12, tzinfo=UTC)) is None  # before it began
    assert report_period(due) == 202611
    assert report_period(datetime(2026, 12, 1, 7, tzinfo=ZoneInfo("UTC"))) == 202611


def test_send_due_sends_each_occurrence_once(ledger: LedgerStore, settings: Settings) -> None:
    weekly(ledger)
    sender = OutboxSender(settings.outbox_dir)
    first = send_due(ledger, sender, settings, now=MONDAY_8AM_LA)
    again = send_due(ledger, sender, settings, now=MONDAY_8AM_LA)
    assert (first.sent, first.skipped) == (1, 0)
    assert (again.sent, again.skipped) == (0, 1)
    next_week = send_due(ledger, sender, settings, now=datetime(2026, 12, 7, 16, tzinfo=UTC))
    assert next_week.sent == 1
    logs = delivery_log(ledger, actor=OPERATOR)
    assert [(d.status, d.period) for d in logs] == [("sent", "2026-12"), ("sent", "2026-11")]


def test_two_concurrent_runs_send_once(ledger: LedgerStore, settings: Settings) -> None:
    for i in range(3):
        weekly(ledger, to=f"p{i}@example.com")
    sender = OutboxSender(settings.outbox_dir)
    barrier = threading.Barrier(2)
    results = []

    def run() -> None:
        barrier.wait()
        results.append(send_due(ledger, sender, settings, now=MONDAY_8AM_LA))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(r.sent for r in results) == 3
    assert sum(r.skipped for r in results) == 3
    lines = (settings.outbox_dir / "index.jsonl").read_text().splitlines()
    assert len(lines) == 3


class Broken:
    name = "broken"

    def send(self, msg: object) -> list[str]:
        from core.errors import Unavailable

        raise Unavailable("mail server down")


def test_a_failed_occurrence_is_retried_next_run(ledger: LedgerStore, settings: Settings) -> None:
    weekly(ledger)
    failed = send_due(ledger, Broken(), settings, now=MONDAY_8AM_LA)  # type: ignore[arg-type]
    assert (failed.sent, failed.failed) == (0, 1)
    retried = send_due(ledger, OutboxSender(settings.outbox_dir), settings, now=MONDAY_8AM_LA)
    assert retried.sent == 1
    assert [d.status for d in delivery_log(ledger, actor=OPERATOR)] == ["sent", "failed"]


def test_scoped_recipients_never_get_other_entities(
    ledger: LedgerStore, settings: Settings
) -> None:
    add_user(
        ledger, email="dump@example.com", role="cfo", password="x" * 12, entities="QuickDumpNow"
    )
    sender = OutboxSender(settings.outbox_dir)
    for entity in ("JADA", "all"):
        with pytest.raises(Forbidden):
            send_report(
                ledger,
                sender,
                settings,
                ReportRequest(reader=OPERATOR, report="cfo", entity=entity, period=202610),
                to=["boss@example.com", "dump@example.com"],
            )
        with pytest.raises(Forbidden):
            weekly(ledger, entity=entity, to="dump@example.com")
    ok = send_report(
        ledger,
        sender,
        settings,
        ReportRequest(reader=OPERATOR, report="cfo", entity="QuickDumpNow", period=202610),
        to=["dump@example.com"],
    )
    assert ok.status == "sent"
    assert not (settings.outbox_dir / "index.jsonl").read_text().count("JADA")


def test_scoped_creators_schedule_only_their_entities(ledger: LedgerStore) -> None:
    dump = scoped_cfo(ledger)
    common = {"report": "cfo", "to": ["a@example.com"], "cron": "0 7 * * MON", "tz": "UTC"}
    for entity in ("all", "JADA"):
        with pytest.raises(Forbidden):
            add_subscription(ledger, entity=entity, actor=dump, **common)  # type: ignore[arg-type]
    sub = add_subscription(ledger, entity="QuickDumpNow", actor=dump, **common)  # type: ignore[arg-type]
    assert sub.created_by == "dump@example.com"
    remove_subscription(ledger, sub.id or 0, actor=dump)
    with pytest.raises(NotFound):
        remove_subscription(ledger, sub.id or 0, actor=dump)
