"""Number formatting shared by every renderer."""

from __future__ import annotations

LONG_RUNWAY = 120


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
