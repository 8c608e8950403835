"""Pace of a month under way: the day reached, pro-rated targets, the same day before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.pace import MonthToDate, month_to_date, prorate
from core.reports.common import today_in

LA = ZoneInfo("America/Los_Angeles")


def test_only_the_month_holding_today_is_under_way() -> None:
    today = date(2026, 11, 25)
    assert month_to_date(202611, today) == MonthToDate(202611, 25, 30)
    assert month_to_date(202610, today) is None  # completed: whole months
    assert month_to_date(202612, today) is None  # not begun


def test_the_first_and_the_last_day_of_a_month() -> None:
    first = month_to_date(202611, date(2026, 11, 1))
    assert first is not None and (first.day, first.days) == (1, 30)
    assert first.label() == "to date (day 1 of 30)"
    last = month_to_date(202612, date(2026, 12, 31))
    assert last is not None and (last.day, last.days) == (31, 31)


@pytest.mark.parametrize(
    ("today", "days"),
    [
        (date(2026, 2, 10), 28),
        (date(2028, 2, 10), 29),  # a leap year
        (date(2026, 4, 10), 30),
        (date(2026, 7, 10), 31),
    ],
)
def test_month_lengths(today: date, days: int) -> None:
    mtd = month_to_date(today.year * 100 + today.month, today)
    assert mtd is not None and mtd.days == days


def test_prorating_a_target() -> None:
    assert prorate(30_000.0, 25, 30) == 25_000.0
    assert prorate(1200.0, 20, 31) == 774.19  # rounded to cents
    assert prorate(1200.0, 1, 31) == 38.71  # the 1st is a day of the month, not none
    assert prorate(500.0, 28, 28) == 500.0  # the last day: the whole target
    assert prorate(None, 5, 30) is None


def test_the_same_day_last_month_is_clipped_to_its_length() -> None:
    assert MonthToDate(202603, 31, 31).last_month == date(2026, 2, 28)
    assert MonthToDate(202803, 31, 31).last_month == date(2028, 2, 29)
    assert MonthToDate(202612, 31, 31).last_month == date(2026, 11, 30)
    assert MonthToDate(202611, 25, 30).last_month == date(2026, 10, 25)
    assert MonthToDate(202601, 15, 31).last_month == date(2025, 12, 15)  # across a year


def test_the_same_day_last_year_clips_29_february() -> None:
    assert MonthToDate(202802, 29, 29).last_year == date(2027, 2, 28)
    assert MonthToDate(202611, 25, 30).last_year == date(2025, 11, 25)


@pytest.mark.parametrize(
    ("now", "day"),
    [
        # 1 Nov 2026, clocks go back at 02:00 PDT: 23:30 PST on the 1st is 07:30 UTC on the 2nd
        (datetime(2026, 11, 2, 7, 30, tzinfo=UTC), 1),
        (datetime(2026, 11, 2, 8, 30, tzinfo=UTC), 2),  # 00:30 PST on the 2nd
        # 8 Mar 2026, clocks go forward: 23:30 PDT on the 8th is 06:30 UTC on the 9th
        (datetime(2026, 3, 9, 6, 30, tzinfo=UTC), 8),
        (datetime(2026, 3, 9, 7, 30, tzinfo=UTC), 9),
    ],
)
def test_a_dst_change_does_not_shift_the_day(now: datetime, day: int) -> None:
    today = today_in(LA, now)
    mtd = month_to_date(today.year * 100 + today.month, today)
    assert mtd is not None and mtd.day == day


def test_the_first_hours_of_a_month_in_the_reporting_zone() -> None:
    # 07:30 UTC on 1 Dec is still 30 Nov in Los Angeles: November is the month under way
    today = today_in(LA, datetime(2026, 12, 1, 7, 30, tzinfo=UTC))
    assert month_to_date(202611, today) == MonthToDate(202611, 30, 30)
    assert month_to_date(202612, today) is None
