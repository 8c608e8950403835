"""AppTest of /reports: subscriptions managed through the core, the log with resend."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.delivery.reports import delivery_log, list_subscriptions, send_report
from core.delivery.senders import make_sender
from core.ledger.store import open_ledger
from tests.dashboard.conftest import sign_in


def open_reports(email: str = "owner@example.com") -> AppTest:
    at = sign_in(email)
    at.switch_page("views/reports.py").run()
    assert not at.exception, at.exception
    return at


def test_add_subscription_and_refuse_a_bad_cron(ledger_dir: Path) -> None:
    at = open_reports()
    assert [t.value for t in at.title] == ["Reports"]
    cron = next(t for t in at.text_input if t.label == "Schedule (cron)")
    cron.input("every monday")
    next(b for b in at.button if b.label == "Add subscription").click().run()
    assert any("five fields" in e.value for e in at.error)
    store = open_ledger(get_settings().ledger_url)
    assert list_subscriptions(store) == []
    next(t for t in at.text_input if t.label == "Schedule (cron)").input("0 7 * * MON")
    next(b for b in at.button if b.label == "Add subscription").click().run()
    [sub] = list_subscriptions(store)
    assert (sub.cron, sub.entity, sub.created_by) == ("0 7 * * MON", "all", "owner@example.com")


def test_delivery_log_lists_sends_and_resends(ledger_dir: Path) -> None:
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    send_report(
        store,
        make_sender(settings),
        settings,
        report="cfo",
        entity="JADA",
        period=202610,
        to=["a@example.com"],
    )
    at = open_reports()
    log = at.dataframe[-1].value
    assert list(log["Recipients"]) == ["a@example.com"] and list(log["Status"]) == ["sent"]
    next(b for b in at.button if b.label == "Resend").click().run()
    assert [d.status for d in delivery_log(store)] == ["sent", "sent"]
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 2
