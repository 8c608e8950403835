"""Checks of the fields the rules take from outside: roles, texts, emails, an event's fields
and their limits.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from core.emails import email_problem
from core.errors import Forbidden, Invalid
from core.instants import parse_instant
from core.ops.models import EVENT_STATUSES, SLOT_ROLES, OpsUser

# the limits of an event's fields (the dashboard's widgets use them too)
MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 14 * 24 * 60
MAX_SLOTS = 20  # per role
MAX_GUESTS = 500
MAX_TEXT = 200  # titles, names, signatures
MAX_VESSEL = 100
MAX_ENTITY = 64
MAX_PHONE = 40


def require_role(actor: OpsUser, *roles: str) -> None:
    """Forbidden unless the actor has one of ``roles``."""
    if actor.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}", code="forbidden")


def has_control_chars(text: str) -> bool:
    """True when ``text`` holds a control character (CR, LF, TAB, NUL, ...: category Cc)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def text_field(
    fields: dict[str, str], name: str, value: Any, *, max_len: int = MAX_TEXT, required: bool = True
) -> str:
    """The stripped text; a problem with it goes into ``fields[name]``."""
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


def email_field(fields: dict[str, str], name: str, value: Any) -> str:
    """The normalized address; a problem with it goes into ``fields[name]`` (and "" back)."""
    problem = email_problem(value)
    if problem is not None:
        fields[name] = problem
        return ""
    return str(value).strip(" ").lower()


def event_fields(data: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    """The valid values among an event's ``data``; each problem goes into ``fields``."""
    out: dict[str, Any] = {}
    if "entity" in data:
        out["entity"] = text_field(fields, "entity", data["entity"], max_len=MAX_ENTITY)
    if "title" in data:
        out["title"] = text_field(fields, "title", data["title"])
    if "vessel" in data:
        out["vessel"] = text_field(
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
