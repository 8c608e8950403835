"""AppTest of /forecast and the CFO and Accounting panels: the core's numbers on the page."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from core.auth.dashboard_users import OPERATOR
from core.budgets.lines import BudgetLine
from core.budgets.records import import_budget
from core.budgets.versus import budget_vs_actual
from core.config import get_settings
from core.forecast.build import build_forecast
from core.ledger.store import open_ledger
from core.periods import month_of
from core.reports.formatting import format_value
from core.reports.request import ReportRequest
from dashboard.forecast_budgets import COLUMNS, _lines
from dashboard.forecast_calls import today
from tests.dashboard.conftest import sign_in


def _chart(at, index: int = 0) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def test_forecast_page_shows_the_core_forecast_and_a_scenario_moves_the_low_point(
    ledger_dir: Path,
) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/forecast.py").run()
    assert not at.exception, at.exception
    store = open_ledger(get_settings().ledger_url)
    base = build_forecast(store, OPERATOR, "all", today(), 13)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Cash today"] == f"${base.opening:,.0f}"
    low = f"-${abs(base.low_point):,.0f}" if base.low_point < 0 else f"${base.low_point:,.0f}"
    assert shown["Low point"] == low
    spec = _chart(at)
    closings = next(t for t in spec["data"] if t["name"] == "Baseline")["y"]
    assert closings == [float(w.closing) for w in base.weeks]
    # a one-off cost of 50,000 in week 3 lowers the low point by that much at most
    at.number_input(key="fc_cost").set_value(50_000.0).run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    assert "Low point (scenario)" in shown
    names = [t["name"] for t in _chart(at)["data"]]
    assert "Scenario" in names and "Baseline" in names
    assert any("One-off cost" in md.value for md in at.markdown)


def test_cfo_page_has_the_forecast_and_budget_panels(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    assert not at.exception, at.exception
    headers = [h.value for h in at.subheader]
    assert "Cash forecast" in headers and "Budget vs actual" in headers
    at.switch_page("views/accounting.py").run()
    assert not at.exception, at.exception
    assert "Budget vs actual" in [h.value for h in at.subheader]


def test_the_budget_panel_shows_the_core_comparison(ledger_dir: Path) -> None:
    store = open_ledger(get_settings().ledger_url)
    month = today().strftime("%Y-%m")
    budget = ledger_dir / "budget.csv"
    budget.write_text(f"month,account,amount\n{month},Expenses:Fuel,100\n")
    import_budget(store, actor=OPERATOR, source=budget, entity_id="QueenofSanDiego")
    at = sign_in("owner@example.com", entity="QueenofSanDiego")
    at.switch_page("views/cfo.py").run()
    assert not at.exception, at.exception
    request = ReportRequest(
        reader=OPERATOR, report="cfo", entity="QueenofSanDiego", period=month_of(today())
    )
    [row] = budget_vs_actual(store, request).rows
    table = next(t.value for t in at.dataframe if "Variance YTD" in t.value.columns)
    assert list(table["Account group"]) == ["Expenses:Fuel"]
    assert table["Budget"][0] == "$100"
    assert table["Actual"][0] == format_value(row.actual_month / 100, "USD")


def test_budget_editor_rows_become_lines_or_problems() -> None:
    table = pd.DataFrame(
        [
            ["2026-01", "Income:Charters", 1200.5],
            ["2026-13", "Expenses:Fuel", 10],
            [None, None, None],
        ],
        columns=COLUMNS,
    )
    lines, problems = _lines(table)
    assert lines == [BudgetLine(202601, "Income:Charters", 120050, 1)]
    assert problems == ["line 2: period '2026-13' is not a month like 2026-05"]


def test_only_the_owner_gets_the_budget_editor(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com", entity="QueenofSanDiego")
    at.switch_page("views/forecast.py").run()
    assert not at.exception, at.exception
    assert any(b.label == "Save budget" for b in at.button)
    cfo = sign_in("dump@example.com")
    cfo.switch_page("views/forecast.py").run()
    assert not cfo.exception, cfo.exception
    assert not any(b.label == "Save budget" for b in cfo.button)
    assert any("The owner sets budgets" in c.value for c in cfo.caption)


def test_accepting_a_suggestion_declares_it_in_the_core(ledger_dir: Path) -> None:
    from core.forecast.recurring import list_recurring
    from core.forecast.suggest import suggest_recurring

    store = open_ledger(get_settings().ledger_url)
    [first, *_] = suggest_recurring(store, OPERATOR, "QuickDumpNow", today())
    at = sign_in("owner@example.com")
    at.switch_page("views/forecast.py").run()
    assert not at.exception, at.exception
    assert list_recurring(store, OPERATOR, None) == []
    at.button(key=f"fc_accept_{first.key}").click().run()
    assert not at.exception, at.exception
    [item] = list_recurring(store, OPERATOR, None)
    assert (item.entity_id, item.account, item.amount) == (
        first.entity_id,
        first.account,
        first.amount,
    )
