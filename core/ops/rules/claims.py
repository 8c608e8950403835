"""The rules on crew slots: who may claim which role, and late release."""

from __future__ import annotations

from datetime import timedelta

from core.errors import Conflict, Forbidden, Invalid
from core.ops.models import SLOT_ROLES, Claim, OpsUser
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import require_role

LATE_RELEASE = timedelta(hours=24)


class ClaimRules(OpsRules):
    """Claims: take a slot, give it back."""

    def claim(self, actor: OpsUser, event_id: str, role: str) -> Claim:
        """Take a slot: captains need a licence valid past the return; crew slots are open to
        crew and captains; one slot per person per event; no overlapping trips."""
        require_role(actor, "captain", "crew")
        if role not in SLOT_ROLES:
            raise Invalid("no such slot role", fields={"role": f"one of {', '.join(SLOT_ROLES)}"})
        event = self.event(actor, event_id)
        if event.status != "scheduled":
            raise Conflict(f"event {event_id} is {event.status}", code="event_closed")
        if event.starts_at <= self.clock():
            raise Conflict(f"event {event_id} has already departed", code="event_closed")
        if role == "captain":
            if actor.role != "captain":
                raise Forbidden("only a captain can take a captain slot", code="not_qualified")
            returns = event.ends_at.astimezone(self.tz).date()
            if actor.licence_expires is None or actor.licence_expires <= returns:
                raise Forbidden(
                    "your captain's licence must be valid past the trip's return",
                    code="not_qualified",
                )
        return self._store.claim(event, role, actor.id, self.clock())

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
