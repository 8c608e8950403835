"""The rules on slot offers: a holder offers their slot, a qualified person takes it (the
claim rules' ``qualify``, no copy), the offerer or an admin cancels it, and who hears of it.

Taking an offer releases the offerer without the 24 h late-release refusal: handing the slot
to someone qualified is exactly what a late release lacks.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from core.errors import Conflict, DomainError, Forbidden, Invalid
from core.ops.models import SLOT_ROLES, Claim, Event, OpsUser, in_scope
from core.ops.nudges import Nudge, Reminder
from core.ops.offers import (
    MARK_AFTER_CLOSE,
    Offer,
    OfferReminder,
    live_offers,
    not_open,
    offer_closed,
)
from core.ops.rules.claims import ClaimRules
from core.ops.rules.events import EventRules


class OfferRules(EventRules, ClaimRules):
    """Offers: make, take, cancel, list, and the "slot offered" emails."""

    def offer_slot(self, actor: OpsUser, event_id: str, role: str) -> Offer:
        """Offer the actor's ``role`` slot on the event (its holder only); open until taken,
        cancelled or departure. Conflict ``offer_exists`` for a second open offer."""
        if role not in SLOT_ROLES:
            raise Invalid("no such slot role", fields={"role": f"one of {', '.join(SLOT_ROLES)}"})
        event = self.event(actor, event_id)
        held = [c for c in self._store.claims(event.id) if c.user_id == actor.id]
        if not held or held[0].role != role:
            raise Forbidden(f"you hold no {role} slot on event {event_id}", code="not_holder")
        self.require_open(event)
        offer = Offer(
            id=uuid.uuid4().hex[:12],
            event_id=event.id,
            role=role,
            slot_no=held[0].slot_no,
            offered_by=actor.id,
            created_at=self.clock(),
            closes_at=event.starts_at,
        )
        return self._store.put_offer(offer)

    def take_offer(self, actor: OpsUser, offer_id: str) -> Claim:
        """Take an open offer: the slot moves from the offerer to the actor in one atomic
        write; Conflict ``offer_taken`` when someone was first, ``offer_closed`` once
        cancelled or departed; the actor must ``qualify`` as for a claim."""
        offer, event = self._offer(actor, offer_id)
        if offer.status != "open":
            raise not_open(offer)
        if self.clock() >= event.starts_at:
            raise offer_closed(offer.id)
        self.qualify(actor, event, offer.role)
        if offer.offered_by == actor.id:
            raise Conflict("you cannot take your own offer", code="already_claimed")
        return self._store.take_offer(offer, event, actor.id, self.clock())

    def cancel_offer(self, actor: OpsUser, offer_id: str) -> Offer:
        """Withdraw an open offer: the person who made it, or an admin over the event."""
        offer, _ = self._offer(actor, offer_id)
        if actor.id != offer.offered_by and actor.role != "admin":
            raise Forbidden("only who offered it or an admin can cancel an offer", code="forbidden")
        if offer.status != "open":
            raise not_open(offer)
        return self._store.cancel_offer(offer.id, self.clock())

    def open_offers(self, actor: OpsUser) -> list[tuple[Offer, Event]]:
        """The live offers the actor could take (visible, in scope, qualified, not on the
        trip) and their own, with their events, soonest departure first."""
        now = self.clock()
        on_trips = {c.event_id for c in self._store.user_claims(actor.id)}
        out = []
        for offer, event in self._live(now):
            mine = offer.offered_by == actor.id
            if mine or (
                self.sees(actor, event)
                and event.id not in on_trips
                and self._could_take(actor, event, offer.role)
            ):
                out.append((offer, event))
        return out

    def offer_reminders(
        self, now: datetime, *, skipped: list[Reminder] | None = None
    ) -> list[Reminder]:
        """One "a slot is offered" email per live offer, to the qualified people in the
        event's scope who are not on the trip; marked once-only per offer."""
        out: list[Reminder] = []
        users: list[OpsUser] | None = None
        for offer, event in self._live(now):
            users = self._store.list_users() if users is None else users
            view = self.describe(event)
            holders = {c.user_id for c in view.claims}
            to = sorted(
                u.email
                for u in users
                if u.id not in holders
                and in_scope(u.entities, event.entity)
                and self._could_take(u, event, offer.role)
            )
            names = {u.id: u.name for u in users}
            reminder = OfferReminder(
                Nudge(event.id, "slot_offered", f"{offer.role} slot offered"),
                view,
                to,
                offer=offer,
                offered_by_name=names.get(offer.offered_by, ""),
            )
            if not to:
                continue
            if not self._store.first_time(f"offer:{offer.id}", offer.closes_at + MARK_AFTER_CLOSE):
                if skipped is not None:
                    skipped.append(reminder)
                continue
            out.append(reminder)
        return out

    # helpers ------------------------------------------------------------------------------
    def _offer(self, actor: OpsUser, offer_id: str) -> tuple[Offer, Event]:
        """An offer on an event the actor may see (NotFound otherwise) and its event."""
        offer = self._store.get_offer(offer_id)
        return offer, self.event(actor, offer.event_id)

    def _could_take(self, user: OpsUser, event: Event, role: str) -> bool:
        try:
            self.qualify(user, event, role)
        except DomainError:
            return False
        return True

    def _live(self, now: datetime) -> list[tuple[Offer, Event]]:
        """Every live offer on a scheduled trip, with its event."""
        by_event: dict[str, list[Offer]] = {}
        for offer in self._store.open_offers(now):
            by_event.setdefault(offer.event_id, []).append(offer)
        out = []
        for event_id, offers in by_event.items():
            event = self._store.get_event(event_id)
            if event.status != "scheduled":
                continue
            out += [(o, event) for o in live_offers(offers, self._store.claims(event_id), now)]
        return sorted(out, key=lambda pair: (pair[1].starts_at, pair[0].created_at))
