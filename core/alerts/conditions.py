"""When a KPI has crossed a rule's condition, and what a rule does about it (pure functions).

A ``once`` rule fires on the first evaluation that finds the KPI crossed, then stays quiet
until one evaluation finds it back on the good side (re-armed). An ``every`` rule fires on
each evaluation while crossed, at most once per local day (the claim key says which day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.reports.formatting import format_value
from core.reports.model import KPI

CONDITIONS = ("below", "above", "off_target")
MODES = ("once", "every")


@dataclass(frozen=True)
class Step:
    """What one evaluation of a rule does: fire (with which claim key) and/or re-arm."""

    fire: bool
    occurrence: str | None
    rearm: bool


def is_crossed(condition: str, threshold: float | None, kpi: KPI) -> bool:
    """True when the KPI is on the bad side: under/over the threshold, or its status ``bad``
    (which follows the KPI's direction). A KPI without a value never crosses a threshold."""
    if condition == "off_target":
        return kpi.status == "bad"
    if kpi.value is None or threshold is None:
        return False
    return kpi.value < threshold if condition == "below" else kpi.value > threshold


def step(*, mode: str, armed: bool, cycle: int, crossed: bool, day: date) -> Step:
    """The transition of one evaluation (``day``: the evaluation's local date)."""
    if mode == "every":
        return Step(
            fire=crossed, occurrence=f"every-{day.isoformat()}" if crossed else None, rearm=False
        )
    if crossed:
        return Step(fire=armed, occurrence=f"once-{cycle}" if armed else None, rearm=False)
    return Step(fire=False, occurrence=None, rearm=not armed)


def describe_condition(condition: str, threshold: float | None, unit: str) -> str:
    """``below 6.0 months``, ``above $5,000``, ``off target``."""
    if condition == "off_target":
        return "off target"
    return f"{condition} {format_value(threshold, unit)}"
