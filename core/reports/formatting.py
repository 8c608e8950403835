"""Number formatting shared by every renderer (Streamlit tiles, HTML and text emails).

Each unit has one display precision: money in whole dollars, per-unit money rates
(``USD/nm``, ``USD/hour``, ``USD/booking``) in cents, percentages and months to one decimal,
counts whole; a change of a percentage in percentage points (``+4.9 pp``). A change is judged
at that precision: one that rounds to zero is "no change",
with no sign and no good/bad colour. Changes are never capped the way a long runway is.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Literal

from core.ledger.amounts import dollars as dollars  # where the ledger's cents become dollars

LONG_RUNWAY = 120  # months; past ten years a runway reads as "unlimited"
NO_CHANGE = "no change"
RATE_SUFFIX = {"nm": "/nm", "hour": "/hr", "booking": "/booking"}
Tone = Literal["good", "bad", "neutral"]


def pct(value: float | None) -> float | None:
    """A percent rounded to one decimal (its display precision); None stays None."""
    return None if value is None else round(value, 1)


def decimals(unit: str, value: float | None = None) -> int:
    """Digits after the point a number of ``unit`` is shown with."""
    if unit.startswith("USD/") and unit != "USD/month":
        return 2  # a rate per mile, hour or booking: cents matter
    if unit.startswith("USD") or unit == "count":
        return 0
    if unit in ("percent", "months"):
        return 1
    # plain numbers (miles, hours, days): whole when whole, else one decimal
    return 0 if value is None or float(value).is_integer() else 1


def _number(magnitude: float, unit: str, places: int) -> str:
    """A non-negative magnitude with its unit's symbol and suffix, no sign."""
    if unit.startswith("USD"):
        per = unit.partition("/")[2]
        suffix = "/mo" if per == "month" else RATE_SUFFIX.get(per, f"/{per}" if per else "")
        return f"${magnitude:,.{places}f}{suffix}"
    if unit == "months":
        return f"{magnitude:,.{places}f} months"
    if unit == "percent":
        return f"{magnitude:,.{places}f}%"
    return f"{magnitude:,.{places}f}"


def format_value(value: float | None, unit: str) -> str:
    """``$12,345``, ``$12.35/nm``, ``4.2 months``, ``120+ months``, ``12.5%``, ``17``;
    an em dash for missing values."""
    if value is None:
        return "—"
    if isinstance(value, str):  # a date KPI (the forecast's cash_low_week) reads as written
        return value
    if unit == "months" and value >= LONG_RUNWAY:
        # a reader sees "unlimited" past ten years; JSON keeps the exact value
        return f"{LONG_RUNWAY}+ months"
    places = decimals(unit, value)
    sign = "-" if round(value, places) < 0 else ""  # never "-$0"
    return sign + _number(abs(value), unit, places)


def format_cell(value: object, unit: str) -> str:
    """A table cell as every renderer shows it: numbers through ``format_value`` (``—`` when
    missing), text as is, missing text empty; never ``None``."""
    if unit in ("text", "") or isinstance(value, bool | str):
        return "" if value is None else str(value)
    if value is None or isinstance(value, numbers.Real):
        return format_value(None if value is None else float(value), unit)
    return str(value)


# a KPI whose missing value means something (CONTRACT: runway is null when nothing burns)
NO_VALUE = {"runway_months": "No burn"}


def kpi_value_text(kpi_id: str, value: float | None, unit: str) -> str:
    """A KPI's value as shown: ``format_value``, or the words a meaningful null stands for."""
    if value is None and kpi_id in NO_VALUE:
        return NO_VALUE[kpi_id]
    return format_value(value, unit)


@dataclass(frozen=True)
class Change:
    """A change as shown: its text and which way it went at display precision."""

    text: str  # "+$1,200", "-3.2 months", "no change", "was over 10 years"
    sign: int  # -1, 0 or +1; 0 when it rounds to nothing at the unit's precision
    standalone: bool = False  # reads without "vs" ("was over 10 years last month")

    def tone(self, direction: str) -> Tone:
        """good or bad for a KPI whose good ``direction`` is up or down; neutral for zero."""
        if self.sign == 0:
            return "neutral"
        return "good" if (self.sign > 0) == (direction == "up") else "bad"

    def phrase(self, against: str = "vs last month") -> str:
        """The change with what it is measured against: ``+$1,200 vs last month``."""
        if self.standalone:
            return f"{self.text} {against.removeprefix('vs ')}"
        return f"{self.text} {against}"


def describe_change(delta: float | None, unit: str, *, value: float | None = None) -> Change | None:
    """How a delta reads; None when there is nothing to compare. ``value`` (the current
    value) lets a runway say it "was over 10 years" instead of a capped or huge delta."""
    if delta is None:
        return None
    if unit == "months" and value is not None:
        previous = value - delta
        if previous >= LONG_RUNWAY:
            if value >= LONG_RUNWAY:
                return Change(NO_CHANGE, 0)  # "120+ months" both times
            return Change(f"was over {LONG_RUNWAY // 12} years", -1, standalone=True)
    places = decimals(unit, delta)
    shown = round(abs(delta), places)
    if shown == 0:
        return Change(NO_CHANGE, 0)
    sign = 1 if delta > 0 else -1
    # a percentage's change is in percentage points: 42.1% to 47.0% is +4.9 pp, not +4.9%
    text = (
        f"{abs(delta):,.{places}f} pp" if unit == "percent" else _number(abs(delta), unit, places)
    )
    return Change(("+" if sign > 0 else "-") + text, sign)


def format_delta(delta: float | None, unit: str, *, value: float | None = None) -> str | None:
    """A signed delta (``+$1,200``), ``no change`` when it rounds to zero, or None when there
    is nothing to compare. Never capped: ``-480.0 months``, not ``-120+ months``."""
    change = describe_change(delta, unit, value=value)
    return None if change is None else change.text
