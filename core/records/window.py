"""The as-of window of a period for the audit reports."""

from __future__ import annotations

from datetime import date

from core.periods import as_of_day, first_day


def window(month: int, today: date) -> tuple[date, date]:
    """(first day, as-of day) of a month: its end, or today while the month is running."""
    return first_day(month), as_of_day(month, today)
