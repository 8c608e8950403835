"""Operations records: plain frozen dataclasses shared by the service and every store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

USER_ROLES = ("admin", "captain", "crew", "guest")
SLOT_ROLES = ("captain", "crew")
PHASES = ("pre_departure", "underway", "post_trip")
EVENT_STATUSES = ("scheduled", "cancelled", "completed")
GUEST_STATUSES = ("on_hold", "cleared", "checked_in")


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


Scope = frozenset[str] | None  # the entity ids a user works for; None: every entity


def in_scope(scope: Scope, entity: str) -> bool:
    """True when ``entity`` is one of the scope's entities (None covers all)."""
    return scope is None or entity in scope


def within(inner: Scope, outer: Scope) -> bool:
    """True when every entity of ``inner`` is in ``outer`` (None is every entity)."""
    return outer is None or (inner is not None and inner <= outer)


@dataclass(frozen=True)
class OpsUser:
    """A person who signs in to operations (admin, captain, crew or guest).

    ``entities`` limits what they see and do to those entities' events (None: all; records
    stored before scopes existed read as None). A guest sees only events they are a guest on.
    """

    id: str
    email: str
    name: str
    role: str
    licence_expires: date | None = None
    token_version: int = 0
    created_at: datetime = field(default_factory=utcnow)
    entities: Scope = None


@dataclass(frozen=True)
class Event:
    """A trip; times are UTC, shown in the portfolio time zone."""

    id: str
    entity: str
    title: str
    vessel: str
    starts_at: datetime
    duration_minutes: int
    slots: dict[str, int]
    guests_max: int
    status: str = "scheduled"
    created_at: datetime = field(default_factory=utcnow)

    @property
    def ends_at(self) -> datetime:
        """When the trip is back at the dock."""
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        """True when [starts_at, ends_at) intersects this trip."""
        return self.starts_at < ends_at and starts_at < self.ends_at


@dataclass(frozen=True)
class Claim:
    """A crew slot held by a user."""

    event_id: str
    role: str
    slot_no: int
    user_id: str
    claimed_at: datetime
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist line of an event."""

    event_id: str
    id: str
    phase: str
    position: int
    text: str
    done: bool = False
    done_by: str | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class Waiver:
    """What a guest signed: the version and hash of the text they saw, and their answers."""

    version: str
    text_sha256: str
    full_name: str
    date_of_birth: date
    emergency_contact_name: str
    emergency_contact_phone: str
    signature: str
    signed_at: datetime
    guardian_name: str | None = None
    guardian_signature: str | None = None


@dataclass(frozen=True)
class Guest:
    """A guest on an event's manifest."""

    event_id: str
    id: str
    email: str
    name: str
    status: str = "on_hold"
    waiver: Waiver | None = None
    checked_in_at: datetime | None = None
    added_at: datetime = field(default_factory=utcnow)


DEFAULT_CHECKLIST: dict[str, list[str]] = {
    "pre_departure": [
        "Check weather and marine forecast",
        "Inspect life jackets and safety gear",
        "Engine, fuel and bilge check",
        "Brief guests on safety",
    ],
    "underway": [
        "Log departure time",
        "Monitor VHF channel 16",
        "Guest headcount at midpoint",
    ],
    "post_trip": [
        "Log return time",
        "Secure vessel and lines",
        "Clean and restock",
        "Report any damage or incidents",
    ],
}


def default_checklist(event_id: str) -> list[ChecklistItem]:
    """The default template for a new event."""
    return [
        ChecklistItem(event_id=event_id, id=f"{phase}-{n}", phase=phase, position=n, text=text)
        for phase in PHASES
        for n, text in enumerate(DEFAULT_CHECKLIST[phase], start=1)
    ]


@dataclass(frozen=True)
class InboundEvent:
    """A webhook event received from a provider (Stripe), kept so that repeats are ignored."""

    source: str  # "stripe"
    id: str  # the provider's event id
    type: str  # e.g. "charge.succeeded"
    created_at: datetime  # when the provider created it
    received_at: datetime
    expires_at: datetime  # forgotten after this (providers retry for days, not months)
    account: str | None = None  # the connected account, if any
    object_id: str | None = None  # the id of the object the event is about
    livemode: bool = False
