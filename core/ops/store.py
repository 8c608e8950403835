"""The ops store interface, by concern. Backends make each method atomic on their own engine.

A backend (``sqlite.py``, ``dynamodb.py``) implements ``OpsStore``: every protocol below. Each
reader is handed only the part it uses: the ops service owns the charter records and the
once-only marks; the access service gets ``LoginCodes``; webhooks get ``InboundEvents``.

Conflicts are raised as ``core.errors.Conflict`` with a precise ``code``:
``slot_full``, ``already_claimed``, ``overlapping_claim``, ``email_taken``, ``guests_full``,
``guest_exists``, ``waiver_required``, ``already_signed``, ``already_checked_in``,
``already_departed``, ``not_departed``, ``already_returned``. Missing records raise ``NotFound``.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Any, Protocol

from core.errors import Conflict
from core.ops.calendar_records import Away, FeedKey
from core.ops.float_plan import FloatPlan, ShoreContact
from core.ops.go_no_go import VesselWeather
from core.ops.login_codes import LoginCode
from core.ops.models import (
    ChecklistItem,
    Claim,
    Event,
    Guest,
    InboundEvent,
    OpsUser,
    Waiver,
)
from core.ops.offers import Offer


def counter_window(now: datetime, window_seconds: int) -> int:
    """The number of the fixed window ``now`` falls in (rate-limit counters are per window)."""
    return int(now.timestamp()) // window_seconds


def slot_full(event_id: str, role: str) -> Conflict:
    """The role's slots on the event are all taken."""
    return Conflict(f"every {role} slot on event {event_id} is taken", code="slot_full")


def already_claimed(event_id: str) -> Conflict:
    """The user already holds a slot on the event."""
    return Conflict(f"you already hold a slot on event {event_id}", code="already_claimed")


def overlapping(event_id: str) -> Conflict:
    """The user holds a slot on another event at the same time."""
    return Conflict(
        f"you hold a slot on another event during event {event_id}", code="overlapping_claim"
    )


def waiver_taken(guest: Guest) -> Conflict:
    """A waiver is signed once: the first one is kept (it is what the guest agreed to)."""
    if guest.status == "checked_in":
        return Conflict(f"{guest.name} is already checked in", code="already_checked_in")
    return Conflict(f"{guest.name} has already signed the waiver", code="already_signed")


class CharterRecords(Protocol):
    """Users, events, claims, checklists, guests and waivers; every method one atomic step."""

    # users
    @abstractmethod
    def add_user(self, user: OpsUser) -> OpsUser:
        """Create a user; Conflict ``email_taken`` if the email is in use."""

    @abstractmethod
    def save_user(self, user: OpsUser) -> OpsUser:
        """Replace an existing user's fields (same id and email)."""

    @abstractmethod
    def get_user(self, user_id: str) -> OpsUser:
        """One user; NotFound."""

    @abstractmethod
    def find_user(self, email: str) -> OpsUser | None:
        """The user with this email, if any."""

    @abstractmethod
    def list_users(self) -> list[OpsUser]:
        """Every user, by email."""

    # events
    @abstractmethod
    def create_event(self, event: Event, checklist: list[ChecklistItem]) -> Event:
        """Store a new event with its checklist."""

    @abstractmethod
    def get_event(self, event_id: str) -> Event:
        """One event; NotFound."""

    @abstractmethod
    def list_events(self, start: datetime, end: datetime) -> list[Event]:
        """Events starting in [start, end), by start time."""

    @abstractmethod
    def save_event(self, event: Event) -> Event:
        """Replace an existing event's fields; NotFound."""

    # claims
    @abstractmethod
    def claim(self, event: Event, role: str, user_id: str, at: datetime) -> Claim:
        """Take the first free ``role`` slot, atomically refusing a full role, a second slot
        on the event and an overlapping claim."""

    @abstractmethod
    def release(self, event_id: str, user_id: str) -> None:
        """Give back the user's slot on the event; NotFound if they hold none."""

    @abstractmethod
    def claims(self, event_id: str) -> list[Claim]:
        """Claims of an event, by role and slot."""

    @abstractmethod
    def user_claims(self, user_id: str) -> list[Claim]:
        """Claims a user holds, by start time."""

    # checklists
    @abstractmethod
    def checklist(self, event_id: str) -> list[ChecklistItem]:
        """An event's checklist in phase order."""

    @abstractmethod
    def set_item(
        self, event_id: str, item_id: str, *, done: bool, by: str | None, at: datetime | None
    ) -> ChecklistItem:
        """Tick or untick an item; NotFound."""

    # guests and waivers
    @abstractmethod
    def add_guest(self, guest: Guest, capacity: int) -> Guest:
        """Add a guest unless the event is full or the email is already on it."""

    @abstractmethod
    def get_guest(self, event_id: str, guest_id: str) -> Guest:
        """One guest; NotFound."""

    @abstractmethod
    def guests(self, event_id: str) -> list[Guest]:
        """An event's manifest, in the order guests were added."""

    @abstractmethod
    def sign_waiver(self, event_id: str, guest_id: str, waiver: Waiver) -> Guest:
        """Store the waiver and clear the guest (on hold -> cleared), atomically; a guest no
        longer on hold keeps their first waiver (Conflict ``already_signed`` or
        ``already_checked_in``, see ``waiver_taken``)."""

    @abstractmethod
    def check_in(self, event_id: str, guest_id: str, at: datetime) -> Guest:
        """Check a cleared guest in; Conflict ``waiver_required`` while on hold."""


