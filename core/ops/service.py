"""Every charter-operations rule, once. The dashboard and the API are thin callers of this.

Actors are ``OpsUser`` values: records re-read by the caller for each request, or a
dashboard user's derived identity (``core.ops.actors``). Authorization is decided here, on
the server, never by the client: role, entity scope and, for guests, the manifest. An event
the actor may not see is reported as missing (NotFound), so its existence stays private.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import unicodedata
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.emails import email_problem
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.instants import parse_instant
from core.ops.models import (
    EVENT_STATUSES,
    SLOT_ROLES,
    USER_ROLES,
    ChecklistItem,
    Claim,
    Event,
    Guest,
    OpsUser,
    Scope,
    Waiver,
    default_checklist,
    in_scope,
    utcnow,
)
from core.ops.nudges import HORIZON as NUDGE_HORIZON
from core.ops.nudges import MARK_LIFE, Reminder, due_nudges, nudge_key, recipients
from core.ops.store import OpsStore, waiver_taken
from core.ops.timing import Timing, trip_timing

LATE_RELEASE = timedelta(hours=24)
# the limits of an event's fields (the dashboard's widgets use them too)
MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 14 * 24 * 60
MAX_SLOTS = 20  # per role
MAX_GUESTS = 500
MAX_TEXT = 200  # titles, names, signatures
MAX_VESSEL = 100
MAX_ENTITY = 64
MAX_PHONE = 40
# the upcoming list (Operations page, GET /api/events): trips since 12 h ago, 90 days ahead
UPCOMING_SINCE = timedelta(hours=12)
UPCOMING_AHEAD = timedelta(days=90)
WAIVER_VERSION = "2026-01"
WAIVER_TEXT = (
    "I understand that sailing involves risks, including injury. I will follow the captain's "
    "and crew's safety instructions, wear a life jacket when asked, and disclose any medical "
    "condition that may affect my safety. I release the operator from liability for injury "
    "not caused by its gross negligence."
)
WAIVER_SHA256 = hashlib.sha256(WAIVER_TEXT.encode()).hexdigest()


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

    def open_slots(self, role: str) -> int:
        """Slots of ``role`` nobody holds."""
        return self.event.slots.get(role, 0) - sum(1 for c in self.claims if c.role == role)


def _require(actor: OpsUser, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}", code="forbidden")


def has_control_chars(text: str) -> bool:
    """True when ``text`` holds a control character (CR, LF, TAB, NUL, ...: category Cc)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _text(
    fields: dict[str, str], name: str, value: Any, *, max_len: int = MAX_TEXT, required: bool = True
) -> str:
    raw = str(value or "")
    text = raw.strip()
    if has_control_chars(raw):  # checked before strip(): a trailing CR/LF is refused too
        # a line break in a title would end up in a mail header
        fields[name] = "no line breaks, tabs or other control characters"
    elif not text:
        if required:
            fields[name] = "required"
    elif len(text) > max_len:
        fields[name] = f"at most {max_len} characters"
    return text


def _email(fields: dict[str, str], name: str, value: Any) -> str:
    problem = email_problem(value)
    if problem is not None:
        fields[name] = problem
        return ""
    return str(value).strip(" ").lower()


