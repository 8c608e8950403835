"""Turning ops records into plain JSON-able dicts and back (shared by both backends)."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any, TypeVar

from core.ops.models import ChecklistItem, Claim, Event, Guest, OpsUser, Waiver

T = TypeVar("T")
_DATES = {"licence_expires", "date_of_birth"}
_TIMES = {
    "created_at",
    "expires_at",
    "starts_at",
    "ends_at",
    "claimed_at",
    "done_at",
    "signed_at",
    "checked_in_at",
    "added_at",
    "received_at",
}


def dump(record: Any) -> dict[str, Any]:
    """A record as a dict of JSON-able values (ISO strings for dates and times)."""
    out: dict[str, Any] = {}
    for key, value in asdict(record).items():
        if isinstance(value, datetime | date):
            out[key] = value.isoformat()
        elif isinstance(value, frozenset | set):
            out[key] = sorted(value)
        elif key == "waiver" and value is not None:
            out[key] = {
                k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in value.items()
            }
        else:
            out[key] = value
    return out


def load(cls: type[T], data: dict[str, Any]) -> T:
    """The record of type ``cls`` from ``dump``'s output (extra keys ignored)."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            continue
        if value is not None and key in _TIMES:
            value = datetime.fromisoformat(value)
        elif value is not None and key in _DATES:
            value = date.fromisoformat(value)
        elif key == "waiver" and value is not None:
            value = load(Waiver, value)
        elif key == "entities" and value is not None:
            value = frozenset(value)
        elif key == "slots":
            value = {k: int(v) for k, v in value.items()}
        elif key in ("duration_minutes", "guests_max", "position", "slot_no", "token_version"):
            value = int(value)
        kwargs[key] = value
    return cls(**kwargs)


__all__ = ["ChecklistItem", "Claim", "Event", "Guest", "OpsUser", "dump", "load"]
