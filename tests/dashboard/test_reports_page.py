"""AppTest of /reports: subscriptions managed through the core, the log with resend."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import OPERATOR
from core.config import get_settings
from core.delivery.reports import (
    add_subscription,
    delivery_log,
    list_subscriptions,
    send_report,
)
from core.delivery.senders import make_sender
from core.ledger.store import open_ledger
from core.reports.request import ReportRequest
from tests.dashboard.conftest import sign_in


def open_reports(email: str = "owner@example.com") -> AppTest:
    at = sign_in(email)
    at.switch_page("views/reports.py").run()
    assert not at.exception, at.exception
    return at


def test_add_subscription_and_refuse_a_bad_cron(ledger_dir: Path) -> None:
    at = open_reports()
    assert [t.value for t in at.title] == ["Reports"]
    next(s for s in at.selectbox if s.label == "Schedule").set_value("custom cron (below)")
    cron = next(t for t in at.text_input if t.label == "Schedule (cron)")
    cron.input("every monday")
    next(b for b in at.button if b.label == "Add subscription").click().run()
    assert any("five fields" in e.value for e in at.error)
    store = open_ledger(get_settings().ledger_url)
    assert list_subscriptions(store, actor=OPERATOR) == []
    next(t for t in at.text_input if t.label == "Schedule (cron)").input("0 7 * * MON")
    next(b for b in at.button if b.label == "Add subscription").click().run()
    [sub] = list_subscriptions(store, actor=OPERATOR)
    assert (sub.cron, sub.entity, sub.created_by) == ("0 7 * * MON", "all", "owner@example.com")


def test_a_schedule_picked_in_words_is_shown_in_words_with_its_cron(ledger_dir: Path) -> None:
    at = open_reports()
    next(s for s in at.selectbox if s.label == "Schedule").set_value("every weekday at 7:00")
    next(b for b in at.button if b.label == "Add subscription").click().run()
    assert not at.exception, at.exception
    [sub] = list_subscriptions(open_ledger(get_settings().ledger_url), actor=OPERATOR)
    assert sub.cron == "0 7 * * MON-FRI"
    frame = at.dataframe[0].value
    assert (frame["Schedule"][0], frame["Cron"][0]) == ("every weekday at 7:00", "0 7 * * MON-FRI")


def test_delivery_log_lists_sends_and_resends(ledger_dir: Path) -> None:
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    send_report(
        store,
        make_sender(settings),
        settings,
        ReportRequest(reader=OPERATOR, report="cfo", entity="JADA", period=202610),
        to=["a@example.com"],
    )
    at = open_reports()
    log = at.dataframe[-1].value
    assert list(log["Recipients"]) == ["a@example.com"] and list(log["Status"]) == ["sent"]
    next(b for b in at.button if b.label == "Resend").click().run()
    assert [d.status for d in delivery_log(store, actor=OPERATOR)] == ["sent", "sent"]
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 2


def test_a_scoped_cfo_sees_and_touches_only_their_entities_rows(ledger_dir: Path) -> None:
    """dump@example.com is a CFO limited to QuickDumpNow: the page lists only that entity's
    subscriptions and deliveries, and Remove and Resend reach only those."""
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    for entity in ("JADA", "QuickDumpNow", "all"):
        send_report(
            store,
            make_sender(settings),
            settings,
            ReportRequest(reader=OPERATOR, report="cfo", entity=entity, period=202610),
            to=["boss@example.com"],
        )
        add_subscription(
            store,
            report="cfo",
            entity=entity,
            to=["boss@example.com"],
            cron="0 7 * * MON",
            tz="UTC",
            actor=OPERATOR,
        )
    at = open_reports("dump@example.com")
    subs, log = at.dataframe[0].value, at.dataframe[-1].value
    assert list(subs["Entity"]) == ["QuickDumpNow"]
    assert list(log["Entity"]) == ["QuickDumpNow"]
    mine = next(
        s.id for s in list_subscriptions(store, actor=OPERATOR) if s.entity == "QuickDumpNow"
    )
    assert at.selectbox(key="sub_remove").options == [str(mine)]
    assert len(at.selectbox(key="resend_id").options) == 1

    next(b for b in at.button if b.label == "Resend").click().run()
    assert not at.exception, at.exception
    logs = delivery_log(store, actor=OPERATOR)
    assert (logs[0].entity, logs[0].requested_by) == ("QuickDumpNow", "dump@example.com")
    assert list(at.dataframe[-1].value["Entity"]) == ["QuickDumpNow", "QuickDumpNow"]

    next(b for b in at.button if b.label == "Remove").click().run()
    assert not at.exception, at.exception
    left = [s.entity for s in list_subscriptions(store, actor=OPERATOR)]
    assert left == ["JADA", "all"]


def test_new_subscription_with_files_and_skip_if_empty_then_send_now(ledger_dir: Path) -> None:
    from core.delivery.options import Options, options_of

    at = open_reports()
    next(m for m in at.multiselect if m.label == "Attach").set_value(["pdf", "xlsx"])
    next(c for c in at.checkbox if c.label == "Skip if empty").check()
    next(b for b in at.button if b.label == "Add subscription").click().run()
    assert not at.exception, at.exception
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    [sub] = list_subscriptions(store, actor=OPERATOR)
    assert options_of(store, sub.id or 0) == Options(("pdf", "xlsx"), True)
    frame = at.dataframe[0].value
    assert (frame["Attachments"][0], frame["Skip if empty"][0]) == ("PDF, XLSX", "yes")
    assert (frame["Last result"][0], frame["Failures"][0]) == ("not run yet", 0)
    next(b for b in at.button if b.label == "Send now").click().run()
    assert not at.exception, at.exception
    [log] = delivery_log(store, actor=OPERATOR)
    assert (log.status, log.subscription_id) == ("sent", sub.id)
    assert "send now" in log.requested_by
    assert at.dataframe[0].value["Last result"][0].startswith("sent ")
