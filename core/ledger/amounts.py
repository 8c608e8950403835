"""The largest amount the ledger accepts, checked wherever amounts enter it.

Amounts are stored as signed cents in 64-bit integer columns (SQLite INTEGER, PostgreSQL
BIGINT, at most 9.2 * 10^18). A line is bounded far below that so that monthly totals and
report sums of many lines still fit: an amount past the bound is bad input, never a crash.
"""

from __future__ import annotations

from typing import overload

MAX_DOLLARS = 10**13  # ten trillion dollars
MAX_CENTS = MAX_DOLLARS * 100
LIMIT_TEXT = f"±{MAX_DOLLARS:,} dollars"


def amount_problem(cents: int) -> str | None:
    """Why ``cents`` cannot be an amount (None when it can)."""
    if abs(cents) > MAX_CENTS:
        return f"is beyond the largest amount the ledger takes ({LIMIT_TEXT})"
    return None


@overload
def dollars(cents: None) -> None: ...
@overload
def dollars(cents: float) -> float: ...
def dollars(cents: float | None) -> float | None:
    """Integer cents (the ledger's unit) to dollars with 2 decimals; None stays None."""
    return None if cents is None else round(cents / 100, 2)
