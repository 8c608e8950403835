"""The rules on guests: the admin's manifest, the captain's view of it, and boarding."""

from __future__ import annotations

import secrets
import time

from core.errors import Conflict, Forbidden, Invalid
from core.ops.models import Event, Guest, OpsUser
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import email_field, require_role, text_field


def _sortable_id() -> str:
    """Unique and increasing in creation order (keeps manifests in the order guests came)."""
    return f"{time.time_ns():x}{secrets.token_hex(2)}"


class GuestRules(OpsRules):
    """Guests: add, list, read one, check in."""

    def add_guest(self, actor: OpsUser, event_id: str, *, email: str, name: str) -> Guest:
        """Put a guest on the manifest, on hold until they sign the waiver (admin)."""
        require_role(actor, "admin")
        fields: dict[str, str] = {}
        email = email_field(fields, "email", email)
        name = text_field(fields, "name", name)
        if fields:
            raise Invalid("guest not added", fields=fields)
        event = self.event(actor, event_id)
        if event.status != "scheduled":
            raise Conflict(f"event {event_id} is {event.status}", code="event_closed")
        guest = Guest(event_id, _sortable_id(), email, name, added_at=self.clock())
        return self._store.add_guest(guest, event.guests_max)

    def manifest(self, actor: OpsUser, event_id: str) -> list[Guest]:
        """The guest list with statuses, for admins and the event's captain."""
        self._captain_or_admin(actor, event_id)
        return self._store.guests(event_id)

    def guest(self, actor: OpsUser, event_id: str, guest_id: str) -> tuple[Event, Guest]:
        """One guest of an event in the admin's scope (e.g. to send their waiver link)."""
        require_role(actor, "admin")
        event = self.event(actor, event_id)
        return event, self._store.get_guest(event_id, guest_id)

    def _captain_or_admin(self, actor: OpsUser, event_id: str) -> None:
        self.event(actor, event_id)
        if actor.role == "admin":
            return
        if not any(
            c.user_id == actor.id and c.role == "captain" for c in self._store.claims(event_id)
        ):
            raise Forbidden("only admins and the event's captain may do this")

    def check_in(self, actor: OpsUser, event_id: str, guest_id: str) -> Guest:
        """Board a guest; refused while they are on hold."""
        self._captain_or_admin(actor, event_id)
        return self._store.check_in(event_id, guest_id, self.clock())
