"""One ledger transaction whose write collisions become a Conflict (all or nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from core.errors import Conflict
from core.ledger.store import LedgerStore, is_collision


@contextmanager
def ledger_transaction(store: LedgerStore, *, collided: str) -> Iterator[Connection]:
    """A connection in one transaction; a concurrent write's collision raises Conflict(collided)."""
    try:
        with store.engine.begin() as conn:
            yield conn
    except (IntegrityError, OperationalError) as exc:
        if isinstance(exc, OperationalError) and not is_collision(exc):
            raise
        raise Conflict(collided) from exc
