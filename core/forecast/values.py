"""Parsing the forecast's input texts (money, percents, weekdays, dates) into problems or values."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.ledger.amounts import MAX_DOLLARS

CENT = Decimal("0.01")
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def cents_of(amount: Decimal) -> int:
    """Dollars to integer cents (half up)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_dollars(cents: int) -> Decimal:
    """Integer cents to Decimal dollars with two places."""
    return (Decimal(cents) / 100).quantize(CENT)


def money(value: object, what: str, problems: list[str]) -> Decimal | None:
    """A signed amount in dollars to the cent ("-1,250.50", "$300"), else a problem."""
    text = str(value).strip().replace(",", "").replace("$", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        problems.append(f"{what} {value!r} is not an amount like -1250.50")
        return None
    if not amount.is_finite():
        problems.append(f"{what} {value!r} is not an amount like -1250.50")
        return None
    if amount != amount.quantize(CENT):
        problems.append(f"{what} {value!r} has more than two decimals (whole cents only)")
        return None
    if abs(amount) > MAX_DOLLARS:
        problems.append(f"{what} {value!r} is beyond the largest amount the ledger takes")
        return None
    return amount.quantize(CENT)


def percent(value: object, what: str, problems: list[str]) -> Decimal | None:
    """A signed percent ("-25%", "10"), at least -100, else a problem."""
    text = str(value).strip().removesuffix("%").strip()
    try:
        pct = Decimal(text)
    except InvalidOperation:
        problems.append(f"{what} {value!r} is not a percent like -25%")
        return None
    if not pct.is_finite() or pct < -100 or pct > 10000:
        problems.append(f"{what} {value!r} must be a percent from -100% to 10000%")
        return None
    return pct


def iso_day(value: object, what: str, problems: list[str]) -> date | None:
    """A date like 2026-12-01, else a problem."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(f"{what} {value!r} is not a date like 2026-12-01")
        return None


def weekday(value: object, problems: list[str]) -> int | None:
    """MON..SUN (or 0-6, Monday 0) to 0-6, else a problem."""
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    text = str(value).strip().upper()[:3]
    if text in WEEKDAYS:
        return WEEKDAYS.index(text)
    problems.append(f"--weekday {value!r} must be one of {', '.join(WEEKDAYS)}")
    return None
