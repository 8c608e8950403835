"""AppTest of /ceo: the core's numbers, ops shortfalls, and scopes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import add_user
from core.config import get_settings
from core.ledger.store import open_ledger
from core.ops.factory import open_ops
from core.periods import month_of
from core.reports.ceo import build_ceo
from core.reports.formatting import format_value
from core.reports.scope import resolve_scope
from tests.dashboard.conftest import APP, PASSWORD, sign_in


def test_ceo_page_shows_the_core_figures(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/ceo.py").run()
    assert not at.exception, at.exception
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    period = month_of(datetime.now(settings.tz).date())  # the default: this month to date
    report = build_ceo(
        store,
        resolve_scope(store, entity="all", period=period),
        tz=settings.tz,
        ops=open_ops(settings).service,
    )
    shown = {m.label: m.value for m in at.metric}
    for k in report.kpis:
        assert shown[k.label] == format_value(k.value, k.unit), k.id
    assert shown["Open crew slots"] != "—"  # the demo trips are read from the ops store
    titles = [s.value for s in at.subheader]
    assert "Revenue against target" in titles and "KPI framework" in titles
    assert len(at.get("plotly_chart")) >= 2


def test_ceo_scoped_to_one_entity_cannot_open_another(ledger_dir: Path) -> None:
    store = open_ledger(get_settings().ledger_url)
    add_user(
        store, email="ceo.dump@example.com", role="ceo", password=PASSWORD, entities="QuickDumpNow"
    )
    at = sign_in("ceo.dump@example.com")
    at.switch_page("views/ceo.py").run()
    assert not at.exception, at.exception
    frames = [df.value for df in at.dataframe]
    assert all("JADA (sailing yacht)" not in df.to_string() for df in frames)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["entity"] = "JADA"
    at.run()
    at.text_input[0].input("ceo.dump@example.com")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("views/ceo.py").run()
    assert any("do not have access" in e.value for e in at.error)
    assert len(at.metric) == 0


def test_cfo_has_no_ceo_page(ledger_dir: Path) -> None:
    at = sign_in("dump@example.com")
    try:
        at.switch_page("views/ceo.py")
    except ValueError as exc:  # not registered for this role: no page, no link
        assert "views/ceo.py" not in str(exc).split("Known pages:")[1]
    else:
        raise AssertionError("a cfo could switch to the CEO page")
