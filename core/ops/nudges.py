"""Which reminders are due: unfilled slots within 72 h, unfinished checklists within 24 h,
guests on hold within 48 h of departure (CONTRACT section 6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.ops.service import EventView

WINDOWS = {
    "unfilled_slots": timedelta(hours=72),
    "unfinished_checklist": timedelta(hours=24),
    "guests_on_hold": timedelta(hours=48),
}


@dataclass(frozen=True)
class Nudge:
    """One reminder about one event."""

    event_id: str
    kind: str
    detail: str


def due_nudges(view: EventView, now: datetime) -> list[Nudge]:
    """The reminders an event needs now (cancelled and departed events need none)."""
    e = view.event
    left = e.starts_at - now
    if e.status != "scheduled" or left <= timedelta(0):
        return []
    out = []
    open_slots = {r: view.open_slots(r) for r in e.slots if view.open_slots(r) > 0}
    if open_slots and left <= WINDOWS["unfilled_slots"]:
        text = ", ".join(f"{n} {r}" for r, n in open_slots.items())
        out.append(Nudge(e.id, "unfilled_slots", f"open slots: {text}"))
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
