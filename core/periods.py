"""Month arithmetic on integer months (``yyyymm``), the ledger's reporting grain."""

from __future__ import annotations

import calendar
import re
from datetime import date

from core.errors import Invalid

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(day: date) -> int:
    """The yyyymm month a date falls in."""
    return day.year * 100 + day.month


def month_add(month: int, n: int) -> int:
    """The month ``n`` months after ``month`` (negative goes back)."""
    index = (month // 100) * 12 + (month % 100 - 1) + n
    return (index // 12) * 100 + index % 12 + 1


def month_range(first: int, last: int) -> list[int]:
    """Every month from ``first`` to ``last`` inclusive."""
    out: list[int] = []
    m = first
    while m <= last:
        out.append(m)
        m = month_add(m, 1)
    return out


def months_ending(month: int, n: int) -> list[int]:
    """The ``n`` months ending with ``month``, oldest first."""
    return month_range(month_add(month, -(n - 1)), month)


def parse_period(text: str) -> int:
    """``YYYY-MM`` -> yyyymm; raises Invalid on anything else."""
    match = _PERIOD.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise Invalid(f"period {text!r} is not a month like 2026-05")
    return int(match.group(1)) * 100 + int(match.group(2))


def format_period(month: int) -> str:
    """yyyymm -> ``YYYY-MM``."""
    return f"{month // 100:04d}-{month % 100:02d}"


def month_label(month: int) -> str:
    """yyyymm -> ``Nov 2026``."""
    return date(month // 100, month % 100, 1).strftime("%b %Y")


def month_short(month: int) -> str:
    """yyyymm -> ``Nov 26`` for chart axes."""
    return date(month // 100, month % 100, 1).strftime("%b %y")


def first_day(month: int) -> date:
    """The first day of a yyyymm month."""
    return date(month // 100, month % 100, 1)


def days_in(month: int) -> int:
    """How many days a yyyymm month has."""
    return calendar.monthrange(month // 100, month % 100)[1]


def last_day(month: int) -> date:
    """The last day of a yyyymm month."""
    return date(month // 100, month % 100, days_in(month))


def as_of_day(month: int, today: date) -> date:
    """The day a month is read at: its last day, or today while it is under way."""
    end = last_day(month)
    return today if first_day(month) <= today < end else end


def days_covered(month: int, today: date) -> int:
    """Days of ``month`` that have passed by ``today`` (all of them for a closed month)."""
    if today < first_day(month):
        return 0
    return (as_of_day(month, today) - first_day(month)).days + 1


def add_months(day: date, n: int) -> date:
    """The same day ``n`` months later (clipped to the month's length)."""
    m = month_add(month_of(day), n)
    return date(m // 100, m % 100, min(day.day, days_in(m)))
