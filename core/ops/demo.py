"""Demo operations: crew, upcoming trips, a few claims, guests and ticks (for a first look).

Trips are timed the way a charter desk would: sunset trips leave a while before that day's
sunset (from astral, at the home port) and come back around civil dusk; day sails are back
well before sunset even in December.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.ops.models import OpsUser
from core.ops.service import OpsService
from core.ops.timing import trip_timing

CREW = [
    ("captain.cal@example.com", "Cal Ortega", "captain", date(2028, 3, 31)),
    ("captain.rae@example.com", "Rae Lindqvist", "captain", date(2027, 8, 15)),
    ("crew.mo@example.com", "Mo Becker", "crew", None),
    ("crew.ines@example.com", "Inés Duarte", "crew", None),
    ("crew.tj@example.com", "TJ Park", "crew", None),
]
SLOT = timedelta(minutes=15)  # departures are on the quarter hour, as a booking page shows them


@dataclass(frozen=True)
class DemoTrip:
    """A demo trip: a fixed local departure (``hour``) or one set by that day's sunset."""

    days: int  # from today
    title: str
    crew: int
    guests: int
    hour: float = 0.0  # local departure hour of a day trip
    minutes: int = 0  # length; 0 on a sunset trip: back at civil dusk
    before_sunset: timedelta | None = None  # sunset trips leave this long before sunset


TRIPS = [
    DemoTrip(2, "Sunset sail", 2, 6, before_sunset=timedelta(minutes=90)),
    DemoTrip(4, "Whale watching", 2, 6, hour=10.0, minutes=240),
    # dinner with the sunset, home after dark: a harbour dinner cruise is meant to
    DemoTrip(5, "Anniversary dinner cruise", 1, 4, minutes=180, before_sunset=timedelta(hours=1)),
    DemoTrip(9, "Coronado day sail", 2, 6, hour=10.0, minutes=300),
    DemoTrip(13, "Harbor sunset", 1, 6, before_sunset=timedelta(minutes=45)),
]
GUESTS = [("ana.guest@example.com", "Ana Ruiz"), ("ben.guest@example.com", "Ben Cho")]


def _floor(moment: datetime, step: timedelta) -> datetime:
    """``moment`` rounded down to a multiple of ``step`` past midnight."""
    midnight = datetime.combine(moment.date(), time(), tzinfo=moment.tzinfo)
    return midnight + ((moment - midnight) // step) * step


def trip_window(ops: OpsService, trip: DemoTrip, day: date) -> tuple[datetime, int]:
    """Local departure and length in minutes of ``trip`` on ``day`` at the home port."""
    if trip.before_sunset is None:
        start = datetime.combine(day, time(), tzinfo=ops.tz) + timedelta(hours=trip.hour)
        return start, trip.minutes
    noon = datetime.combine(day, time(12), tzinfo=ops.tz)
    sun = trip_timing(noon, 0, tz=ops.tz, lat=ops.lat, lon=ops.lon)
    start = _floor(sun.sunset_at - trip.before_sunset, SLOT)
    if trip.minutes:
        return start, trip.minutes
    # back by civil dusk (five-minute steps): lights on, but no "returns after dusk" warning
    return start, (sun.civil_dusk_at - start) // timedelta(minutes=5) * 5


def seed_ops_demo(ops: OpsService, *, now: datetime) -> int:
    """Add demo crew and trips when the store has no user; returns the events added."""
    if ops.has_users():
        return 0
    admin = ops.add_user(email="owner@example.com", name="Owner", role="admin")
    crew = [ops.add_user(email=e, name=n, role=r, licence_expires=lic) for e, n, r, lic in CREW]
    today = now.astimezone(ops.tz).date()
    events = []
    for trip in TRIPS:
        start, minutes = trip_window(ops, trip, today + timedelta(days=trip.days))
        events.append(
            ops.create_event(
                admin,
                {
                    "entity": "QueenofSanDiego",
                    "title": trip.title,
                    "vessel": "JADA",
                    "starts_at": start.isoformat(),
                    "duration_minutes": minutes,
                    "slots": {"captain": 1, "crew": trip.crew},
                    "guests_max": trip.guests,
                },
            )
        )
    first, second = events[0], events[1]
    ops.claim(crew[0], first.id, "captain")
    ops.claim(crew[2], first.id, "crew")
    ops.claim(crew[1], second.id, "captain")
    for email, name in GUESTS:
        g = ops.add_guest(admin, first.id, email=email, name=name)
        if name == "Ana Ruiz":
            ops.sign_waiver(
                OpsUser(g.id, email, name, "guest"),  # as the guest's waiver link would
                first.id,
                {
                    "full_name": name,
                    "date_of_birth": "1988-02-14",
                    "emergency_contact_name": "Luis Ruiz",
                    "emergency_contact_phone": "+1 619 555 0142",
                    "signature": name,
                    "accept": True,
                },
            )
    ops.tick(crew[0], first.id, "pre_departure-1", True)
    return len(events)
