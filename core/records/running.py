"""Running totals over sorted days: any window's totals as the difference of two."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date
from itertools import accumulate


class RunningTotals:
    """Per-day rows of numbers (by day, one row a day), summed over any window of days."""

    def __init__(self, rows: Sequence[tuple[date, tuple[int, ...]]], width: int) -> None:
        self.days = [d for d, _ in rows]
        # one running column per value (C loops), the totals up to each row read across them
        values = list(zip(*(v for _, v in rows), strict=True)) or [()] * width
        columns = [accumulate(column, initial=0) for column in values]
        self.upto = list(zip(*columns, strict=True)) if width else [()] * (len(rows) + 1)

    def between(self, first: date, last: date) -> tuple[int, ...]:
        """The totals of the rows dated in [first, last]."""
        lo = self.upto[bisect_left(self.days, first)]
        hi = self.upto[bisect_right(self.days, last)]
        return tuple(b - a for a, b in zip(lo, hi, strict=True))
