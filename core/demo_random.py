"""Random draws the demo generators share: a day in a month, a whole count around a mean."""

from __future__ import annotations

import random
from datetime import date

from core.periods import days_in


def random_day(rng: random.Random, month: int) -> date:
    """A uniformly drawn day of a yyyymm month."""
    return date(month // 100, month % 100, rng.randint(1, days_in(month)))


def whole_count(rng: random.Random, mean: float) -> int:
    """A whole count around ``mean`` (rounded with a random remainder)."""
    base = int(mean)
    return base + (1 if rng.random() < mean - base else 0)
