"""Pace: how far a month under way has come, and the same point in earlier months.

A month is under way while today, in the reporting time zone, falls inside it. Its flows are
judged against the target pro-rated to the days covered and against last month and last year
read through the same day, so 25 days are never compared with a full month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.periods import add_months, days_in, first_day, month_of


@dataclass(frozen=True)
class MonthToDate:
    """A month under way: ``day`` of its ``days`` have begun by today."""

    month: int  # yyyymm
    day: int  # 1..days; today counts (the morning of the 1st is day 1)
    days: int

    @property
    def through(self) -> date:
        """The last day covered (today)."""
        return first_day(self.month).replace(day=self.day)

    def same_day(self, months_back: int) -> date:
        """The same day ``months_back`` months earlier, clipped to that month's length."""
        return add_months(self.through, -months_back)

    @property
    def last_month(self) -> date:
        """Last month's same day (31 Mar -> 28 or 29 Feb)."""
        return self.same_day(1)

    @property
    def last_year(self) -> date:
        """The same day a year earlier (29 Feb -> 28 Feb)."""
        return self.same_day(12)

    def label(self) -> str:
        """``to date (day 25 of 30)``."""
        return f"to date (day {self.day} of {self.days})"


def month_to_date(month: int, today: date) -> MonthToDate | None:
    """The pace of ``month`` when today falls inside it; None for a past or future month."""
    if month_of(today) != month:
        return None
    return MonthToDate(month=month, day=today.day, days=days_in(month))


def prorate(target: float | None, day: int, days: int) -> float | None:
    """``target * day / days`` rounded to cents; None stays None."""
    if target is None:
        return None
    return round(target * day / days, 2)
