"""The words of the float-plan run's emails: overdue trips (first notice, then the escalated
second) and waiver reminders to guests still on hold. Pure text; who gets them and when is
decided in ``core.ops.rules.float_plans``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.ops.float_plan import FloatPlan, ShoreContact
from core.ops.models import Guest, OpsUser
from core.ops.nudges import Nudge, Reminder

if TYPE_CHECKING:
    from core.ops.rules.events import EventView

OVERDUE = "overdue"
OVERDUE_ESCALATED = "overdue_escalated"


@dataclass(frozen=True)
class Notice(Reminder):
    """A reminder whose subject and body are written out (not derived from the nudge)."""

    heading: str = ""
    body: str = ""

    @property
    def subject(self) -> str:
        """One header-safe line."""
        return " ".join(self.heading.split())

    @property
    def text(self) -> str:
        """The message body."""
        return self.body


def _at(t: datetime, tz: ZoneInfo) -> str:
    return t.astimezone(tz).strftime("%a %-d %b %H:%M")


def how_late(late: timedelta) -> str:
    """``45 min`` or ``2 h 01 min``."""
    minutes = int(late.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _person(user: OpsUser | None) -> str:
    return f"{user.name} <{user.email}>" if user else "nobody holds the captain slot"


def overdue_text(
    kind: str,
    plan: FloatPlan,
    *,
    title: str,
    vessel: str,
    captain: OpsUser | None,
    shore: ShoreContact | None,
    now: datetime,
    tz: ZoneInfo,
) -> tuple[str, str]:
    """(subject, body) of an overdue notice; ``kind`` is OVERDUE or OVERDUE_ESCALATED."""
    late = how_late(now - plan.eta)
    boat = f"{title} ({vessel})" if vessel else title
    if kind == OVERDUE_ESCALATED:
        subject = f"SECOND NOTICE, escalated: {boat} still not back, {late} past its ETA"
        closing = (
            "This is the second and last notice: the trip is more than 2 hours past its ETA "
            "and the captain has still not tapped Back. If nobody can reach the boat, call "
            "the Coast Guard (VHF 16, or 911)."
        )
    else:
        subject = f"OVERDUE: {boat} not back, {late} past its ETA"
        closing = (
            "The captain has not tapped Back. Call the captain, then try the boat on VHF 16. "
            "A second, escalated notice follows at ETA + 2 h if the trip is still not back."
        )
    lines = [
        f"Trip: {title}",
        f"Vessel: {vessel or 'not set'}",
        f"Captain: {_person(captain)}",
        f"Souls on board: {plan.souls_on_board}",
        f"Departed at: {_at(plan.departed_at, tz)}",
        f"ETA: {_at(plan.eta, tz)}",
        f"Late by: {late}",
    ]
    if shore is not None:
        phone = f", {shore.phone}" if shore.phone else ""
        lines.append(f"Shore contact: {shore.name or shore.email} <{shore.email}>{phone}")
    return subject, "\n".join(lines) + f"\n\n{closing}\n"


def waiver_text(guest: Guest, *, title: str, departs: datetime, tz: ZoneInfo) -> tuple[str, str]:
    """(subject, body) of a waiver reminder to a guest still on hold."""
    when = _at(departs, tz)
    subject = f"Reminder: sign your waiver for {title} ({when})"
    body = (
        f"Hello {guest.name},\n\n"
        f"You are on {title}, departing {when}. Your waiver is not signed yet, and nobody "
        "boards without one.\n\n"
        f'Please sign it with the link in the email "Your waiver for {title}" we sent you. '
        "If that link has expired or you cannot find it, ask the office for a new one: they "
        "can send a fresh link at once.\n"
    )
    return subject, body


def notice(kind: str, view: EventView, to: list[str], text: tuple[str, str]) -> Notice:
    """A Notice of ``kind`` about the view's event, to ``to``."""
    subject, body = text
    return Notice(Nudge(view.event.id, kind, subject), view, to, heading=subject, body=body)
