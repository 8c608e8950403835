"""The as-of window of a period for the audit reports (and the helpers they import from here)."""

from __future__ import annotations

from datetime import date

from core.periods import as_of_day, first_day

# re-exported: the audit reports import these from here
from core.reports.common import today_in as today_in
from core.reports.common import trend as trend
from core.reports.formatting import pct as pct


def window(month: int, today: date) -> tuple[date, date]:
    """(first day, as-of day) of a month: its end, or today while the month is running."""
    return first_day(month), as_of_day(month, today)
