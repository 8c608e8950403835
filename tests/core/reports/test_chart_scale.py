"""Chart scaling shared by the dashboard and the email PNGs: round ticks, capped runway, signs."""

from __future__ import annotations

import pytest

from core.reports.chart_scale import (
    RUNWAY_CAP,
    Axis,
    aligned_axes,
    axes,
    capped,
    empty_sentence,
    hover_texts,
    is_empty,
    nice_axis,
    nice_step,
)
from core.reports.model import Chart, Series
from core.reports.palette import GREEN, RED, point_colors

X = ["Aug 26", "Sep 26", "Oct 26"]


@pytest.mark.parametrize(
    ("raw", "unit", "step"),
    [
        (0.3, "", 0.5),
        (7.0, "", 10.0),
        (21.0, "USD", 25.0),
        (0.4, "count", 1.0),
        (9.0, "months", 12.0),
    ],
)
def test_a_step_is_a_round_number(raw: float, unit: str, step: float) -> None:
    assert nice_step(raw, unit) == step


def test_the_issue_s_odd_secondary_ticks_become_round() -> None:
    # a runway of -2.4..444.4 months and a share of 42.4..51.6 % had ticks at odd values
    assert nice_axis([-2.4, 444.4], "months").ticks == [-120, 0, 120, 240, 360, 480]
    assert nice_axis([42.4, 47.0, 51.6], "percent").ticks == [0, 10, 20, 30, 40, 50, 60]
    assert nice_axis(capped([30.8, 444.4], "months"), "months").ticks == [0, 12, 24, 36, 48, 60]


def test_an_axis_starts_at_zero_and_covers_every_value() -> None:
    axis = nice_axis([82_480.0, 112_900.0, None], "USD")
    assert (axis.low, axis.high, axis.step) == (0, 120_000, 20_000)
    assert nice_axis([None, None]).ticks == [0, 1]


def test_two_axes_share_one_grid_and_zero() -> None:
    left, right = aligned_axes(Axis(-5000, 15000, 5000), Axis(0, 60, 12))
    assert left.ticks == [-5000, 0, 5000, 10000, 15000, 20000, 25000]
    assert right.ticks == [-12, 0, 12, 24, 36, 48, 60]
    assert left.ticks.index(0) == right.ticks.index(0)


def test_a_long_runway_is_capped_on_the_chart_but_not_in_the_hover() -> None:
    chart = Chart(
        "cash_runway",
        "Cash and runway",
        X,
        [Series("Cash", [100.0, 90.0, 80.0])],
        secondary=Series("Runway (months)", [444.4, 75.0, 9.5], "line"),
        secondary_unit="months",
    )
    assert capped(chart.secondary.values, "months") == [RUNWAY_CAP, RUNWAY_CAP, 9.5]
    assert hover_texts(chart.secondary.values, "months") == [
        "120+ months",
        "75.0 months",
        "9.5 months",
    ]
    assert axes(chart)[1].high == RUNWAY_CAP
    assert capped([444.4], "USD") == [444.4]  # only a runway is capped


def test_a_loss_is_red_and_an_unsigned_series_keeps_its_colour() -> None:
    assert point_colors([5.0, -3.0, None], GREEN) == [GREEN, RED, GREEN]
    assert point_colors([5.0, 3.0], GREEN) == GREEN
    assert point_colors([-5.0, 3.0], "#1F4E79") == "#1F4E79"


def test_an_empty_chart_says_so_in_words() -> None:
    bookings = Chart(
        "bookings_trend", "Bookings", X, [Series("Direct", [0.0, None, 0.0])], unit="count"
    )
    assert is_empty(bookings)
    assert empty_sentence(bookings) == "No bookings in these months"
    assert is_empty(Chart("none", "Nothing", X, []))
    assert empty_sentence(Chart("other", "Other", X, [])) == "Nothing recorded in these months"
    stages = Chart("pipeline", "Jobs", ["lead", "paid"], [Series("Jobs", [0, 0])], unit="count")
    assert empty_sentence(stages) == "No delivery jobs yet"
    assert not is_empty(Chart("one", "One", X, [Series("Revenue", [0, 0, 1.0])]))
