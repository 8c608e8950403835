"""Sync runs and cursors: what every source records so `/data` and the CLI can show it.

A source's sync function takes ``(store, entity_id, ..., progress=None)`` and is wrapped by
:func:`sync_run`, which writes a ``running`` row first and marks it ``ok`` or ``error`` at the
end (the error's message is what the user reads). Sources save their cursor with
:func:`save_cursor` inside the transaction that writes their rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, func, insert, select, update

from core.alerts.after_change import alerts_after_change
from core.errors import DomainError
from core.ledger.models_sources import SourceCursor, SourceSync
from core.ledger.store import LedgerStore

# source id -> what a user calls it
SOURCES: dict[str, str] = {
    "stripe": "Stripe",
    "aws-costs": "AWS Cost Explorer",
    "aws-lambda": "AWS Lambda inventory",
    "git": "Git history",
    "secret-scan": "Secret scan",
}

Progress = Callable[[float, str], None]
"""Called with the share done (0..1) and a short line of what is happening."""


def no_progress(_done: float, _text: str) -> None:
    """A progress callback that ignores its calls."""


def utcnow() -> datetime:
    """The current instant in UTC."""
    return datetime.now(UTC)


@dataclass
class RunHandle:
    """What a running sync fills in: items written and a one-line summary."""

    id: int
    items: int = 0
    message: str = ""


class RunStatus(NamedTuple):
    """The latest run of one source for one entity."""

    entity_id: str
    source: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    items: int
    message: str


def as_utc(t: datetime) -> datetime:
    """An instant read back from the store as aware UTC (SQLite drops the zone)."""
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def age_text(t: datetime, now: datetime) -> str:
    """How long ago ``t`` was, the way a person says it ("just now", "5 min ago", "3 d ago")."""
    seconds = (as_utc(now) - as_utc(t)).total_seconds()
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


def _status(row: Any) -> RunStatus:
    entity_id, source, started, finished, status, items, message = row
    return RunStatus(
        entity_id,
        source,
        as_utc(started),
        as_utc(finished) if finished is not None else None,
        status,
        items,
        message,
    )


def _known_source(source: str) -> None:
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")


@contextmanager
def sync_run(
    store: LedgerStore, entity_id: str, source: str, *, now: Callable[[], datetime] = utcnow
) -> Iterator[RunHandle]:
    """Record one run: ``running`` now, then ``ok`` or ``error`` (re-raised) when it ends."""
    _known_source(source)
    store.get_entity(entity_id)  # NotFound before anything is written
    with store.engine.begin() as conn:
        run_id = conn.execute(
            insert(SourceSync).values(
                entity_id=entity_id, source=source, started_at=now(), status="running"
            )
        ).inserted_primary_key[0]
    handle = RunHandle(id=int(run_id))
    try:
        yield handle
    except DomainError as exc:
        _finish(store, handle, "error", str(exc), now)
        raise
    except Exception as exc:
        _finish(store, handle, "error", f"unexpected error: {type(exc).__name__}: {exc}", now)
        raise
    else:
        _finish(store, handle, "ok", handle.message, now)
        alerts_after_change(store, entity_id)


def _finish(
    store: LedgerStore,
    handle: RunHandle,
    status: str,
    message: str,
    now: Callable[[], datetime],
) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            update(SourceSync)
            .where(SourceSync.id == handle.id)
            .values(status=status, finished_at=now(), items=handle.items, message=message[:2000])
        )


def latest_runs(store: LedgerStore, entity_ids: Sequence[str]) -> list[RunStatus]:
    """The latest run of each (entity, source) among ``entity_ids``, by entity and source."""
    s = SourceSync
    newest = (
        select(func.max(s.id).label("id"))
        .where(s.entity_id.in_(list(entity_ids)))
        .group_by(s.entity_id, s.source)
        .subquery()
    )
    q = select(
        s.entity_id, s.source, s.started_at, s.finished_at, s.status, s.items, s.message
    ).join(newest, newest.c.id == s.id)
    with store.engine.connect() as conn:
        rows = [_status(row) for row in conn.execute(q)]
    # sorted here, not in SQL: text order follows the database's collation
    return sorted(rows, key=lambda r: (r.entity_id, r.source))


def run_history(
    store: LedgerStore, entity_ids: Sequence[str], *, limit: int = 50
) -> list[RunStatus]:
    """The most recent runs among ``entity_ids``, newest first."""
    s = SourceSync
    q = (
        select(s.entity_id, s.source, s.started_at, s.finished_at, s.status, s.items, s.message)
        .where(s.entity_id.in_(list(entity_ids)))
        .order_by(s.id.desc())
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [_status(row) for row in conn.execute(q)]


def load_cursor(store: LedgerStore, entity_id: str, source: str) -> dict[str, Any] | None:
    """The saved cursor of a source for an entity, or None before its first whole page."""
    c = SourceCursor
    with store.engine.connect() as conn:
        raw = conn.scalar(select(c.value).where(c.entity_id == entity_id, c.source == source))
    return None if raw is None else json.loads(raw)


def save_cursor(conn: Any, entity_id: str, source: str, value: dict[str, Any]) -> None:
    """Replace a source's cursor inside the caller's transaction."""
    _known_source(source)
    c = SourceCursor
    conn.execute(delete(c).where(c.entity_id == entity_id, c.source == source))
    conn.execute(
        insert(c).values(
            entity_id=entity_id,
            source=source,
            value=json.dumps(value, sort_keys=True),
            updated_at=utcnow(),
        )
    )
