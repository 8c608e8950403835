"""What every part of the ops rules shares: the store (kept private), the clock and place, and
the one visibility rule (``sees``, ``event``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from core.errors import Forbidden, NotFound
from core.ops.models import Event, OpsUser, in_scope, utcnow
from core.ops.store import OpsStore


class OpsRules:
    """The store, time zone, home port and clock the rules work over."""

    def __init__(
        self,
        store: OpsStore,
        *,
        tz: ZoneInfo,
        lat: float,
        lon: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store  # private: every reader goes through a rule below
        self.tz = tz
        self.lat = lat
        self.lon = lon
        self.clock = clock

    def sees(self, actor: OpsUser, event: Event) -> bool:
        """The one visibility rule: a guest sees the events whose manifest has their email;
        everyone else sees the events of their entities."""
        if actor.role == "guest":
            return any(g.email == actor.email for g in self._store.guests(event.id))
        return in_scope(actor.entities, event.entity)

    def event(self, actor: OpsUser, event_id: str) -> Event:
        """One event the actor may see; NotFound otherwise (existence stays private)."""
        event = self._store.get_event(event_id)
        if not self.sees(actor, event):
            raise NotFound(f"no event {event_id}")
        return event

    def _require_entity(self, actor: OpsUser, entity: str) -> None:
        if not in_scope(actor.entities, entity):
            raise Forbidden(f"you do not manage events of {entity}", code="forbidden")
