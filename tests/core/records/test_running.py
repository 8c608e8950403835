"""Running totals: any window's sums, per column, equal summing the rows in it."""

from __future__ import annotations

import random
from datetime import date, timedelta

from core.records.running import RunningTotals


def test_every_window_equals_the_sum_of_its_rows() -> None:
    rng = random.Random(3)
    start = date(2026, 1, 1)
    days = sorted(rng.sample(range(200), 60))
    rows = [
        (start + timedelta(days=d), tuple(rng.randint(-50, 500) for _ in range(3))) for d in days
    ]
    running = RunningTotals(rows, 3)
    for _ in range(300):
        a, b = sorted(rng.sample(range(-5, 210), 2))
        first, last = start + timedelta(days=a), start + timedelta(days=b)
        inside = [v for d, v in rows if first <= d <= last]
        expected = tuple(sum(v[k] for v in inside) for k in range(3))
        assert running.between(first, last) == expected


def test_no_rows_sum_to_zero() -> None:
    assert RunningTotals([], 2).between(date(2026, 1, 1), date(2026, 12, 31)) == (0, 0)
