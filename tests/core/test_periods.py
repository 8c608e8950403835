"""Month arithmetic the reports and demo generators share (one copy each, in core.periods)."""

from __future__ import annotations

from datetime import date

from core.periods import (
    add_months,
    as_of_day,
    days_covered,
    days_in,
    last_day,
    months_ending,
)


def test_last_day_knows_month_lengths_and_leap_years() -> None:
    assert last_day(202602) == date(2026, 2, 28)
    assert last_day(202802) == date(2028, 2, 29)
    assert last_day(202612) == date(2026, 12, 31)
    assert [days_in(m) for m in (202601, 202604, 210002)] == [31, 30, 28]


def test_add_months_clips_to_the_shorter_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)
    assert add_months(date(2027, 8, 31), 12) == date(2028, 8, 31)


def test_as_of_day_is_today_only_inside_the_month() -> None:
    assert as_of_day(202611, date(2026, 11, 20)) == date(2026, 11, 20)
    assert as_of_day(202610, date(2026, 11, 20)) == date(2026, 10, 31)
    assert as_of_day(202612, date(2026, 11, 20)) == date(2026, 12, 31)  # not begun: its end
    assert as_of_day(202611, date(2026, 11, 30)) == date(2026, 11, 30)


def test_days_covered_counts_the_days_passed() -> None:
    assert days_covered(202611, date(2026, 11, 20)) == 20
    assert days_covered(202610, date(2026, 11, 20)) == 31
    assert days_covered(202612, date(2026, 11, 20)) == 0


def test_months_ending_is_oldest_first_across_a_year() -> None:
    assert months_ending(202602, 4) == [202511, 202512, 202601, 202602]
    assert months_ending(202605, 1) == [202605]
    assert len(months_ending(202605, 13)) == 13
