"""SQL pieces every ledger module shares: upserts, account-path matches that are
case-sensitive on SQLite and PostgreSQL alike, collisions, chunks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.exc import OperationalError

_CHUNK = 500


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    """``items`` in slices of at most ``size`` (IN lists and batches stay bounded)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert_insert(dialect_name: str) -> Any:
    """The dialect's ``insert`` that has ``on_conflict_do_*`` (SQLite and PostgreSQL both do)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    return upsert


def path_under(column: Any, prefix: str) -> Any:
    """SQL for "the account path is ``prefix`` or below it", case-sensitive on every backend.

    Not LIKE: SQLite's LIKE ignores ASCII case and PostgreSQL's does not, and ``_`` in a path
    would be a wildcard. substr compares exact characters, as the reports' Python does.
    """
    head = prefix + ":"
    return or_(column == prefix, func.substr(column, 1, len(head)) == head)


def path_ends_with(column: Any, suffix: str) -> Any:
    """SQL for "the account path ends with ``suffix``", case-sensitive on every backend."""
    return func.substr(column, func.length(column) - len(suffix) + 1) == suffix


def is_collision(exc: OperationalError) -> bool:
    """True for PostgreSQL's deadlock and serialization failures: concurrent writes collided."""
    return getattr(exc.orig, "sqlstate", None) in {"40P01", "40001"}
