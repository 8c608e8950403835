"""The fields of a record form and how a typed or uploaded value becomes a column value.

A form (or a CSV column) names each field; a value may arrive as text (a CSV cell, a text
box) or already typed (a date picker's ``date``, a number input's ``float``). ``parse_fields``
turns every value into what the record stores and collects one reason per bad field, so that
the page can put each reason under its field and a CSV upload can list them per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core.ledger.amounts import amount_problem

KINDS = ("text", "int", "money", "date", "choice")
MAX_TEXT = 200


@dataclass(frozen=True)
class FormField:
    """One field: its name (the form key and CSV column), label, kind and whether it is needed.

    ``money`` is typed in dollars and stored in cents; ``ref`` names the table whose record
    the field points at (its id, with or without the ``entity:`` prefix)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    ref: str = ""
    help: str = ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"at most {MAX_TEXT} characters")
    return text


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        try:
            number = int(str(value).strip().replace(",", ""))
        except ValueError:
            raise ValueError("must be a whole number") from None
    if number < 0:
        raise ValueError("cannot be negative")
    if number > 10**9:
        raise ValueError("is too large")
    return number


def _money(value: Any) -> int:
    """Dollars (``1,234.50``, ``$80``, ``80.5``) to cents; refuses fractions of a cent."""
    text = str(value).strip().replace(",", "").replace("$", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("must be an amount in dollars, like 1250.00") from None
    if not amount.is_finite():
        raise ValueError("must be an amount in dollars, like 1250.00")
    if amount < 0:
        raise ValueError("cannot be negative")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError("at most two decimals (whole cents)")
    if problem := amount_problem(int(cents)):
        raise ValueError(problem)
    return int(cents)


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError("must be a date like 2026-11-25") from None


def _choice(spec: FormField, value: Any) -> str:
    text = str(value).strip().lower()
    if text not in spec.choices:
        raise ValueError(f"must be one of {', '.join(spec.choices)}")
    return text


def parse_value(spec: FormField, value: Any) -> Any:
    """The stored value of ``value`` for ``spec``; ValueError says why it cannot be."""
    if spec.kind == "int":
        return _int(value)
    if spec.kind == "money":
        return _money(value)
    if spec.kind == "date":
        return _date(value)
    if spec.kind == "choice":
        return _choice(spec, value)
    return _text(value)


def parse_fields(
    specs: tuple[FormField, ...], raw: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Every field parsed (blank optional fields are None) and a reason per bad field."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for spec in specs:
        value = raw.get(spec.name)
        if _blank(value):
            values[spec.name] = None
            if spec.required:
                problems[spec.name] = "is required"
            continue
        try:
            values[spec.name] = parse_value(spec, value)
        except ValueError as exc:
            problems[spec.name] = str(exc)
    unknown = sorted(set(raw) - {s.name for s in specs} - {"id"})
    for name in unknown:
        problems[name] = "is not a field of this record"
    return values, problems
