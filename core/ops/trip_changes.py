"""Who hears about a late change to a trip, and what they read (calendar apps refresh feeds
only every few hours, so a change close to departure is emailed too).

Pure: the rules gather the trip's people; the access service sends what this returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.ops.models import Event

CHANGE_WINDOW = timedelta(hours=48)  # a change this close to departure (old or new) is emailed
# the fields a calendar entry shows: a change to one of them is a new SEQUENCE of the entry
CALENDAR_FIELDS = ("title", "vessel", "starts_at", "duration_minutes", "status")


@dataclass(frozen=True)
class TripChangeMail:
    """One email to one person about a changed trip."""

    to: str
    subject: str
    text: str


def calendar_changed(before: Event, after: Event) -> bool:
    """True when the trip's calendar entry reads differently after the change."""
    return any(getattr(before, f) != getattr(after, f) for f in CALENDAR_FIELDS)


def _when(t: datetime, tz: ZoneInfo) -> str:
    return t.astimezone(tz).strftime("%a %-d %b %H:%M")


def what_changed(before: Event, after: Event, tz: ZoneInfo) -> list[str]:
    """One line per change people must know of: time, duration, vessel, cancellation."""
    lines = []
    if after.status == "cancelled" and before.status != "cancelled":
        lines.append("The trip is cancelled.")
    if before.starts_at != after.starts_at:
        lines.append(
            f"Departure: {_when(before.starts_at, tz)} -> now {_when(after.starts_at, tz)}."
        )
    if before.duration_minutes != after.duration_minutes:  # a move alone keeps the length
        lines.append(
            f"Back at the dock: {_when(before.ends_at, tz)} -> now {_when(after.ends_at, tz)} "
            f"({after.duration_minutes} minutes)."
        )
    if before.vessel != after.vessel:
        lines.append(f"Vessel: {before.vessel or 'not set'} -> now {after.vessel or 'not set'}.")
    return lines


def change_mails(
    before: Event, after: Event, people: Iterable[str], *, now: datetime, tz: ZoneInfo
) -> list[TripChangeMail]:
    """One email per person on the trip when its time, duration or vessel changed, or it was
    cancelled, within CHANGE_WINDOW of its old or new departure; none otherwise."""
    lines = what_changed(before, after, tz)
    soon = any(
        timedelta(0) < departs - now <= CHANGE_WINDOW
        for departs in (before.starts_at, after.starts_at)
    )
    if not lines or not soon:
        return []
    cancelled = after.status == "cancelled" and before.status != "cancelled"
    subject = " ".join(
        f"{'Cancelled' if cancelled else 'Changed'}: {after.title} "
        f"({_when(before.starts_at, tz)})".split()
    )
    text = (
        f"{after.title} ({_when(before.starts_at, tz)}) has changed:\n\n"
        + "\n".join(f"- {line}" for line in lines)
        + "\n\nYour calendar will catch up on its next refresh.\n"
    )
    return [TripChangeMail(to, subject, text) for to in sorted(set(people))]
