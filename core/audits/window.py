"""Dates the audit reports share: the as-of day of a period, trend months (and ``pct``)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.periods import as_of_day, first_day, month_add, month_range
from core.reports.formatting import pct as pct  # re-exported: the audit reports import it here

TREND_MONTHS = 13  # the period and the same month a year earlier


def today_in(tz: ZoneInfo, now: datetime | None) -> date:
    """Today's date in the reporting time zone."""
    return (now or datetime.now(tz)).astimezone(tz).date()


def window(month: int, today: date) -> tuple[date, date]:
    """(first day, as-of day) of a month: its end, or today while the month is running."""
    return first_day(month), as_of_day(month, today)


def trend(month: int) -> list[int]:
    """The 13 months ending with ``month``."""
    return month_range(month_add(month, -(TREND_MONTHS - 1)), month)
