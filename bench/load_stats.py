"""Figures of a load run: nearest-rank percentiles, summaries and ratios."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..1): the smallest value with >= q of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summarize(values: Sequence[float], digits: int = 3) -> dict[str, float | int | None]:
    """Count, min, median, p95, p99 and max of ``values`` (None when empty)."""
    if not values:
        return {"n": 0, "min": None, "median": None, "p95": None, "p99": None, "max": None}

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, digits)

    return {
        "n": len(values),
        "min": r(min(values)),
        "median": r(statistics.median(values)),
        "p95": r(percentile(values, 0.95)),
        "p99": r(percentile(values, 0.99)),
        "max": r(max(values)),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b rounded to 2 places; None when either is missing or b is 0."""
    if a is None or not b:
        return None
    return round(a / b, 2)
