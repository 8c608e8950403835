"""The rules on crew slots: who may claim which role, and late release."""

from __future__ import annotations

from datetime import timedelta

from core.errors import Conflict, Forbidden, Invalid
from core.ops.models import SLOT_ROLES, Claim, Event, OpsUser
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import require_role

LATE_RELEASE = timedelta(hours=24)


def slot_taker(actor: OpsUser, role: str) -> None:
    """Forbidden unless a captain or crew member; Invalid unless ``role`` is a slot role."""
    require_role(actor, "captain", "crew")
    if role not in SLOT_ROLES:
        raise Invalid("no such slot role", fields={"role": f"one of {', '.join(SLOT_ROLES)}"})


class ClaimRules(OpsRules):
    """Claims: take a slot, give it back."""

    def claim(self, actor: OpsUser, event_id: str, role: str) -> Claim:
        """Take a free slot: the actor must be ``qualify``-ed for it; one slot per person per
        event and no overlapping trips (the store refuses those atomically)."""
        slot_taker(actor, role)  # before the event is read: bad input is refused for any id
        event = self.event(actor, event_id)
        self.qualify(actor, event, role)
        return self._store.claim(event, role, actor.id, self.clock())

    def qualify(self, actor: OpsUser, event: Event, role: str) -> None:
        """Refuse unless the actor may hold a ``role`` slot on ``event`` now (claims and taken
        offers alike): captains and crew only, crew slots open to both, captain slots to
        captains whose licence is valid past the return, and the trip still scheduled and not
        departed. Scope is the caller's ``event`` lookup; clashes are the store's."""
        slot_taker(actor, role)
        self.require_open(event)
        if role == "captain":
            if actor.role != "captain":
                raise Forbidden("only a captain can take a captain slot", code="not_qualified")
            returns = event.ends_at.astimezone(self.tz).date()
            if actor.licence_expires is None or actor.licence_expires <= returns:
                raise Forbidden(
                    "your captain's licence must be valid past the trip's return",
                    code="not_qualified",
                )

    def require_open(self, event: Event) -> None:
        """Conflict ``event_closed`` once the trip is cancelled, completed or departed."""
        if event.status != "scheduled":
            raise Conflict(f"event {event.id} is {event.status}", code="event_closed")
        if event.starts_at <= self.clock():
            raise Conflict(f"event {event.id} has already departed", code="event_closed")

    def release(self, actor: OpsUser, event_id: str, user_id: str | None = None) -> None:
        """Give back a slot; within 24 h of departure only an admin may; admins remove anyone
        from the events they manage."""
        target = user_id or actor.id
        if target != actor.id:
            require_role(actor, "admin")
        event = self.event(actor, event_id)
        if actor.role != "admin" and event.starts_at - self.clock() < LATE_RELEASE:
            raise Conflict(
                "within 24 hours of departure only an admin can release a slot",
                code="late_release",
            )
        self._store.release(event_id, target)
