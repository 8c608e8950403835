"""The float plan: the captain's "Departed" and "Back", each entity's shore contact, and the
run's safety mail: overdue trips (ETA + 30 min, then escalated at ETA + 2 h) and waiver
reminders to guests still on hold (72 h and 24 h before departure). Every send is taken
once through the store's ``first_time`` mark, however often the run is delivered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.errors import Conflict, Forbidden, Invalid
from core.instants import parse_instant
from core.ops.float_notices import (
    OVERDUE,
    OVERDUE_ESCALATED,
    notice,
    overdue_text,
    waiver_text,
)
from core.ops.float_plan import ESCALATE_AFTER, OVERDUE_AFTER, FloatPlan, ShoreContact
from core.ops.models import Event, OpsUser, in_scope
from core.ops.nudges import Reminder
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import MAX_ENTITY, MAX_PHONE, email_field, require_role, text_field

MAX_ETA_AHEAD = timedelta(hours=72)
DEPART_EARLIEST = timedelta(hours=24)  # "Departed" days ahead is a slip, not a departure
MAX_SOULS = 999
# (kind, how long after the ETA): the first notice, then the escalated one
OVERDUE_STAGES = ((OVERDUE, OVERDUE_AFTER), (OVERDUE_ESCALATED, ESCALATE_AFTER))
# (kind, how long before departure)
WAIVER_STAGES = (
    ("waiver_reminder_72h", timedelta(hours=72)),
    ("waiver_reminder_24h", timedelta(hours=24)),
)
OVERDUE_LOOKBACK = timedelta(days=14)  # an open plan older than this is no longer chased
MARK_LIFE = timedelta(days=30)  # outlives the lookback: a mark never expires while it matters


def departure_opens(event: Event) -> datetime:
    """The earliest "Departed" is accepted: DEPART_EARLIEST before the trip's start. Until
    then a trip has no float plan (so views skip reading one: most listed trips are ahead)."""
    return event.starts_at - DEPART_EARLIEST


def _stage_marks(stages: Sequence[tuple[str, timedelta]], due: int, key: str) -> list[str]:
    """The mark keys of stages 0..due (a later stage also spends the earlier ones)."""
    return [f"{key}:{kind}" for kind, _ in stages[: due + 1]]


class FloatPlanRules(OpsRules):
    """Departed, Back, shore contacts, and the overdue and waiver reminders."""

    # departed and back --------------------------------------------------------------------
    def _captain_or_admin_of(self, actor: OpsUser, event_id: str) -> Event:
        """The event, for an admin over its entity or the holder of its captain slot."""
        event = self.event(actor, event_id)  # NotFound for events the actor may not see
        if actor.role == "admin":
            return event
        holds_captain = any(
            c.user_id == actor.id and c.role == "captain" for c in self._store.claims(event_id)
        )
        if actor.role == "guest" or not holds_captain:
            raise Forbidden("only the trip's captain or an admin files its float plan")
        return event

    def departure_opens(self, event: Event) -> datetime:
        """The earliest "Departed" is accepted (for pages that say when)."""
        return departure_opens(event)

    def depart(self, actor: OpsUser, event_id: str, data: dict[str, Any]) -> FloatPlan:
        """File the float plan as the trip leaves: ETA (after now, within 72 h) and souls on
        board (1-999). Once per trip (Conflict ``already_departed``); not for a cancelled
        trip (Conflict ``event_closed``) nor more than 24 h before its start (``too_early``)."""
        event = self._captain_or_admin_of(actor, event_id)
        now = self.clock()
        fields: dict[str, str] = {}
        eta: datetime | None = None
        try:
            eta = parse_instant(data.get("eta"), "eta")
        except Invalid as exc:
            fields.update(exc.fields)
        if eta is not None and not now < eta <= now + MAX_ETA_AHEAD:
            fields["eta"] = f"after now and within {MAX_ETA_AHEAD.days * 24} hours"
        souls = data.get("souls_on_board")
        if not isinstance(souls, int) or isinstance(souls, bool) or not 1 <= souls <= MAX_SOULS:
            fields["souls_on_board"] = f"a whole number from 1 to {MAX_SOULS}"
        if fields or eta is None or not isinstance(souls, int):
            raise Invalid("float plan not filed", fields=fields)
        if event.status != "scheduled":
            raise Conflict(f"event {event_id} is {event.status}", code="event_closed")
        if now < self.departure_opens(event):
            raise Conflict(
                f"event {event_id} starts {event.starts_at.astimezone(self.tz):%a %-d %b %H:%M}: "
                f"Departed opens {DEPART_EARLIEST.total_seconds() / 3600:g} h before",
                code="too_early",
            )
        plan = FloatPlan(event_id, event.entity, now, eta, souls, actor.id)
        return self._store.depart(plan)

    def mark_back(self, actor: OpsUser, event_id: str) -> FloatPlan:
        """Close the float plan: the trip is back (Conflict ``not_departed``,
        ``already_returned``). Allowed whatever the trip's status: a boat always comes back."""
        self._captain_or_admin_of(actor, event_id)
        return self._store.mark_returned(event_id, actor.id, self.clock())

    # shore contacts -----------------------------------------------------------------------
    def _admin_over(self, actor: OpsUser, entity: str) -> str:
        require_role(actor, "admin")
        self._require_entity(actor, entity)
        fields: dict[str, str] = {}
        entity = text_field(fields, "entity", entity, max_len=MAX_ENTITY)
        if fields:
            raise Invalid("bad entity", fields=fields)
        return entity

    def shore_contact(self, actor: OpsUser, entity: str) -> ShoreContact | None:
        """The entity's shore contact, if set (an admin over the entity)."""
        return self._store.shore_contact(self._admin_over(actor, entity))

    def set_shore_contact(self, actor: OpsUser, entity: str, data: dict[str, Any]) -> ShoreContact:
        """Set who ashore hears of the entity's overdue trips: email, optional name and phone
        (an admin over the entity)."""
        entity = self._admin_over(actor, entity)
        fields: dict[str, str] = {}
        email = email_field(fields, "email", data.get("email"))
        name = text_field(fields, "name", data.get("name"), required=False)
        phone = text_field(fields, "phone", data.get("phone"), max_len=MAX_PHONE, required=False)
        if fields:
            raise Invalid("shore contact not saved", fields=fields)
        contact = ShoreContact(entity, email, name, phone, actor.email, self.clock())
        return self._store.set_shore_contact(contact)

    # the run's reminders ------------------------------------------------------------------
    def safety_reminders(
        self, now: datetime, *, skipped: list[Reminder] | None = None
    ) -> list[Reminder]:
        """Overdue notices and waiver reminders due now, each marked sent first (once)."""
        return self._overdue_reminders(now, skipped) + self._waiver_reminders(now, skipped)

    def _once(
        self,
        now: datetime,
        keys: list[str],
        reminder: Reminder,
        out: list[Reminder],
        skipped: list[Reminder] | None,
    ) -> None:
        """Take every mark (earlier stages too); send when the last one is new."""
        expires = now + MARK_LIFE
        fresh = [self._store.first_time(k, expires) for k in keys]
        if fresh[-1]:
            out.append(reminder)
        elif skipped is not None:
            skipped.append(reminder)

    def _overdue_reminders(self, now: datetime, skipped: list[Reminder] | None) -> list[Reminder]:
        out: list[Reminder] = []
        users: list[OpsUser] | None = None
        first_after = OVERDUE_STAGES[0][1]
        for listed in self._store.open_float_plans(now - OVERDUE_LOOKBACK, now - first_after):
            plan = self._store.float_plan(listed.event_id)  # consistent: "Back" just tapped?
            if plan is None or not plan.open:
                continue
            late = now - plan.eta
            due = max(i for i, (_, after) in enumerate(OVERDUE_STAGES) if late >= after)
            view = self.describe(self._store.get_event(plan.event_id))
            users = self._store.list_users() if users is None else users
            shore = self._store.shore_contact(plan.entity)
            to = {u.email for u in users if u.role == "admin" and in_scope(u.entities, plan.entity)}
            if shore is not None:
                to.add(shore.email)
            if not to:
                continue
            captain_id = next((c.user_id for c in view.claims if c.role == "captain"), None)
            captain = next((u for u in users if u.id == captain_id), None)
            kind = OVERDUE_STAGES[due][0]
            text = overdue_text(
                kind,
                plan,
                title=view.event.title,
                vessel=view.event.vessel,
                captain=captain,
                shore=shore,
                now=now,
                tz=self.tz,
            )
            keys = _stage_marks(OVERDUE_STAGES, due, f"float:{plan.event_id}")
            self._once(now, keys, notice(kind, view, sorted(to), text), out, skipped)
        return out

    def _waiver_reminders(self, now: datetime, skipped: list[Reminder] | None) -> list[Reminder]:
        out: list[Reminder] = []
        for event in self._store.list_events(now, now + WAIVER_STAGES[0][1]):
            if event.status != "scheduled":
                continue
            starts, view = event.starts_at, None
            for guest in self._store.guests(event.id):
                # a stage is due once its moment has come, for guests added before it (one
                # added later has just had the waiver email itself)
                due = [
                    i
                    for i, (_, before) in enumerate(WAIVER_STAGES)
                    if starts - now <= before and guest.added_at <= starts - before
                ]
                if guest.status != "on_hold" or not due:
                    continue
                view = view or self.describe(event)  # only for trips with someone to remind
                kind = WAIVER_STAGES[due[-1]][0]
                text = waiver_text(guest, title=event.title, departs=starts, tz=self.tz)
                keys = _stage_marks(WAIVER_STAGES, due[-1], f"waiver:{event.id}:{guest.id}")
                self._once(now, keys, notice(kind, view, [guest.email], text), out, skipped)
        return out
