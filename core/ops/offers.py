"""Slot offers: a holder offers their slot, a qualified person takes it (one atomic move).

The record and what is pure about it: which offers are live, the Conflicts the stores raise,
and the "a slot is offered" email of the ``ptb_nudge`` run. The rules are in
``core.ops.rules.offers``; the storage in ``core.ops.sqlite.offers`` / ``dynamodb.offers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.errors import Conflict
from core.ops.models import Claim
from core.ops.nudges import Reminder

OFFER_STATUSES = ("open", "taken", "cancelled")
MARK_AFTER_CLOSE = timedelta(days=1)  # the once-only "slot offered" mark outlives the offer


@dataclass(frozen=True)
class Offer:
    """A slot its holder offers to anyone qualified; open until taken, cancelled or departure."""

    id: str
    event_id: str
    role: str
    slot_no: int
    offered_by: str
    created_at: datetime
    closes_at: datetime  # the trip's departure
    status: str = "open"
    taken_by: str | None = None
    ended_at: datetime | None = None  # when it was taken or cancelled


def live_offers(offers: Iterable[Offer], claims: Iterable[Claim], now: datetime) -> list[Offer]:
    """The open offers that can still be taken: before departure, and the slot still held by
    the person who offered it (an offerer who released the slot left a stale offer)."""
    holders = {(c.role, c.slot_no): c.user_id for c in claims}
    return [
        o
        for o in offers
        if o.status == "open"
        and now < o.closes_at
        and holders.get((o.role, o.slot_no)) == o.offered_by
    ]


def offer_exists(event_id: str) -> Conflict:
    """The slot already has an open offer."""
    return Conflict(f"your slot on event {event_id} is already offered", code="offer_exists")


def offer_taken(offer_id: str) -> Conflict:
    """Someone took the offer first."""
    return Conflict(f"offer {offer_id} was taken by someone else", code="offer_taken")


def offer_closed(offer_id: str) -> Conflict:
    """The offer was cancelled, the trip departed, or the offerer no longer holds the slot."""
    return Conflict(f"offer {offer_id} is closed", code="offer_closed")


def not_open(offer: Offer) -> Conflict:
    """Why an offer that is no longer open cannot be taken or cancelled."""
    return offer_taken(offer.id) if offer.status == "taken" else offer_closed(offer.id)


@dataclass(frozen=True)
class OfferReminder(Reminder):
    """The once-per-offer email to the people who could take it."""

    offer: Offer | None = None
    offered_by_name: str = ""

    @property
    def subject(self) -> str:
        """One header-safe line."""
        line = f"A slot is offered on {self.view.event.title} ({self._departs})"
        return " ".join(line.split())

    @property
    def text(self) -> str:
        """The message body."""
        role = self.offer.role if self.offer else "crew"
        who = self.offered_by_name or "A crew member"
        return (
            f"{who} offers their {role} slot on {self.view.event.title}, "
            f"departing {self._departs}.\n"
            "Open the crew app to take it: the first to take it gets the slot.\n"
        )


def offer_to_dict(offer: Offer) -> dict[str, object]:
    """An offer as JSON-able values (ISO times), as both stores keep it."""
    return {
        "id": offer.id,
        "event_id": offer.event_id,
        "role": offer.role,
        "slot_no": offer.slot_no,
        "offered_by": offer.offered_by,
        "created_at": offer.created_at.isoformat(),
        "closes_at": offer.closes_at.isoformat(),
        "status": offer.status,
        "taken_by": offer.taken_by,
        "ended_at": offer.ended_at.isoformat() if offer.ended_at else None,
    }


def offer_from_dict(data: dict[str, Any]) -> Offer:
    """The offer ``offer_to_dict`` wrote."""
    ended = data.get("ended_at")
    return Offer(
        id=data["id"],
        event_id=data["event_id"],
        role=data["role"],
        slot_no=int(data["slot_no"]),
        offered_by=data["offered_by"],
        created_at=datetime.fromisoformat(data["created_at"]),
        closes_at=datetime.fromisoformat(data["closes_at"]),
        status=data["status"],
        taken_by=data.get("taken_by"),
        ended_at=datetime.fromisoformat(ended) if ended else None,
    )