def _sortable_id() -> str:
    """Unique and increasing in creation order (keeps manifests in the order guests came)."""
    return f"{time.time_ns():x}{secrets.token_hex(2)}"


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class OpsService:
    """The operations rules over one store."""

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

    # users ---------------------------------------------------------------------------------
    def add_user(
        self,
        *,
        email: str,
        name: str,
        role: str,
        licence_expires: date | None = None,
        entities: Scope = None,
    ) -> OpsUser:
        """Create a user working for ``entities`` (None: all). Admin tools (invites, the
        ``ops-admin`` bootstrap) call this after their own check."""
        fields: dict[str, str] = {}
        email = _email(fields, "email", email)
        name = _text(fields, "name", name)
        if role not in USER_ROLES:
            fields["role"] = f"one of {', '.join(USER_ROLES)}"
        if entities is not None and not entities:
            fields["entities"] = "at least one entity (or all)"
        if fields:
            raise Invalid("user not added", fields=fields)
        user = OpsUser(uuid.uuid4().hex, email, name, role, licence_expires, entities=entities)
        return self._store.add_user(user)

    def crew(self, actor: OpsUser) -> list[OpsUser]:
        """The non-guest users an admin works with: those sharing at least one of its
        entities (users over all entities are shared by everyone)."""
        _require(actor, "admin")
        return [
            u
            for u in self._store.list_users()
            if u.role != "guest"
            and (u.entities is None or actor.entities is None or u.entities & actor.entities)
        ]

    # accounts (for the access service and admin tools: no authorization here) --------------
    def user(self, user_id: str) -> OpsUser:
        """One user as stored; NotFound."""
        return self._store.get_user(user_id)

    def find_user(self, email: str) -> OpsUser | None:
        """The user with this email, if any."""
        return self._store.find_user(email)

    def save_user(self, user: OpsUser) -> OpsUser:
        """Replace an existing user's fields (re-invites, sign-out everywhere); the caller
        decided it may."""
        return self._store.save_user(user)

    def has_users(self) -> bool:
        """True once anyone was added (the demo seeds an empty store only)."""
        return bool(self._store.list_users())

    # who sees what ---------------------------------------------------------------------------
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

    # events --------------------------------------------------------------------------------
    def _event_fields(self, data: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if "entity" in data:
            out["entity"] = _text(fields, "entity", data["entity"], max_len=MAX_ENTITY)
        if "title" in data:
            out["title"] = _text(fields, "title", data["title"])
        if "vessel" in data:
            out["vessel"] = _text(
                fields, "vessel", data["vessel"], max_len=MAX_VESSEL, required=False
            )
        if "starts_at" in data:
            try:
                out["starts_at"] = parse_instant(data["starts_at"], "starts_at")
            except Invalid as exc:
                fields.update(exc.fields)
        if "duration_minutes" in data:
            d = data["duration_minutes"]
            if (
                not isinstance(d, int)
                or isinstance(d, bool)
                or not MIN_DURATION_MINUTES <= d <= MAX_DURATION_MINUTES
            ):
                fields["duration_minutes"] = (
                    f"whole minutes from {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES}"
                )
            else:
                out["duration_minutes"] = d
        if "slots" in data:
            slots = data["slots"]
            if (
                not isinstance(slots, dict)
                or set(slots) - set(SLOT_ROLES)
                or not all(
                    isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_SLOTS
                    for v in slots.values()
                )
            ):
                fields["slots"] = f"an object {{captain: 0-{MAX_SLOTS}, crew: 0-{MAX_SLOTS}}}"
            else:
                out["slots"] = {r: int(slots.get(r, 0)) for r in SLOT_ROLES}
        if "guests_max" in data:
            g = data["guests_max"]
            if not isinstance(g, int) or isinstance(g, bool) or not 0 <= g <= MAX_GUESTS:
                fields["guests_max"] = f"a whole number from 0 to {MAX_GUESTS}"
            else:
                out["guests_max"] = g
        if "status" in data:
            if data["status"] not in EVENT_STATUSES:
                fields["status"] = f"one of {', '.join(EVENT_STATUSES)}"
            else:
                out["status"] = data["status"]
        return out

    def create_event(self, actor: OpsUser, data: dict[str, Any]) -> Event:
        """A new scheduled event with the default checklist (admin)."""
        _require(actor, "admin")
        fields: dict[str, str] = {}
        required = ("entity", "title", "starts_at", "duration_minutes", "slots", "guests_max")
        for name in required:
            if name not in data:
                fields[name] = "required"
        values = self._event_fields(data, fields)
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
        _require(actor, "admin")
        event = self.event(actor, event_id)
        fields: dict[str, str] = {}
        values = self._event_fields(data, fields)
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
        """Everything the Operations page shows about one event the actor may see."""
        return self.describe(self.event(actor, event_id))

    def describe(self, event: Event) -> EventView:
        """The view of an event the caller already chose (schedules and reports, which pick
        events by their own scope); no authorization here."""
        event_id = event.id
        items = self._store.checklist(event_id)
        guests = self._store.guests(event_id)
        return EventView(
            event=event,
            timing=self.timing(event),
            claims=self._store.claims(event_id),
            checklist_done=sum(1 for i in items if i.done),
            checklist_total=len(items),
            guests_on_hold=sum(1 for g in guests if g.status == "on_hold"),
            guests_total=len(guests),
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

    def nudge_plan(self, now: datetime) -> list[Reminder]:
        """The reminders to send now, each marked sent first so that it goes out once per
        event, kind and local day however often (or concurrently) the schedule fires."""
        out = []
        day = now.astimezone(self.tz).date()
        users: list[OpsUser] | None = None
        for view in self.scheduled(now, now + NUDGE_HORIZON):
            for nudge in due_nudges(view, now):
                users = self._store.list_users() if users is None else users
                to = recipients(users, view, nudge)
                if not to or not self._store.first_time(nudge_key(nudge, day), now + MARK_LIFE):
                    continue
                out.append(Reminder(nudge, view, to))
        return out

    # claims --------------------------------------------------------------------------------
    def claim(self, actor: OpsUser, event_id: str, role: str) -> Claim:
        """Take a slot: captains need a licence valid past the return; crew slots are open to
        crew and captains; one slot per person per event; no overlapping trips."""
        _require(actor, "captain", "crew")
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
            _require(actor, "admin")
        event = self.event(actor, event_id)
        if actor.role != "admin" and event.starts_at - self.clock() < LATE_RELEASE:
            raise Conflict(
                "within 24 hours of departure only an admin can release a slot",
                code="late_release",
            )
        self._store.release(event_id, target)

    def _assigned(self, actor: OpsUser, event_id: str) -> bool:
        return any(c.user_id == actor.id for c in self._store.claims(event_id))

    # checklists ----------------------------------------------------------------------------
    def checklist(self, actor: OpsUser, event_id: str) -> list[ChecklistItem]:
        """An event's checklist, for its assigned crew and admins."""
        self.event(actor, event_id)
        if actor.role != "admin" and not self._assigned(actor, event_id):
            raise Forbidden("only the event's crew and admins see its checklist")
        return self._store.checklist(event_id)

    def tick(self, actor: OpsUser, event_id: str, item_id: str, done: bool) -> ChecklistItem:
        """Tick or untick an item, recording who and when."""
        self.checklist(actor, event_id)
        if not isinstance(done, bool):
            raise Invalid("done must be true or false", fields={"done": "true or false"})
        return self._store.set_item(event_id, item_id, done=done, by=actor.id, at=self.clock())

    # guests and waivers --------------------------------------------------------------------
    def add_guest(self, actor: OpsUser, event_id: str, *, email: str, name: str) -> Guest:
        """Put a guest on the manifest, on hold until they sign the waiver (admin)."""
        _require(actor, "admin")
        fields: dict[str, str] = {}
        email = _email(fields, "email", email)
        name = _text(fields, "name", name)
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
        _require(actor, "admin")
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

    def sign_waiver(self, actor: OpsUser, event_id: str, form: dict[str, Any]) -> Guest:
        """Record the signed waiver of the guest signed in as ``actor``; under-18s need a
        guardian's name and signature. The first waiver is kept: signing again is refused
        (``already_signed``, or ``already_checked_in`` once aboard)."""
        if actor.role != "guest":
            raise Forbidden("only the guest signs their own waiver, from their waiver link")
        event = self.event(actor, event_id)
        guest = next((g for g in self._store.guests(event_id) if g.email == actor.email), None)
        if guest is None:  # removed since ``_event`` looked
            raise NotFound(f"no event {event_id}")
        if guest.status != "on_hold":
            raise waiver_taken(guest)
        fields: dict[str, str] = {}
        full_name = _text(fields, "full_name", form.get("full_name"))
        contact = _text(fields, "emergency_contact_name", form.get("emergency_contact_name"))
        phone = _text(
            fields,
            "emergency_contact_phone",
            form.get("emergency_contact_phone"),
            max_len=MAX_PHONE,
        )
        signature = _text(fields, "signature", form.get("signature"))
        if form.get("accept") is not True:
            fields["accept"] = "the waiver must be accepted"
        born: date | None = None
        try:
            born = date.fromisoformat(str(form.get("date_of_birth", "")))
        except ValueError:
            fields["date_of_birth"] = "a date like 1990-04-30"
        trip_day = event.starts_at.astimezone(self.tz).date()
        guardian = guardian_sig = None
        if born is not None:
            if born >= trip_day:
                fields["date_of_birth"] = "must be before the trip"
            elif _age_on(born, trip_day) < 18:
                guardian = _text(fields, "guardian_name", form.get("guardian_name"))
                guardian_sig = _text(fields, "guardian_signature", form.get("guardian_signature"))
        if fields or born is None:
            raise Invalid("waiver not signed", fields=fields)
        waiver = Waiver(
            version=WAIVER_VERSION,
            text_sha256=WAIVER_SHA256,
            full_name=full_name,
            date_of_birth=born,
            emergency_contact_name=contact,
            emergency_contact_phone=phone,
            signature=signature,
            signed_at=self.clock(),
            guardian_name=guardian,
            guardian_signature=guardian_sig,
        )
        return self._store.sign_waiver(event_id, guest.id, waiver)

    def check_in(self, actor: OpsUser, event_id: str, guest_id: str) -> Guest:
        """Board a guest; refused while they are on hold."""
        self._captain_or_admin(actor, event_id)
        return self._store.check_in(event_id, guest_id, self.clock())
