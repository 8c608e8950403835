"""The rules of availability ([crew-plus]): each person's unavailable windows, who is free
for a trip (the admin's slot board), and the nudges that skip people away for a trip."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from core.errors import Invalid
from core.instants import EXPECTED, parse_instant
from core.ops.calendar_records import Away
from core.ops.models import SLOT_ROLES, Event, OpsUser, in_scope
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import require_role

if TYPE_CHECKING:
    from core.ops.rules.events import EventView

MAX_WINDOWS = 100
MAX_WINDOW = timedelta(days=365)
PAST_GRACE = timedelta(days=1)  # a window may end at most this long ago


class AvailabilityRules(OpsRules):
    """Unavailable windows: set, read, and who is free for a trip."""

    def availability(self, actor: OpsUser) -> list[Away]:
        """The actor's unavailable windows (anyone but a guest)."""
        require_role(actor, "admin", "captain", "crew")
        return self._store.availability(actor.id)

    def set_availability(self, actor: OpsUser, data: Any) -> list[Away]:
        """Replace the actor's windows with ``data["unavailable"]`` (a list of ``{"from",
        "to"}`` ISO times with offsets); Invalid naming every bad field, nothing stored."""
        require_role(actor, "admin", "captain", "crew")
        windows = self._windows(data)
        self._store.set_availability(actor.id, windows)
        return self._store.availability(actor.id)

    def _windows(self, data: Any) -> list[Away]:
        raw = data.get("unavailable") if isinstance(data, dict) else None
        if not isinstance(raw, list) or len(raw) > MAX_WINDOWS:
            raise Invalid(
                "availability not saved",
                fields={"unavailable": f"a list of at most {MAX_WINDOWS} {{from, to}} windows"},
            )
        fields: dict[str, str] = {}
        out = []
        for n, item in enumerate(raw):
            name = f"unavailable[{n}]"
            if not isinstance(item, dict):
                fields[name] = "an object {from, to}"
                continue
            ends = {}
            for part in ("from", "to"):
                try:
                    ends[part] = parse_instant(item.get(part), part)
                except Invalid:
                    fields[f"{name}.{part}"] = EXPECTED
            if len(ends) < 2:
                continue
            start, end = ends["from"], ends["to"]
            if start >= end:
                fields[f"{name}.to"] = "after from"
            elif end - start > MAX_WINDOW:
                fields[f"{name}.to"] = f"at most {MAX_WINDOW.days} days after from"
            elif end < self.clock() - PAST_GRACE:
                fields[f"{name}.to"] = "not more than a day in the past"
            else:
                out.append(Away(start, end))
        if fields:
            raise Invalid("availability not saved", fields=fields)
        return out

    def away_for(self, user_id: str, event: Event) -> bool:
        """True when the user marked themselves unavailable during the trip."""
        return any(
            w.overlaps(event.starts_at, event.ends_at) for w in self._store.availability(user_id)
        )

    def available_crew(self, actor: OpsUser, event_id: str) -> list[OpsUser]:
        """The captains and crew of the trip's entity an admin could ask: not on the trip,
        not holding a clashing trip, not unavailable (admin, in their entities)."""
        require_role(actor, "admin")
        event = self.event(actor, event_id)
        self._require_entity(actor, event.entity)
        on_trip = {c.user_id for c in self._store.claims(event.id)}
        free = []
        for user in self._store.list_users():
            if user.role not in SLOT_ROLES or user.id in on_trip:
                continue
            if not in_scope(user.entities, event.entity):
                continue
            clashes = any(
                c.event_id != event.id
                and c.starts_at < event.ends_at
                and event.starts_at < c.ends_at
                for c in self._store.user_claims(user.id)
            )
            if not clashes and not self.away_for(user.id, event):
                free.append(user)
        return sorted(free, key=lambda u: (u.role, u.name.lower()))

    def present(self, to: list[str], users: Iterable[OpsUser], view: EventView) -> list[str]:
        """``to`` without the captains and crew unavailable for the trip (admins always hear)."""
        away = {
            u.email
            for u in users
            if u.role in SLOT_ROLES and u.email in to and self.away_for(u.id, view.event)
        }
        return [a for a in to if a not in away]
