"""The rules on events: create, change and cancel (admins, in their entities), what a
page shows of one, the upcoming list, and the nudge plan.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.errors import Conflict, Invalid
from core.ops.float_plan import FloatPlan
from core.ops.models import SLOT_ROLES, Claim, Event, OpsUser, default_checklist
from core.ops.nudges import HORIZON as NUDGE_HORIZON
from core.ops.nudges import MARK_LIFE, Reminder, due_nudges, nudge_key, recipients
from core.ops.offers import Offer, live_offers
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import event_fields, require_role
from core.ops.rules.float_plans import departure_opens
from core.ops.timing import Timing, trip_timing

if TYPE_CHECKING:
    from core.ops.go_no_go import TripWeather

# the upcoming list (Operations page, GET /api/events): trips since 12 h ago, 90 days ahead
UPCOMING_SINCE = timedelta(hours=12)
UPCOMING_AHEAD = timedelta(days=90)


@dataclass(frozen=True)
class EventView:
    """An event with its timing, claims, checklist progress and guest counts."""

    event: Event
    timing: Timing
    claims: list[Claim]
    checklist_done: int
    checklist_total: int
    guests_on_hold: int
    guests_total: int
    offers: tuple[Offer, ...] = ()  # the open offers that can still be taken
    float_plan: FloatPlan | None = None  # filed on "Departed", closed by "Back"
    weather: TripWeather | None = None  # one event's view only (``view``): lists leave it out

    def open_slots(self, role: str) -> int:
        """Slots of ``role`` nobody holds."""
        return self.event.slots.get(role, 0) - sum(1 for c in self.claims if c.role == role)


class EventRules(OpsRules):
    """Events: create, update, cancel, view, list, and plan the reminders."""

    def create_event(self, actor: OpsUser, data: dict[str, Any]) -> Event:
        """A new scheduled event with the default checklist (admin)."""
        require_role(actor, "admin")
        fields: dict[str, str] = {}
        required = ("entity", "title", "starts_at", "duration_minutes", "slots", "guests_max")
        for name in required:
            if name not in data:
                fields[name] = "required"
        values = event_fields(data, fields)
        if fields:
            raise Invalid("event not created", fields=fields)
        self._require_entity(actor, values["entity"])
        event = Event(
            id=uuid.uuid4().hex[:12],
            entity=values["entity"],
            title=values["title"],
            vessel=values.get("vessel", ""),
            starts_at=values["starts_at"],
            duration_minutes=values["duration_minutes"],
            slots=values["slots"],
            guests_max=values["guests_max"],
            created_at=self.clock(),
        )
        return self._store.create_event(event, default_checklist(event.id))

    def update_event(self, actor: OpsUser, event_id: str, data: dict[str, Any]) -> Event:
        """Change an event's fields (admin); fewer slots than holders is refused."""
        require_role(actor, "admin")
        event = self.event(actor, event_id)
        fields: dict[str, str] = {}
        values = event_fields(data, fields)
        if fields:
            raise Invalid("event not changed", fields=fields)
        self._require_entity(actor, values.get("entity", event.entity))
        updated = replace(event, **values)
        held = self._store.claims(event_id)
        for role in SLOT_ROLES:
            if sum(1 for c in held if c.role == role) > updated.slots.get(role, 0):
                raise Conflict(
                    f"{role} slots cannot drop below the people holding them", code="slots_held"
                )
        return self._store.save_event(updated)

    def cancel_event(self, actor: OpsUser, event_id: str) -> Event:
        """Mark an event cancelled (admin); its records stay for the log."""
        return self.update_event(actor, event_id, {"status": "cancelled"})

    def timing(self, event: Event) -> Timing:
        """Boarding, departure, return, sunset and dusk of an event."""
        return trip_timing(
            event.starts_at, event.duration_minutes, tz=self.tz, lat=self.lat, lon=self.lon
        )

    def view(self, actor: OpsUser, event_id: str) -> EventView:
        """Everything the Operations page shows about one event the actor may see, with its
        weather (``WeatherRules.trip_weather``: cached, never fetched per listed event)."""
        event = self.event(actor, event_id)
        return replace(self.describe(event), weather=self.trip_weather(event))

    def describe(self, event: Event) -> EventView:
        """The view of an event the caller already chose (schedules and reports, which pick
        events by their own scope); no authorization here."""
        event_id = event.id
        items = self._store.checklist(event_id)
        guests = self._store.guests(event_id)
        claims = self._store.claims(event_id)
        return EventView(
            event=event,
            timing=self.timing(event),
            claims=claims,
            checklist_done=sum(1 for i in items if i.done),
            checklist_total=len(items),
            guests_on_hold=sum(1 for g in guests if g.status == "on_hold"),
            guests_total=len(guests),
            offers=tuple(live_offers(self._store.event_offers(event_id), claims, self.clock())),
            # a trip further out than "Departed" opens has none: no read (the list's usual case)
            float_plan=(
                self._store.float_plan(event_id) if self.clock() >= departure_opens(event) else None
            ),
        )

    def events(self, actor: OpsUser, start: datetime, end: datetime) -> list[Event]:
        """Events starting in [start, end) that the actor may see (``sees``)."""
        return [e for e in self._store.list_events(start, end) if self.sees(actor, e)]

    def upcoming(
        self,
        actor: OpsUser,
        now: datetime | None = None,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[Event]:
        """The actor's upcoming list: events from ``start`` (default UPCOMING_SINCE before
        ``now``) to ``end`` (default UPCOMING_AHEAD after it)."""
        now = now or self.clock()
        return self.events(actor, start or now - UPCOMING_SINCE, end or now + UPCOMING_AHEAD)

    def scheduled(
        self, start: datetime, end: datetime, entities: Collection[str] | None = None
    ) -> list[EventView]:
        """Views of the scheduled events of ``entities`` (None: all) starting in [start, end):
        for schedules and reports, which choose their own scope; no authorization here."""
        return [
            self.describe(e)
            for e in self._store.list_events(start, end)
            if e.status == "scheduled" and (entities is None or e.entity in entities)
        ]

    def nudge_plan(self, now: datetime, *, skipped: list[Reminder] | None = None) -> list[Reminder]:
        """The reminders to send now, each marked sent first so that it goes out once per
        event, kind and local day however often (or concurrently) the schedule fires.
        ``skipped`` (if given) receives the due ones already sent today (for the run's log)."""
        out = []
        day = now.astimezone(self.tz).date()
        users: list[OpsUser] | None = None
        for view in self.scheduled(now, now + NUDGE_HORIZON):
            for nudge in due_nudges(view, now):
                users = self._store.list_users() if users is None else users
                to = recipients(users, view, nudge)
                to = self.present(to, users, view)  # type: ignore[attr-defined]  # availability
                if not to or not self._store.first_time(nudge_key(nudge, day), now + MARK_LIFE):
                    if skipped is not None and to:  # due, but already sent today
                        skipped.append(Reminder(nudge, view, to))
                    continue
                out.append(Reminder(nudge, view, to))
        out += self.offer_reminders(now, skipped=skipped)  # OfferRules: once per offer
        out += self.safety_reminders(now, skipped=skipped)  # FloatPlanRules: overdue, waivers
        out += self.weather_reminders(now, skipped=skipped)  # WeatherRules: a no-go, once
        return out