class LoginCodes(Protocol):
    """Single-use login codes and the rate-limit counters that guard them."""

    @abstractmethod
    def put_code(self, code: LoginCode) -> None:
        """Store a login code by its hash (it expires at ``code.expires_at``)."""

    @abstractmethod
    def take_code(self, code_hash: str, now: datetime) -> LoginCode | None:
        """Remove and return an unexpired code, atomically: a code works once."""

    @abstractmethod
    def count_hit(self, key: str, window_seconds: int, now: datetime) -> int:
        """Add one to ``key``'s counter in the current window; the new count."""

    @abstractmethod
    def reserve_hit(self, key: str, limit: int, window_seconds: int, now: datetime) -> bool:
        """Add one to ``key``'s counter in the current window only while it is below
        ``limit``, atomically; True if added (however many callers race), False if full."""

    @abstractmethod
    def release_hit(self, key: str, window_seconds: int, now: datetime) -> None:
        """Give back one hit of ``key`` in the window of ``now`` (never below zero)."""


class OnceMarks(Protocol):
    """Marks taken once, e.g. a nudge sent."""

    @abstractmethod
    def first_time(self, key: str, expires_at: datetime) -> bool:
        """True exactly once per ``key`` (until it expires), however many callers race."""


class InboundEvents(Protocol):
    """Webhook deliveries, kept once by id."""

    @abstractmethod
    def record_inbound(self, event: InboundEvent) -> bool:
        """Keep a webhook event; False (and nothing written) if its id was seen and is live."""

    @abstractmethod
    def inbound_events(self, source: str, since: datetime, limit: int = 100) -> list[InboundEvent]:
        """Live events of ``source`` received at or after ``since``, newest first."""


class CalendarRecords(Protocol):
    """Calendar feed keys (looked up by the token's hash), trip change counters (the feed's
    SEQUENCE) and each person's unavailable windows ([crew-plus])."""

    @abstractmethod
    def feed_key(self, user_id: str) -> FeedKey | None:
        """The user's feed key, if they asked for a feed."""

    @abstractmethod
    def put_feed_key(self, key: FeedKey) -> None:
        """Make ``key`` the user's feed key; the previous key's hash stops resolving."""

    @abstractmethod
    def feed_user(self, token_hash: str) -> str | None:
        """The id of the user whose current feed token has this hash, if any."""

    @abstractmethod
    def bump_sequence(self, event_id: str) -> int:
        """Count one more change of the event's calendar entry; the new count."""

    @abstractmethod
    def sequence(self, event_id: str) -> int:
        """How often the event's calendar entry changed (0: never)."""

    @abstractmethod
    def availability(self, user_id: str) -> list[Away]:
        """The user's unavailable windows, by start."""

    @abstractmethod
    def set_availability(self, user_id: str, windows: list[Away]) -> None:
        """Replace the user's unavailable windows."""


