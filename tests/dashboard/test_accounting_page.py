"""AppTest of /accounting: the core's numbers, the queue, and scopes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ledger.store import open_ledger
from core.periods import format_period, month_add, month_of
from core.reports.accounting import build_accounting
from core.reports.formatting import format_value
from core.reports.scope import resolve_scope
from tests.dashboard.conftest import APP, PASSWORD, sign_in


def test_accounting_shows_the_core_figures(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/accounting.py").run()
    assert not at.exception, at.exception
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    period = month_of(datetime.now(settings.tz).date())  # the default: this month to date
    report = build_accounting(
        store, resolve_scope(store, entity="all", period=period), tz=settings.tz
    )
    shown = {m.label: m.value for m in at.metric}
    for k in report.kpis:
        assert shown[k.label] == format_value(k.value, k.unit)
    assert shown["Trial balance difference"] == "$0"
    assert int(report.kpi("uncategorized_count").value or 0) > 0  # the demo leaves a queue
    queued = sum(len(table.value) for table in at.data_editor)
    assert queued == report.kpi("uncategorized_count").value


def test_scoped_user_cannot_open_another_entity(ledger_dir: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["entity"] = "JADA"
    at.run()
    at.text_input[0].input("dump@example.com")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("views/accounting.py").run()
    assert any("do not have access" in e.value for e in at.error)
    assert len(at.metric) == 0


def test_make_a_rule_from_a_queued_line(ledger_dir: Path) -> None:
    # last month's queue, whose newest line the demo books once (this month's may recur)
    last_month = month_add(month_of(datetime.now(get_settings().tz).date()), -1)
    at = sign_in("owner@example.com", period=format_period(last_month))
    at.switch_page("views/accounting.py").run()
    assert not at.exception, at.exception
    store = open_ledger(get_settings().ledger_url)
    everyone = [e.id for e in store.list_entities()]
    before = store.uncategorized_lines(everyone, through_month=209912)
    picked = at.selectbox(key="rule_line").value
    assert any("matches 1 uncategorized" in c.value.lower() for c in at.caption)
    account_box = at.selectbox(key=f"rule_account_{picked.entry_id}")
    account = account_box.options[0]
    account_box.set_value(account).run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.label == "Save rule and re-categorize").click().run()
    assert not at.exception, at.exception
    after = store.uncategorized_lines(everyone, through_month=209912)
    assert len(after) == len(before) - 1
    assert picked.entry_id not in {q.entry_id for q in after}
    assert store.rollup_matches_lines()
    assert any(f"moved to {account}" in t.proto.body for t in at.toast)
    # the page shows the new queue at once
    shown = [d for table in at.data_editor for d in table.value["Description"]]
    assert picked.description not in shown


def test_cto_cannot_categorize(ledger_dir: Path) -> None:
    from core.errors import Forbidden
    from core.ledger.recategorize import apply_rule

    store = open_ledger(get_settings().ledger_url)
    line = store.uncategorized_lines(["QuickDumpNow"], through_month=209912)[0]
    try:
        apply_rule(
            store,
            entity_id="QuickDumpNow",
            pattern=".",
            account="Expenses:X",
            role="cto",
            picked_entry_id=line.entry_id,
        )
    except Forbidden:
        pass
    else:
        raise AssertionError("a cto re-categorized the books")
