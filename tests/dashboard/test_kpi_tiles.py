"""KPI tiles: a change that rounds to zero is grey with no arrow; tone sets colour and arrow."""

from __future__ import annotations

from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from core.reports.formatting import describe_change
from dashboard.components import metric_delta


def test_zero_change_has_no_colour_and_no_arrow() -> None:
    args = metric_delta(describe_change(-0.3, "USD"), "up", "vs last month")
    assert args == {
        "delta": "no change",
        "delta_color": "off",
        "delta_arrow": "off",
        "delta_description": "vs last month",
    }


def test_tone_decides_colour_and_arrow() -> None:
    cost_down = metric_delta(describe_change(-120.0, "USD"), "down", "vs last month")
    assert (cost_down["delta"], cost_down["delta_color"], cost_down["delta_arrow"]) == (
        "-$120",
        "green",
        "down",
    )
    shorter = metric_delta(describe_change(-212.4, "months", value=53.8), "up", "vs last month")
    assert (shorter["delta"], shorter["delta_color"], shorter["delta_arrow"]) == (
        "was over 10 years",
        "red",
        "down",
    )
    assert shorter["delta_description"] == "last month"
    assert metric_delta(None, "up", "vs last month") == {"delta": None}


def _tiles() -> None:
    from core.reports.model import KPI, KpiGroup, Report
    from dashboard.components import kpi_row

    kpis = [
        KPI("revenue", "Revenue", 1000.0, "USD", None, "up", "none", 0.2, None),
        KPI("expenses", "Expenses", 800.0, "USD", None, "down", "none", 50.0, None),
        KPI("runway_months", "Runway", 53.8, "months", None, "up", "none", -212.4, None),
    ]
    report = Report("cfo", "CFO report", "JADA", "JADA", "2026-10", "", "UTC", "USD", kpis)
    kpi_row(report, KpiGroup(["revenue", "expenses", "runway_months"]))


def test_tiles_in_streamlit() -> None:
    at = AppTest.from_function(_tiles).run()
    assert not at.exception, at.exception
    revenue, expenses, runway = at.metric
    assert (revenue.delta, revenue.proto.color, revenue.proto.direction) == (
        "no change",
        Metric.MetricColor.GRAY,
        Metric.MetricDirection.NONE,
    )
    assert expenses.delta == "+$50"
    assert expenses.proto.color == Metric.MetricColor.RED  # costs went up
    assert expenses.proto.direction == Metric.MetricDirection.UP
    assert runway.value == "53.8 months" and runway.delta == "was over 10 years"
    assert runway.proto.color == Metric.MetricColor.RED
    assert runway.proto.direction == Metric.MetricDirection.DOWN
    assert "120+" not in runway.delta


def _paced_tile() -> None:
    from core.reports.model import KPI, KpiGroup, Pace, Report
    from dashboard.components import kpi_row

    pace = Pace(day=25, days=30, target=25_000.0, last_month=25_442.0, last_year=19_800.0)
    kpis = [
        KPI("revenue", "Revenue", 21_300.0, "USD", 30_000.0, "up", "bad", -4142.0, 1500.0, pace)
    ]
    report = Report("cfo", "CFO report", "JADA", "JADA", "2026-11", "", "UTC", "USD", kpis)
    kpi_row(report, KpiGroup(["revenue"]))


def test_a_month_under_way_tile_says_to_date() -> None:
    at = AppTest.from_function(_paced_tile).run()
    assert not at.exception, at.exception
    (revenue,) = at.metric
    assert revenue.delta == "-$4,142"
    # the status badge and the small note under it are one element (a tile's cost on the
    # server is per element), the note in a span a phone hides
    (tile,) = [m.value for m in at.markdown if "Target" in m.value]
    assert tile.startswith(":red-badge[:material/cancel: Off target]")
    _badge, note = tile.split('<span class="tile-note">')
    assert note.startswith("Day 25 of 30 · ") and note.endswith("</span>")
    assert "Target to date $25,000 (month $30,000)" in note
    assert not at.caption and not at.get("badge")


def test_a_tile_note_is_escaped_and_an_empty_one_leaves_the_badge_alone() -> None:
    from dashboard.components import status_and_note

    assert status_and_note("none", "") == ":gray-badge[No target]"
    assert status_and_note("good", "a <b> & c").endswith(
        '<span class="tile-note">a &lt;b&gt; &amp; c</span>'
    )
