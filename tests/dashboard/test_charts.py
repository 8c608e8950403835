"""Report charts: built once per chart content, and drawn exactly as a fresh plotly build."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import plotly.graph_objects as go
import plotly.io
import plotly.tools
import pytest

from core.reports.model import Chart, Series
from core.reports.palette import BLUE, GREEN, RED
from dashboard import charts
from dashboard.charts import build_figure, figure
from tests.dashboard.conftest import sign_in

X = ["Aug 26", "Sep 26", "Oct 26"]
KINDS = {
    "bars": Chart("bars", "Revenue", X, [Series("A", [1.0, 2.5, None], "bar", "#1F4E79")]),
    "bars_no_colour": Chart("plain", "Counts", X, [Series("n", [1, 2, 3])], unit="count"),
    "stacked": Chart(
        "stack",
        "Parts",
        X,
        [Series("A", [1.0, 2.0, 3.0], "bar", "#111"), Series("B", [3.0, 2.0, 1.0], "bar")],
        stacked=True,
    ),
    "lines": Chart(
        "lines",
        "Rates",
        X,
        [
            Series("Plan", [10.0, 11.0, 12.5], "line", "#222", dash=True),
            Series("Real", [9.5, 12.0, 12.25], "line"),
        ],
        unit="percent",
    ),
    "secondary": Chart(
        "runway",
        "Cash and runway",
        X,
        [Series("Cash", [100.0, 90.0, 80.0], "bar", "#1F4E79")],
        secondary=Series("Runway (months)", [None, 12.0, 9.5], "line", "#E0A100"),
        secondary_unit="months",
    ),
    "secondary_no_unit": Chart(
        "jobs",
        "Jobs by stage",
        X,
        [Series("Value", [5.0, 6.0, 7.0], "bar")],
        secondary=Series("Jobs", [1.0, 2.0, 3.0], "line"),
    ),
}


def drawn_spec(fig: object) -> str:
    """The JSON st.plotly_chart sends to the browser for a figure (its own two calls)."""
    checked = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return plotly.io.to_json(checked, validate=False)


@pytest.mark.parametrize("kind", KINDS)
def test_a_reused_figure_draws_what_a_fresh_build_draws(kind: str) -> None:
    chart = KINDS[kind]
    first = drawn_spec(figure(chart))
    again = drawn_spec(figure(replace(chart, x=list(chart.x))))  # drawing left it unchanged
    assert first == again == drawn_spec(build_figure(chart))


def test_a_shared_figure_is_copied_to_a_dict_once() -> None:
    """st.plotly_chart asks for the figure's dict on every run; a drawn figure hands the
    same one (a plain go.Figure deep-copies every trace each time)."""
    shared = figure(KINDS["lines"])
    assert shared.to_dict() is shared.to_dict()
    assert json.loads(drawn_spec(shared)) == json.loads(drawn_spec(go.Figure(shared)))


def test_a_chart_with_the_same_content_reuses_its_figure() -> None:
    chart = KINDS["secondary"]
    twin = replace(chart, series=[replace(s) for s in chart.series])  # a cached report's copy
    assert figure(twin) is figure(chart)
    changed = replace(chart, secondary=replace(chart.secondary, values=[None, 12.0, 9.25]))
    assert figure(changed) is not figure(chart)
    assert list(figure(changed).data[1].y) == [None, 12.0, 9.25]


def test_reruns_of_a_report_page_build_no_figure(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []

    def counting(chart: Chart) -> object:
        built.append(chart.id)
        return build_figure(chart)

    monkeypatch.setattr(charts, "build_figure", counting)
    charts._built.cache_clear()
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(specs) >= 4 and "cash_runway" in built
    before = len(built)
    at.run()
    assert [c.proto.spec for c in at.get("plotly_chart")] == specs
    assert len(built) == before  # the rerun drew every chart from the figures built before


def test_secondary_ticks_are_round_and_the_runway_is_capped_with_its_true_hover() -> None:
    chart = Chart(
        "cash_runway",
        "Cash and runway",
        X,
        [Series("Cash", [82_480.0, 112_900.0, 100_000.0], "bar", "#1F4E79")],
        secondary=Series("Runway (months)", [-2.4, 444.4, 30.8], "line", "#E0A100"),
        secondary_unit="months",
    )
    layout = build_figure(chart).layout
    # one tick below zero on both sides: the -2.4 months runway needs it, zero lines align
    assert (layout.yaxis.range, layout.yaxis.dtick) == ((-20_000, 120_000), 20_000)
    assert (layout.yaxis2.range, layout.yaxis2.dtick) == ((-12, 72), 12)
    runway = build_figure(chart).data[1]
    assert list(runway.y) == [-2.4, 60, 30.8]  # drawn at the cap
    assert list(runway.customdata) == ["-2.4 months", "120+ months", "30.8 months"]


def test_a_negative_net_income_is_red_and_revenue_keeps_its_colour() -> None:
    chart = Chart(
        "pnl",
        "P&L",
        X,
        [
            Series("Revenue", [10.0, 20.0, 30.0], "bar", BLUE),
            Series("Net income", [5.0, -4.0, 2.0], "line", GREEN),
        ],
    )
    revenue, net = build_figure(chart).data
    assert revenue.marker.color == BLUE
    assert list(net.marker.color) == [GREEN, RED, GREEN]


def test_an_empty_chart_is_a_sentence_not_axes() -> None:
    chart = Chart(
        "bookings_trend", "Bookings", X, [Series("Direct", [0.0, None, 0.0])], unit="count"
    )
    fig = build_figure(chart)
    assert not fig.data
    assert fig.layout.annotations[0].text == "No bookings in these months"
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_the_legend_sits_above_the_plot() -> None:
    legend = build_figure(KINDS["secondary"]).layout.legend
    assert (legend.orientation, legend.yanchor) == ("h", "bottom") and legend.y >= 1
    assert charts.PLOTLY_CONFIG["displayModeBar"] is False


def test_report_pages_draw_charts_without_the_toolbar(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    drawn = at.get("plotly_chart")
    assert drawn and all('"displayModeBar": false' in c.proto.config for c in drawn)


def test_money_ticks_put_the_sign_before_the_dollar() -> None:
    chart = Chart("net", "Net", X, [Series("Net income", [-2_000.0, 5_000.0, 14_000.0])])
    axis = build_figure(chart).layout.yaxis
    assert axis.tickformat == "$,.0f" and not axis.tickprefix  # d3: -$2,500
