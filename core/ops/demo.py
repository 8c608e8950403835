"""Demo operations: crew, upcoming trips, a few claims, guests and ticks (for a first look)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.ops.models import OpsUser
from core.ops.service import OpsService

CREW = [
    ("captain.cal@example.com", "Cal Ortega", "captain", date(2028, 3, 31)),
    ("captain.rae@example.com", "Rae Lindqvist", "captain", date(2027, 8, 15)),
    ("crew.mo@example.com", "Mo Becker", "crew", None),
    ("crew.ines@example.com", "Inés Duarte", "crew", None),
    ("crew.tj@example.com", "TJ Park", "crew", None),
]
TRIPS = [  # days from today, local start hour, minutes, title, crew slots, guests max
    (2, 17.5, 150, "Sunset sail", 2, 6),
    (4, 10.0, 240, "Whale watching", 2, 6),
    (5, 18.0, 180, "Anniversary dinner cruise", 1, 4),
    (9, 11.0, 300, "Coronado day sail", 2, 6),
    (13, 16.5, 120, "Harbor sunset", 1, 6),
]
GUESTS = [("ana.guest@example.com", "Ana Ruiz"), ("ben.guest@example.com", "Ben Cho")]


def seed_ops_demo(ops: OpsService, *, now: datetime) -> int:
    """Add demo crew and trips when the store has no user; returns the events added."""
    if ops.store.list_users():
        return 0
    admin = ops.add_user(email="owner@example.com", name="Owner", role="admin")
    crew = [ops.add_user(email=e, name=n, role=r, licence_expires=lic) for e, n, r, lic in CREW]
    today = now.astimezone(ops.tz).date()
    events = []
    for days, hour, minutes, title, crew_slots, guests in TRIPS:
        day = today + timedelta(days=days)
        start = datetime(day.year, day.month, day.day, tzinfo=ops.tz) + timedelta(hours=hour)
        events.append(
            ops.create_event(
                admin,
                {
                    "entity": "QueenofSanDiego",
                    "title": title,
                    "vessel": "JADA",
                    "starts_at": start.isoformat(),
                    "duration_minutes": minutes,
                    "slots": {"captain": 1, "crew": crew_slots},
                    "guests_max": guests,
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
