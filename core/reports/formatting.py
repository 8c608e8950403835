"""Number formatting shared by every renderer."""

from __future__ import annotations

from typing import overload

LONG_RUNWAY = 120


@overload
def dollars(cents: None) -> None: ...
@overload
def dollars(cents: float) -> float: ...
def dollars(cents: float | None) -> float | None:
    """Integer cents (the ledger's unit) to dollars with 2 decimals; None stays None."""
    return None if cents is None else round(cents / 100, 2)


def format_value(value: float | None, unit: str) -> str:
    """``$12,345``, ``4.2 months``, ``17``; an em dash for missing values."""
    if value is None:
        return "—"
    if unit.startswith("USD"):
        sign = "-" if value < 0 else ""
        text = f"{sign}${abs(value):,.0f}"
        return text + "/mo" if unit == "USD/month" else text
    if unit == "months":
        # past ten years a runway is "unlimited" for a reader; JSON keeps the exact value
        return f"{LONG_RUNWAY}+ months" if value >= LONG_RUNWAY else f"{value:,.1f} months"
    if unit == "percent":
        return f"{value:,.1f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def format_delta(value: float | None, unit: str) -> str | None:
    """A signed delta (``+$1,200``), or None when there is nothing to compare."""
    if value is None:
        return None
    sign = "+" if value >= 0 else "-"
    return sign + format_value(abs(value), unit)
