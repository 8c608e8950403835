"""Float plan records: what a captain leaves ashore on departure, and who ashore watches it.

Plain frozen dataclasses with their own JSON shape (both stores keep them as a JSON body).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from core.errors import Conflict
from core.ops.models import utcnow

OVERDUE_AFTER = timedelta(minutes=30)  # past the ETA without "Back": the trip is overdue
ESCALATE_AFTER = timedelta(hours=2)  # the second, escalated notice


@dataclass(frozen=True)
class FloatPlan:
    """A departed trip: when it left, when it is due back, how many aboard; open until
    ``returned_at`` is set by "Back"."""

    event_id: str
    entity: str
    departed_at: datetime
    eta: datetime
    souls_on_board: int
    by: str  # the user id that tapped "Departed"
    returned_at: datetime | None = None
    returned_by: str | None = None

    @property
    def open(self) -> bool:
        """True while the trip is out (no "Back" yet)."""
        return self.returned_at is None

    def overdue_by(self, now: datetime) -> timedelta | None:
        """How far past its ETA an open plan is, once OVERDUE_AFTER has passed; else None."""
        late = now - self.eta
        return late if self.open and late >= OVERDUE_AFTER else None


@dataclass(frozen=True)
class ShoreContact:
    """The person ashore an entity's overdue trips are reported to."""

    entity: str
    email: str
    name: str = ""
    phone: str = ""
    updated_by: str = ""
    updated_at: datetime = field(default_factory=utcnow)


def _iso(t: datetime | None, tz: tzinfo | None = None) -> str | None:
    if t is None:
        return None
    return (t.astimezone(tz) if tz else t).isoformat()


def _time(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def plan_to_json(plan: FloatPlan, tz: tzinfo | None = None) -> dict[str, Any]:
    """The stored (and API) shape of a plan: ISO times, in ``tz`` if given."""
    return {
        "event_id": plan.event_id,
        "entity": plan.entity,
        "departed_at": _iso(plan.departed_at, tz),
        "eta": _iso(plan.eta, tz),
        "souls_on_board": plan.souls_on_board,
        "by": plan.by,
        "returned_at": _iso(plan.returned_at, tz),
        "returned_by": plan.returned_by,
    }


def plan_from_json(data: dict[str, Any]) -> FloatPlan:
    """The plan ``plan_to_json`` wrote."""
    return FloatPlan(
        event_id=data["event_id"],
        entity=data["entity"],
        departed_at=datetime.fromisoformat(data["departed_at"]),
        eta=datetime.fromisoformat(data["eta"]),
        souls_on_board=int(data["souls_on_board"]),
        by=data["by"],
        returned_at=_time(data.get("returned_at")),
        returned_by=data.get("returned_by"),
    )


def contact_to_json(contact: ShoreContact) -> dict[str, Any]:
    """The stored (and API) shape of a shore contact."""
    return {
        "entity": contact.entity,
        "email": contact.email,
        "name": contact.name,
        "phone": contact.phone,
        "updated_by": contact.updated_by,
        "updated_at": contact.updated_at.isoformat(),
    }


def contact_from_json(data: dict[str, Any]) -> ShoreContact:
    """The contact ``contact_to_json`` wrote."""
    return ShoreContact(
        entity=data["entity"],
        email=data["email"],
        name=data.get("name", ""),
        phone=data.get("phone", ""),
        updated_by=data.get("updated_by", ""),
        updated_at=datetime.fromisoformat(data["updated_at"]),
    )


def already_departed(event_id: str) -> Conflict:
    """The trip has a float plan already ("Departed" was tapped)."""
    return Conflict(f"event {event_id} has already departed", code="already_departed")


def not_departed(event_id: str) -> Conflict:
    """Back before Departed."""
    return Conflict(f"event {event_id} has not departed", code="not_departed")


def already_returned(event_id: str) -> Conflict:
    """Back twice."""
    return Conflict(f"event {event_id} is already back", code="already_returned")
