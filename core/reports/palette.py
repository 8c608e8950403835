"""The report colours, shared by every builder so a series means the same colour everywhere."""

from __future__ import annotations

from collections.abc import Sequence

BLUE = "#1F4E79"  # revenue, actuals
GREY = "#7A8699"  # costs, targets, "other"
GREEN = "#2E7D32"  # net income, good
RED = "#C62828"  # burn, bad, totals to watch
AMBER = "#E0A100"  # ratios on a second axis
TEAL = "#00838F"
DEFAULT_COLORS = (BLUE, GREY, GREEN, RED, AMBER)  # series that name no colour, in order

# a series drawn in the "good" colour is a result whose sign matters (net income, net
# revenue, margin): below zero it is a loss and is drawn red, point by point
SIGNED = {GREEN: RED}


def point_colors(values: Sequence[float | None], color: str | None) -> str | list[str] | None:
    """The series' colour, or one colour per point when its sign matters and one is negative."""
    loss = SIGNED.get(color or "")
    if loss is None or not any(v is not None and v < 0 for v in values):
        return color
    return [loss if v is not None and v < 0 else str(color) for v in values]
