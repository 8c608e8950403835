"""The Operations month grid: a trip sits only in its own day's cell, padding stays empty."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.ops.calendar_grid import month_grid
from core.ops.models import Event

TZ = ZoneInfo("America/Los_Angeles")
NOVEMBER = date(2026, 11, 1)


def trip(title: str, utc: datetime) -> Event:
    return Event("e-" + title, "JADA", title, "JADA", utc, 120, {"crew": 1}, 10)


def placed(grid: list[list[object]]) -> dict[str, date]:
    return {e.title: cell.day for week in grid for cell in week for e in cell.events}  # type: ignore[attr-defined]


def test_trips_sit_in_their_own_day_and_never_in_padding_cells() -> None:
    events = [
        trip("first", datetime(2026, 11, 1, 17, tzinfo=UTC)),  # Nov 1, 10:00 local
        trip("last", datetime(2026, 12, 1, 4, tzinfo=UTC)),  # Nov 30, 20:00 local
        trip("december", datetime(2026, 12, 4, 18, tzinfo=UTC)),  # shown as padding before
        trip("october", datetime(2026, 10, 28, 18, tzinfo=UTC)),
    ]
    grid = month_grid(events, TZ, NOVEMBER)
    assert placed(grid) == {"first": date(2026, 11, 1), "last": date(2026, 11, 30)}
    padding = [cell for week in grid for cell in week if cell.day is None]
    # Nov 2026 starts on a Sunday and ends on a Monday: 6 days before, 6 after
    assert len(padding) == 12 and not any(cell.events for cell in padding)
    assert all(len(week) == 7 for week in grid)
    assert [c.day for c in grid[0]][-1] == date(2026, 11, 1)


def test_the_next_month_shows_its_own_trip() -> None:
    december = trip("december", datetime(2026, 12, 4, 18, tzinfo=UTC))
    grid = month_grid([december], TZ, date(2026, 12, 1))
    assert placed(grid) == {"december": date(2026, 12, 4)}
