"""Months past due for closing: a month must be locked by the 10th of the next month.

The CEO's operational shortfalls list each entity whose last month due is still open
(``core.reports.close_shortfalls``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from core.ledger.models import MonthlyTotal
from core.ledger.models_close import PeriodLock
from core.ledger.store import LedgerStore
from core.periods import month_add, month_of

CLOSE_BY_DAY = 10  # a month is closed (locked) by the 10th of the month after


@dataclass(frozen=True)
class PastDue:
    """An entity whose months up to ``due_month`` should be locked and are not all."""

    entity_id: str
    due_month: int  # the latest month whose closing day has passed
    locked_through: int | None
    first_open: int  # the oldest month with books that is not locked
    months: int  # how many months from ``first_open`` to ``due_month``


def due_month(today: date) -> int:
    """The latest month that should be locked on ``today`` (its 10th-of-next-month passed)."""
    back = 1 if today.day > CLOSE_BY_DAY else 2
    return month_add(month_of(today), -back)


def _per_entity(conn: Any, value: Any, entity: Any, ids: list[str]) -> dict[str, int]:
    """``value`` (an aggregate) per entity of ``ids``."""
    query = select(entity, value).where(entity.in_(ids)).group_by(entity)
    return {row[0]: row[1] for row in conn.execute(query)}


def months_past_due(store: LedgerStore, entity_ids: Sequence[str], today: date) -> list[PastDue]:
    """The entities of ``entity_ids`` with books in a month due for closing and not locked."""
    if not entity_ids:
        return []
    due = due_month(today)
    ids = list(entity_ids)
    with store.engine.connect() as conn:
        locked = _per_entity(conn, func.max(PeriodLock.month), PeriodLock.entity_id, ids)
        first = _per_entity(conn, func.min(MonthlyTotal.month), MonthlyTotal.entity_id, ids)
    out = []
    for eid in ids:
        if eid not in first:
            continue  # no books yet: nothing to close
        through = locked.get(eid)
        start = max(first[eid], month_add(through, 1)) if through else first[eid]
        if start <= due:
            months = (due // 100 - start // 100) * 12 + due % 100 - start % 100 + 1
            out.append(PastDue(eid, due, through, start, months))
    return out
