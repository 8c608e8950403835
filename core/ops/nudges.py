"""Which reminders are due: unfilled slots within 72 h, unfinished checklists within 24 h,
guests on hold within 48 h of departure (CONTRACT section 6); who hears about each, and
the once-per-event-kind-and-day mark. ``OpsService.nudge_plan`` puts them together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from core.ops.models import OpsUser, in_scope

if TYPE_CHECKING:
    from core.ops.rules.events import EventView

WINDOWS = {
    "unfilled_slots": timedelta(hours=72),
    "unfinished_checklist": timedelta(hours=24),
    "guests_on_hold": timedelta(hours=48),
}
HORIZON = max(WINDOWS.values())  # the events a nudge plan looks at
MARK_LIFE = timedelta(days=3)  # a sent mark outlives its day


@dataclass(frozen=True)
class Nudge:
    """One reminder about one event."""

    event_id: str
    kind: str
    detail: str


def _counts(by_role: dict[str, int]) -> str:
    return ", ".join(f"{n} {r}" for r, n in by_role.items())


def due_nudges(view: EventView, now: datetime) -> list[Nudge]:
    """The reminders an event needs now (cancelled and departed events need none)."""
    e = view.event
    left = e.starts_at - now
    if e.status != "scheduled" or left <= timedelta(0):
        return []
    out = []
    open_slots = {r: view.open_slots(r) for r in e.slots if view.open_slots(r) > 0}
    offered = Counter(o.role for o in view.offers)  # held, but their holders want out
    if (open_slots or offered) and left <= WINDOWS["unfilled_slots"]:
        parts = [f"open slots: {_counts(open_slots)}"] if open_slots else []
        parts += [f"open offers: {_counts(offered)}"] if offered else []
        out.append(Nudge(e.id, "unfilled_slots", "; ".join(parts)))
    if view.checklist_done < view.checklist_total and left <= WINDOWS["unfinished_checklist"]:
        out.append(
            Nudge(
                e.id,
                "unfinished_checklist",
                f"checklist {view.checklist_done} of {view.checklist_total} done",
            )
        )
    if view.guests_on_hold and left <= WINDOWS["guests_on_hold"]:
        out.append(Nudge(e.id, "guests_on_hold", f"{view.guests_on_hold} guests without a waiver"))
    return out


@dataclass(frozen=True)
class Reminder:
    """A due nudge, its event and who gets it (each recipient gets a message of their own)."""

    nudge: Nudge
    view: EventView
    to: list[str]

    @property
    def subject(self) -> str:
        """One header-safe line (a title stored before line breaks were refused stays one)."""
        line = f"Reminder: {self.view.event.title} ({self._departs}): {self.nudge.detail}"
        return " ".join(line.split())

    @property
    def text(self) -> str:
        """The message body."""
        return (
            f"{self.view.event.title} departs {self._departs}.\n{self.nudge.detail.capitalize()}.\n"
        )

    @property
    def _departs(self) -> str:
        return self.view.timing.departure_at.strftime("%a %-d %b %H:%M")


def nudge_key(nudge: Nudge, day: date) -> str:
    """The once-only mark of a nudge: one per event, kind and local day."""
    return f"nudge:{nudge.event_id}:{nudge.kind}:{day.isoformat()}"


def recipients(users: Iterable[OpsUser], view: EventView, nudge: Nudge) -> list[str]:
    """The admins over the event's entity; for an unfinished checklist, its crew too (a
    removed user is skipped: the slot's other people still hear)."""
    entity = view.event.entity
    users = list(users)
    to = {u.email for u in users if u.role == "admin" and in_scope(u.entities, entity)}
    if nudge.kind == "unfinished_checklist":
        holders = {c.user_id for c in view.claims}
        to |= {u.email for u in users if u.id in holders}
    return sorted(to)
