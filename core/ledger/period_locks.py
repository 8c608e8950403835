"""Whether a change may touch an entity's months: the one place a locked period refuses it.

A lock on month M (``close lock``) freezes M and every earlier month of the entity. Every
writer dated in a month asks this module inside its own transaction, before it writes: postings
(``Posting.post``: CSV imports, Stripe, record forms, delivery stages), moving lines
(re-categorizing, rules), undoing an import and the cloud cost sync. On PostgreSQL the entity
row is share-locked, so a lock committed meanwhile (which takes it for update) waits for the
writer, or the writer for the lock: a write never slips into a month locked under it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select

from core.errors import Conflict
from core.ledger.models import Entity
from core.ledger.models_close import PeriodLock
from core.periods import format_period


class PeriodLocked(Conflict):
    """A write dated in a locked month (or earlier); names the lock. Nothing was written."""

    code = "period_locked"

    def __init__(self, message: str, *, lock: PeriodLock | None = None) -> None:
        super().__init__(message)
        self.lock = lock


def covering_lock(conn: Any, entity_id: str, months: Collection[int]) -> PeriodLock | None:
    """The earliest lock of ``entity_id`` that freezes one of ``months``, or None."""
    if not months:
        return None
    if conn.dialect.name == "postgresql":
        # the close takes this row FOR UPDATE: a write and a lock of the same entity take turns
        conn.execute(select(Entity.id).where(Entity.id == entity_id).with_for_update(read=True))
    row = conn.execute(
        select(PeriodLock)
        .where(PeriodLock.entity_id == entity_id, PeriodLock.month >= min(months))
        .order_by(PeriodLock.month)  # type: ignore[arg-type]
        .limit(1)
    ).first()
    return PeriodLock.model_validate(row._mapping) if row else None


def lock_message(entity_id: str, months: Collection[int], lock: PeriodLock) -> str:
    """What a refused write tells its user: the month, the lock, who locked it and when."""
    first = format_period(min(months))
    when = lock.locked_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{entity_id} {first} is closed: {entity_id} is locked through "
        f"{format_period(lock.month)} by {lock.locked_by} on {when}; "
        "the owner must unlock it first"
    )


def locked_months_problem(conn: Any, entity_id: str, months: Collection[int]) -> str | None:
    """Why ``months`` (YYYYMM) of ``entity_id`` may not change now, or None when they may."""
    lock = covering_lock(conn, entity_id, months)
    return lock_message(entity_id, months, lock) if lock else None


def refuse_locked_months(conn: Any, entity_id: str, months: Collection[int]) -> None:
    """Raise PeriodLocked when a lock freezes one of ``months`` of ``entity_id``."""
    lock = covering_lock(conn, entity_id, months)
    if lock is not None:
        raise PeriodLocked(lock_message(entity_id, months, lock), lock=lock)


def locked_through(conn: Any, entity_id: str) -> int | None:
    """The latest locked month of ``entity_id`` (it and every earlier month are frozen)."""
    return conn.scalar(
        select(PeriodLock.month)
        .where(PeriodLock.entity_id == entity_id)
        .order_by(PeriodLock.month.desc())  # type: ignore[attr-defined]
        .limit(1)
    )