class Offers(Protocol):
    """Slot offers (``core.ops.offers``): a holder's slot moves to a taker in one atomic write.

    Conflicts: ``offer_exists`` (the slot already has an open offer), ``offer_taken`` and
    ``offer_closed`` (see ``core.ops.offers.not_open``), ``already_claimed`` and
    ``overlapping_claim`` for the taker."""

    @abstractmethod
    def put_offer(self, offer: Offer) -> Offer:
        """Store a new open offer, atomically refusing a second open offer of the same slot by
        the same holder (``offer_exists``) and a slot the offerer no longer holds
        (``offer_closed``)."""

    @abstractmethod
    def get_offer(self, offer_id: str) -> Offer:
        """One offer, whatever its status; NotFound."""

    @abstractmethod
    def event_offers(self, event_id: str) -> list[Offer]:
        """The event's open offers (stale ones too: ``live_offers`` filters), oldest first."""

    @abstractmethod
    def open_offers(self, now: datetime) -> list[Offer]:
        """Every open offer closing after ``now``, soonest closing first."""

    @abstractmethod
    def take_offer(self, offer: Offer, event: Event, taker_id: str, at: datetime) -> Claim:
        """Move the offered slot to the taker in one atomic write, only while the offer is
        open and the slot still the offerer's; the taker's one-slot-per-event and overlap
        rules hold as for ``claim``. The offer becomes ``taken``; the new claim back."""

    @abstractmethod
    def cancel_offer(self, offer_id: str, at: datetime) -> Offer:
        """Close an open offer (``cancelled``), atomically; Conflict if no longer open."""


class FloatPlans(Protocol):
    """Float plans (one per event) and each entity's shore contact."""

    @abstractmethod
    def depart(self, plan: FloatPlan) -> FloatPlan:
        """Store the event's plan once; Conflict ``already_departed`` if it has one."""

    @abstractmethod
    def mark_returned(self, event_id: str, by: str, at: datetime) -> FloatPlan:
        """Close the open plan, atomically; Conflict ``not_departed`` without a plan,
        ``already_returned`` once closed."""

    @abstractmethod
    def float_plan(self, event_id: str) -> FloatPlan | None:
        """The event's plan, open or closed, if any (read consistently)."""

    @abstractmethod
    def open_float_plans(self, eta_from: datetime, eta_to: datetime) -> list[FloatPlan]:
        """Open plans whose ETA is in [eta_from, eta_to), by ETA (an index, not a scan)."""

    @abstractmethod
    def set_shore_contact(self, contact: ShoreContact) -> ShoreContact:
        """Store (or replace) the entity's shore contact."""

    @abstractmethod
    def shore_contact(self, entity: str) -> ShoreContact | None:
        """The entity's shore contact, if one is set."""


class WeatherRecords(Protocol):
    """The forecast cache (one body per grid point, with a life) and each vessel's weather
    settings. Times come from the caller (the rules' clock), not the backend's."""

    @abstractmethod
    def cached_forecast(self, grid: str, now: datetime) -> dict[str, Any] | None:
        """The body cached for ``grid`` if it still lives at ``now``."""

    @abstractmethod
    def cache_forecast(self, grid: str, body: dict[str, Any], expires_at: datetime) -> None:
        """Keep ``body`` for ``grid`` until ``expires_at``, replacing the one before."""

    @abstractmethod
    def vessel_weather(self, entity: str, vessel: str) -> VesselWeather | None:
        """An entity's settings for a vessel (matched by ``vessel_key``), if any."""

    @abstractmethod
    def save_vessel_weather(self, settings: VesselWeather) -> VesselWeather:
        """Create or replace an entity's settings for a vessel."""

    @abstractmethod
    def list_vessel_weather(self) -> list[VesselWeather]:
        """Every vessel's settings, by entity and vessel."""


class OpsStore(
    CharterRecords,
    LoginCodes,
    OnceMarks,
    InboundEvents,
    CalendarRecords,
    Offers,
    FloatPlans,
    WeatherRecords,
    Protocol,
):
    """A whole backend: every part above over one engine, created by ``init``."""

    backend: str

    @abstractmethod
    def init(self) -> None:
        """Create the store if missing (safe to run again)."""
