"""JSON shapes of the API's records."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from core.ops.float_plan import FloatPlan, plan_to_json
from core.ops.models import ChecklistItem, Guest, OpsUser
from core.ops.offers import Offer
from core.ops.rules.events import EventView


def user_json(u: OpsUser) -> dict[str, Any]:
    """``{id, email, name, role}`` (+ licence expiry for captains)."""
    out: dict[str, Any] = {"id": u.id, "email": u.email, "name": u.name, "role": u.role}
    if u.licence_expires:
        out["licence_expires"] = u.licence_expires.isoformat()
    return out


def event_json(v: EventView) -> dict[str, Any]:
    """An event with timing (and ``timing.weather`` when the view has it), who holds which
    slot, open slots and progress."""
    e = v.event
    tz = v.timing.departure_at.tzinfo
    timing: dict[str, Any] = v.timing.to_dict()
    if v.weather is not None:  # one event's view; lists leave it out (no fetch per event)
        timing["weather"] = v.weather.to_dict(tz)
    return {
        "id": e.id,
        "entity": e.entity,
        "title": e.title,
        "vessel": e.vessel,
        "starts_at": e.starts_at.astimezone(tz).isoformat(),
        "duration_minutes": e.duration_minutes,
        "slots": e.slots,
        "open_slots": {r: v.open_slots(r) for r in e.slots},
        "guests_max": e.guests_max,
        "status": e.status,
        "timing": timing,
        "claims": [{"role": c.role, "slot_no": c.slot_no, "user_id": c.user_id} for c in v.claims],
        "checklist": {"done": v.checklist_done, "total": v.checklist_total},
        "guests": {"total": v.guests_total, "on_hold": v.guests_on_hold},
        "offers": [offer_json(o) for o in v.offers],
        "float_plan": float_plan_json(v.float_plan, tz) if v.float_plan else None,
    }


def offer_json(o: Offer) -> dict[str, Any]:
    """``{id, event_id, role, slot_no, offered_by, status, created_at, closes_at}``."""
    return {
        "id": o.id,
        "event_id": o.event_id,
        "role": o.role,
        "slot_no": o.slot_no,
        "offered_by": o.offered_by,
        "status": o.status,
        "created_at": o.created_at.isoformat(),
        "closes_at": o.closes_at.isoformat(),
    }


def float_plan_json(p: FloatPlan, tz: tzinfo | None) -> dict[str, Any]:
    """``{event_id, departed_at, eta, souls_on_board, returned_at, by, returned_by}``, times
    in the portfolio time zone."""
    out = plan_to_json(p, tz)
    del out["entity"]  # the event's own
    return out


def item_json(i: ChecklistItem) -> dict[str, Any]:
    """``{id, text, phase, done, done_by, done_at}``."""
    return {
        "id": i.id,
        "text": i.text,
        "phase": i.phase,
        "done": i.done,
        "done_by": i.done_by,
        "done_at": i.done_at.isoformat() if i.done_at else None,
    }


def guest_json(g: Guest) -> dict[str, Any]:
    """A manifest line: who, status, and when the waiver was signed."""
    return {
        "id": g.id,
        "email": g.email,
        "name": g.name,
        "status": g.status,
        "waiver_signed_at": g.waiver.signed_at.isoformat() if g.waiver else None,
        "minor": bool(g.waiver and g.waiver.guardian_name),
        "checked_in_at": g.checked_in_at.isoformat() if g.checked_in_at else None,
        "added_at": g.added_at.isoformat(),
        "on_hold_since": g.added_at.isoformat() if g.status == "on_hold" else None,
    }
