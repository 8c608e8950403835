"""Subscriptions people keep: options, skip if empty, send now, where each stands, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.auth.dashboard_users import OPERATOR, add_user, get_user
from core.config import Settings
from core.delivery.options import Options, options_of
from core.delivery.reports import add_subscription, delivery_log, remove_subscription, send_due
from core.delivery.senders import OutboxSender
from core.delivery.subscription_status import next_run, send_now, subscription_statuses
from core.errors import Invalid, NotFound
from core.ledger.store import LedgerStore
from tests.core.delivery.test_subscriptions import MONDAY_8AM_LA, Broken

LA = ZoneInfo("America/Los_Angeles")
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def _add(store: LedgerStore, **kw: object) -> int:
    args: dict[str, object] = {
        "report": "cfo",
        "entity": "all",
        "to": ["boss@example.com"],
        "cron": "0 7 * * MON",
        "tz": "America/Los_Angeles",
        "actor": OPERATOR,
        "now": CREATED,
    }
    sub = add_subscription(store, **{**args, **kw})  # type: ignore[arg-type]
    assert sub.id is not None
    return sub.id


def test_options_are_kept_and_validated(ledger: LedgerStore) -> None:
    sub_id = _add(ledger, options=Options(("xlsx", "pdf"), True))
    assert options_of(ledger, sub_id) == Options(("pdf", "xlsx"), True)
    with pytest.raises(Invalid):
        _add(ledger, options=Options(("exe",), False))
    assert len(subscription_statuses(ledger, actor=OPERATOR)) == 1  # the bad one wrote nothing
    remove_subscription(ledger, sub_id, actor=OPERATOR)
    assert options_of(ledger, sub_id) == Options()


def test_an_empty_report_is_skipped_and_logged(store: LedgerStore, settings: Settings) -> None:
    store.add_entity(id="Quiet", name="A business with no books yet")  # nothing posted: zeros
    skip = _add(store, entity="Quiet", options=Options((), True))
    send = _add(store, entity="Quiet", to=["other@example.com"])
    result = send_due(store, OutboxSender(settings.outbox_dir), settings, now=MONDAY_8AM_LA)
    assert (result.sent, result.empty, result.failed) == (1, 1, 0)
    logs = {d.subscription_id: d for d in delivery_log(store, actor=OPERATOR)}
    assert logs[skip].status == "skipped" and "missing or zero" in (logs[skip].error or "")
    assert logs[send].status == "sent"
    lines = (settings.outbox_dir / "index.jsonl").read_text().splitlines()
    assert len(lines) == 1 and "other@example.com" in lines[0]
    again = send_due(store, OutboxSender(settings.outbox_dir), settings, now=MONDAY_8AM_LA)
    assert again.skipped == 2  # a skipped occurrence is done, not retried


def test_a_report_with_figures_is_sent_even_when_skipping_empties(
    ledger: LedgerStore, settings: Settings
) -> None:
    _add(ledger, options=Options(("pdf",), True))
    result = send_due(ledger, OutboxSender(settings.outbox_dir), settings, now=MONDAY_8AM_LA)
    assert (result.sent, result.empty) == (1, 0)


def test_status_shows_next_run_last_result_and_failures(
    ledger: LedgerStore, settings: Settings
) -> None:
    sub_id = _add(ledger)
    [before] = subscription_statuses(ledger, actor=OPERATOR, now=MONDAY_8AM_LA)
    assert before.last_result is None and before.failures == 0
    assert before.next_run.isoformat() == "2026-12-07T07:00:00-08:00"
    assert before.schedule == "Mondays at 7:00"
    send_due(ledger, Broken(), settings, now=MONDAY_8AM_LA)  # type: ignore[arg-type]
    [failed] = subscription_statuses(ledger, actor=OPERATOR, now=MONDAY_8AM_LA)
    assert (failed.last_result, failed.failures) == ("failed", 1)
    assert "mail server down" in (failed.last_error or "")
    log = send_now(ledger, OutboxSender(settings.outbox_dir), settings, sub_id, actor=OPERATOR)
    assert log.status == "sent" and log.subscription_id == sub_id
    [after] = subscription_statuses(ledger, actor=OPERATOR, now=MONDAY_8AM_LA)
    assert (after.last_result, after.failures) == ("sent", 1)


def test_send_now_is_scoped(ledger: LedgerStore, settings: Settings) -> None:
    sub_id = _add(ledger, entity="all")
    add_user(
        ledger, email="dump@example.com", role="cfo", password="x" * 12, entities="QuickDumpNow"
    )
    cfo = get_user(ledger, "dump@example.com")
    with pytest.raises(NotFound):
        send_now(ledger, OutboxSender(settings.outbox_dir), settings, sub_id, actor=cfo)
    assert subscription_statuses(ledger, actor=cfo) == []
    assert not (settings.outbox_dir / "index.jsonl").exists()


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [  # (the day the clocks change, 07:00 LA in UTC the day before, and on the day)
        (datetime(2026, 3, 8, tzinfo=LA), 15, 14),  # PST -> PDT
        (datetime(2026, 11, 1, tzinfo=LA), 14, 15),  # PDT -> PST
    ],
)
def test_daily_seven_am_stays_seven_am_across_dst(
    ledger: LedgerStore, settings: Settings, change: datetime, before: int, after: int
) -> None:
    sub_id = _add(ledger, cron="0 7 * * *")
    [sub] = [s.sub for s in subscription_statuses(ledger, actor=OPERATOR) if s.sub.id == sub_id]
    eve = change - timedelta(days=1)
    assert next_run(sub, eve.astimezone(UTC)).hour == 7
    first = next_run(sub, eve.replace(hour=8).astimezone(UTC))
    assert first.astimezone(UTC).hour == after and first.hour == 7
    assert next_run(sub, eve.astimezone(UTC)).astimezone(UTC).hour == before
    # hour by hour across the change: one email a day, each sent at 07:00 local
    sender = OutboxSender(settings.outbox_dir)
    sends = []
    t = (change - timedelta(days=1)).astimezone(UTC)
    send_due(ledger, sender, settings, now=t)  # the occurrence before the window, caught up
    while t < (change + timedelta(days=2)).astimezone(UTC):
        if send_due(ledger, sender, settings, now=t).sent:
            sends.append(t.astimezone(LA))
        t += timedelta(minutes=30)
    assert [s.hour for s in sends] == [7, 7, 7]
    assert len({s.date() for s in sends}) == 3
