"""AppTest of /cmo: the core's numbers, charts and tables, and entity scopes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import add_user
from core.config import get_settings
from core.ledger.store import open_ledger
from core.periods import month_of
from core.reports.cmo import build_cmo
from core.reports.formatting import format_value
from core.reports.scope import resolve_scope
from tests.dashboard.conftest import APP, PASSWORD, sign_in


def _add_cmo_users() -> None:
    store = open_ledger(get_settings().ledger_url)
    add_user(store, email="cmo@example.com", role="cmo", password=PASSWORD, entities="all")
    add_user(
        store, email="cmo-dump@example.com", role="cmo", password=PASSWORD, entities="QuickDumpNow"
    )


def _core_report(entity: str) -> object:
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    period = month_of(datetime.now(settings.tz).date())  # the default: this month to date
    scope = resolve_scope(store, entity=entity, period=period)
    return build_cmo(store, scope, tz=settings.tz)


def test_owner_sees_the_core_figures(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cmo.py").run()
    assert not at.exception, at.exception
    report = _core_report("all")
    shown = {m.label: m.value for m in at.metric}
    assert len(report.kpis) == 6
    for k in report.kpis:
        assert shown[k.label] == format_value(k.value, k.unit)
    assert report.kpi("bookings").value  # the demo has bookings last month
    charts = at.get("plotly_chart")
    assert len(charts) == 4
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert spec["data"] and any(trace.get("y") for trace in spec["data"])
    tables = [i for s in report.sections for i in s.items if i.type == "table"]
    assert len(at.dataframe) == len(tables)
    for frame, t in zip(at.dataframe, tables, strict=True):
        assert len(frame.value) == len(t.rows)
    # a finding is a plain sentence with an icon now, no coloured box
    assert any("How candidates are ranked" in str(m.value) for m in at.markdown)


def test_cmo_role_lands_on_its_page(ledger_dir: Path) -> None:
    _add_cmo_users()
    at = sign_in("cmo@example.com")
    assert not at.exception, at.exception
    assert any(t.value == "CMO report" for t in at.title)
    report = _core_report("all")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Bookings"] == format_value(report.kpi("bookings").value, "count")


def test_scoped_cmo_sees_only_their_entity(ledger_dir: Path) -> None:
    _add_cmo_users()
    at = sign_in("cmo-dump@example.com")
    assert not at.exception, at.exception
    report = _core_report("QuickDumpNow")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Channel revenue"] == format_value(report.kpi("channel_revenue").value, "USD")
    for frame in at.dataframe:
        text = frame.value.to_csv()
        for other in ("Queen of San Diego", "JADA", "Dangerous Centaur", "QueenofSanDiego"):
            assert other not in text


def test_scoped_cmo_cannot_open_another_entity(ledger_dir: Path) -> None:
    _add_cmo_users()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["entity"] = "JADA"
    at.run()
    at.text_input[0].input("cmo-dump@example.com")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("views/cmo.py").run()
    assert any("do not have access" in e.value for e in at.error)
    assert len(at.metric) == 0
