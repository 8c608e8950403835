"""The calendar feed as RFC 5545 text, built with ``icalendar`` (imported on first use: it
stays off the API's cold-start path)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.ops.models import Event
from core.ops.timing import Timing


@dataclass(frozen=True)
class FeedEntry:
    """One trip in a person's feed: the trip, its timing, their role and the change count."""

    event: Event
    timing: Timing
    role: str
    sequence: int


def feed_ics(entries: list[FeedEntry], *, name: str, domain: str, now: datetime) -> bytes:
    """A VCALENDAR with one VEVENT per entry; the UID ``<event id>@<domain>`` is stable, so a
    calendar app updates the same entry when the trip changes (SEQUENCE grows)."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    cal = Calendar()
    cal.add("prodid", "-//Charter operations//Crew calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Trips: {name}")
    for entry in entries:
        e = entry.event
        vessel = e.vessel or "vessel to be confirmed"
        item = VEvent()
        item.add("uid", f"{e.id}@{domain}")
        item.add("dtstamp", now)
        item.add("dtstart", entry.timing.boarding_at)
        item.add("dtend", entry.timing.return_at)
        item.add("summary", e.title)
        item.add("location", vessel)
        item.add(
            "description",
            f"Role: {entry.role}\nVessel: {vessel}\n"
            f"Boarding {entry.timing.boarding_at:%H:%M}, "
            f"departure {entry.timing.departure_at:%H:%M}, back {entry.timing.return_at:%H:%M}",
        )
        item.add("sequence", entry.sequence)
        item.add("status", "CANCELLED" if e.status == "cancelled" else "CONFIRMED")
        cal.add_component(item)
    return cal.to_ical()
