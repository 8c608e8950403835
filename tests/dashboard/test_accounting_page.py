"""AppTest of /accounting: the core's numbers, the queue, and scopes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ledger.store import open_ledger
from core.periods import month_add, month_of
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
    period = month_add(month_of(datetime.now(settings.tz).date()), -1)
    report = build_accounting(
        store, resolve_scope(store, entity="all", period=period), tz=settings.tz
    )
    shown = {m.label: m.value for m in at.metric}
    for k in report.kpis:
        assert shown[k.label] == format_value(k.value, k.unit)
    assert shown["Trial balance difference"] == "$0"
    assert int(report.kpi("uncategorized_count").value or 0) > 0  # the demo leaves a queue
    queue = at.dataframe[-1].value
    assert len(queue) == report.kpi("uncategorized_count").value


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
