"""AppTest of /cto: the core's numbers, charts and tables, the cto role, and entity scopes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import add_user
from core.config import get_settings
from core.ledger.store import open_ledger
from core.periods import month_of
from core.reports.cto import build_cto
from core.reports.formatting import format_value
from core.reports.model import Report
from core.reports.scope import resolve_scope
from tests.dashboard.conftest import APP, PASSWORD, sign_in

OTHERS = ("Queen of San Diego", "JADA", "Dangerous Centaur", "QueenofSanDiego", "3028 51st")


def _add_scoped_cto() -> None:
    store = open_ledger(get_settings().ledger_url)
    add_user(
        store, email="cto-dump@example.com", role="cto", password=PASSWORD, entities="QuickDumpNow"
    )


def _core_report(entity: str) -> Report:
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    period = month_of(datetime.now(settings.tz).date())  # the default: this month to date
    return build_cto(store, resolve_scope(store, entity=entity, period=period), tz=settings.tz)


def test_owner_sees_the_core_figures_charts_and_tables(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cto.py").run()
    assert not at.exception, at.exception
    assert any(t.value == "CTO report" for t in at.title)
    report = _core_report("all")
    shown = {m.label: m.value for m in at.metric}
    assert len(report.kpis) == 8
    for k in report.kpis:
        assert shown[k.label] == format_value(k.value, k.unit), k.id
    assert report.kpi("cloud_cost").value and report.kpi("eol_services").value
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert spec["data"] and any(any(trace.get("y") or []) for trace in spec["data"])
    tables = [i for s in report.sections for i in s.items if i.type == "table"]
    assert len(at.dataframe) == len(tables) == 6
    for frame, t in zip(at.dataframe, tables, strict=True):
        assert len(frame.value) == len(t.rows)
    eol = [str(m.value) for m in at.markdown if "past its end of life" in str(m.value)]
    assert eol and eol[0].startswith(":red[")  # EOL findings are "bad": a red icon
    at.radio(key="f_compare").set_value("ytd").run()  # flows show year-to-date sums
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    ytd = report.ytd["cloud_cost"]
    assert shown["Cloud cost (YTD)"] == format_value(ytd.value, "USD")
    assert shown["Open findings"] == format_value(report.kpi("open_findings").value, "count")


def test_cto_role_lands_on_its_page(ledger_dir: Path) -> None:
    at = sign_in("cto@example.com")
    assert not at.exception, at.exception
    assert any(t.value == "CTO report" for t in at.title)
    report = _core_report("all")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Cloud cost"] == format_value(report.kpi("cloud_cost").value, "USD")


def test_scoped_cto_sees_only_their_entity(ledger_dir: Path) -> None:
    _add_scoped_cto()
    at = sign_in("cto-dump@example.com")
    assert not at.exception, at.exception
    assert at.selectbox[0].options == ["QuickDumpNow"]
    report = _core_report("QuickDumpNow")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Cloud cost"] == format_value(report.kpi("cloud_cost").value, "USD")
    assert len(at.dataframe) == 6
    for frame in at.dataframe:
        text = frame.value.to_csv()
        for other in OTHERS:
            assert other not in text


def test_scoped_cto_is_refused_another_entity_by_url(ledger_dir: Path) -> None:
    _add_scoped_cto()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["entity"] = "JADA"
    at.run()
    at.text_input[0].input("cto-dump@example.com")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert any("do not have access" in e.value for e in at.error)
    assert len(at.metric) == 0
    assert len(at.dataframe) == 0
