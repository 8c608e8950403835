"""The Operations month grid: weeks of seven cells, each holding only its own day's trips."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from core.ops.models import Event


@dataclass(frozen=True)
class Cell:
    """One square of the grid: a day of the month with its trips, or padding (``day`` None)."""

    day: date | None
    events: list[Event] = field(default_factory=list)


def month_grid(events: Iterable[Event], tz: ZoneInfo, month: date) -> list[list[Cell]]:
    """Weeks (Monday first) of ``month``; the days of the months before and after that pad
    the first and last week are empty cells: a Dec 4 trip is never in November's grid."""
    by_day: dict[date, list[Event]] = {}
    for e in sorted(events, key=lambda e: e.starts_at):
        day = e.starts_at.astimezone(tz).date()
        if (day.year, day.month) == (month.year, month.month):
            by_day.setdefault(day, []).append(e)
    return [
        [Cell(d, by_day.get(d, [])) if d.month == month.month else Cell(None) for d in week]
        for week in calendar.Calendar().monthdatescalendar(month.year, month.month)
    ]
