"""Numbers read right: one precision per unit, neutral zero changes, uncapped changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.reports.formatting import (
    LONG_RUNWAY,
    NO_CHANGE,
    Change,
    decimals,
    describe_change,
    format_delta,
    format_value,
)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (12345.67, "USD", "$12,346"),  # large money: whole dollars
        (-2500.4, "USD", "-$2,500"),
        (-0.4, "USD", "$0"),  # never "-$0"
        (1850.0, "USD/month", "$1,850/mo"),
        (12.345, "USD/nm", "$12.35/nm"),  # per-unit rates in cents, not "$12"
        (0.6, "USD/nm", "$0.60/nm"),
        (187.5, "USD/hour", "$187.50/hr"),
        (75.0, "USD/booking", "$75.00/booking"),
        (12.345, "percent", "12.3%"),  # percentages to one decimal
        (40.0, "percent", "40.0%"),
        (17, "count", "17"),  # counts whole
        (2.6, "count", "3"),
        (1234.0, "number", "1,234"),
        (3.25, "number", "3.2"),
        (4.24, "months", "4.2 months"),
        (LONG_RUNWAY + 0.5, "months", "120+ months"),  # a long runway is capped as a value
        (None, "USD", "—"),
    ],
)
def test_each_unit_has_its_precision(value: float | None, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


def test_decimals_per_unit() -> None:
    assert [decimals(u) for u in ("USD", "USD/month", "USD/nm", "percent", "count")] == [
        0,
        0,
        2,
        1,
        0,
    ]


@pytest.mark.parametrize(
    ("delta", "unit"),
    [
        (0.0, "USD"),
        (0.49, "USD"),  # "$0" at whole dollars
        (-0.49, "USD"),  # not "-$0"
        (0.004, "USD/nm"),
        (-0.04, "percent"),
        (0.4, "count"),
        (0.03, "months"),
    ],
)
def test_a_change_that_rounds_to_zero_is_neutral(delta: float, unit: str) -> None:
    change = describe_change(delta, unit)
    assert change == Change(NO_CHANGE, 0)
    assert change.tone("up") == change.tone("down") == "neutral"
    assert format_delta(delta, unit) == NO_CHANGE


@pytest.mark.parametrize(
    ("delta", "unit", "text", "sign"),
    [
        (1200.2, "USD", "+$1,200", 1),
        (-0.6, "USD", "-$1", -1),
        (0.016, "USD/nm", "+$0.02/nm", 1),  # a cent per mile is a change
        (-1.27, "USD/nm", "-$1.27/nm", -1),
        (2.25, "percent", "+2.2 pp", 1),  # percentage points, not a percent of a percent
        (-4.94, "percent", "-4.9 pp", -1),
        (-3.0, "count", "-3", -1),
        (-212.4, "months", "-212.4 months", -1),  # never capped like a value
        (480.0, "months", "+480.0 months", 1),
    ],
)
def test_a_change_is_signed_at_its_precision(delta: float, unit: str, text: str, sign: int) -> None:
    change = describe_change(delta, unit)
    assert change == Change(text, sign)
    assert format_delta(delta, unit) == text


def test_tone_follows_the_kpi_direction() -> None:
    up, down = Change("+$5", 1), Change("-$5", -1)
    assert (up.tone("up"), up.tone("down")) == ("good", "bad")
    assert (down.tone("up"), down.tone("down")) == ("bad", "good")


def test_a_runway_that_was_over_ten_years_says_so() -> None:
    change = describe_change(-212.4, "months", value=53.8)  # 266.2 months before
    assert change == Change("was over 10 years", -1, standalone=True)
    assert change.tone("up") == "bad"
    assert change.phrase("vs last month") == "was over 10 years last month"
    assert "120+" not in change.text


def test_a_runway_over_ten_years_both_times_is_no_change() -> None:
    assert describe_change(39.2, "months", value=266.2) == Change(NO_CHANGE, 0)


def test_a_runway_that_grew_past_ten_years_gives_the_real_number() -> None:
    change = describe_change(200.0, "months", value=230.0)  # 30 months before
    assert change == Change("+200.0 months", 1)
    assert change.phrase("vs last month") == "+200.0 months vs last month"


def test_nothing_to_compare() -> None:
    assert describe_change(None, "USD") is None and format_delta(None, "USD") is None


def test_a_cell_reads_as_its_tile_and_never_none() -> None:
    from core.reports.formatting import format_cell

    assert format_cell(103_559.0, "USD") == "$103,559"
    assert format_cell(None, "USD") == "—"
    assert format_cell(None, "text") == ""
    assert format_cell(42.06, "percent") == "42.1%"
    assert format_cell("QueenofSanDiego", "text") == "QueenofSanDiego"


def test_text_and_email_tables_show_no_none() -> None:
    from core.reports.model import Column, Table
    from core.reports.text import _table

    table = Table("t", "Jobs", [Column("job", "Job"), Column("paid", "Paid", "USD")], [])
    lines = _table(replace(table, rows=[{"job": None, "paid": None}, {"job": "J-1", "paid": 5.0}]))
    assert not any("None" in line for line in lines)
    assert lines[-1].split() == ["J-1", "$5"]


def test_a_runway_without_burn_reads_no_burn() -> None:
    """CONTRACT: runway is null when nothing burns; a reader sees why, not a dash."""
    from core.reports.formatting import kpi_value_text

    assert kpi_value_text("runway_months", None, "months") == "No burn"
    assert kpi_value_text("cash", None, "USD") == "—"
    assert kpi_value_text("runway_months", 14.24, "months") == "14.2 months"
