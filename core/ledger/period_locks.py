"""Whether a change may touch an entity's months: the one place a locked period refuses it.

Nothing is locked yet; the month-end close adds its locked periods here, and every change that
rewrites posted months (undoing an import, among others) asks this module first, inside its
own transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


def locked_months_problem(conn: Any, entity_id: str, months: Collection[int]) -> str | None:
    """Why ``months`` (YYYYMM) of ``entity_id`` may not change now, or None when they may."""
    del conn, entity_id, months  # no period is locked until the close lands
    return None
