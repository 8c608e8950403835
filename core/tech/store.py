"""Reads and writes of the tech tables; every read filters by ``entity_ids`` in SQL.

Instants go in and come back as aware datetimes (stored in UTC by SQLModel's datetime type).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, or_, select, tuple_
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from core.ledger.models_tech import (
    CloudCost,
    CloudResourceUsage,
    Deploy,
    GitCommit,
    SecurityFinding,
    TechService,
)
from core.ledger.store import LedgerStore
from core.metrics.tech import (
    CommitRow,
    CostRow,
    DeployRow,
    FindingRow,
    ServiceRow,
    UsageRow,
)

_CHUNK = 1000
DEMO = "demo"


@cache
def prefer_real(model: Any, *same: str) -> ColumnElement[bool]:
    """Keep a row unless it is demo data and its entity (and ``same`` columns) has real rows.

    Real data replaces the demo story instead of adding to it: once an entity has, say, Cost
    Explorer lines for a month, that month's demo lines stop counting. The keys with real
    rows are one uncorrelated subquery (a correlated EXISTS per row made the CTO report 30x
    slower on the demo portfolio). Built once per table: a fresh alias per call would miss
    SQLAlchemy's statement cache and recompile every query.
    """
    other = aliased(model)
    real = (
        select(other.entity_id, *(getattr(other, col) for col in same))
        .where(other.source != DEMO)
        .distinct()
    )
    key = [model.entity_id, *(getattr(model, col) for col in same)]
    mine = key[0] if len(key) == 1 else tuple_(*key)
    return or_(model.source != DEMO, mine.not_in(real))


# -- reads --------------------------------------------------------------------------------------
# Each read's statement is built once, with bind parameters for the entities, months and
# instants: building a statement and its cache key on every call cost SQLAlchemy several
# times what SQLite spends answering these small reads.
_IDS = bindparam("ids", expanding=True)
_MONTHS = bindparam("months", expanding=True)


def _read(store: LedgerStore, q: Any, row: Any, **params: Any) -> list[Any]:
    with store.engine.connect() as conn:
        return [row(*r) for r in conn.execute(q, params)]


@cache
def _services_query() -> Any:
    t = TechService
    cols = (t.entity_id, t.name, t.kind, t.runtime, t.owner, t.repo, t.launched_on, t.retired_on)
    return select(*cols).where(t.entity_id.in_(_IDS), prefer_real(t))


def services(store: LedgerStore, entity_ids: Sequence[str]) -> list[ServiceRow]:
    """Every service of the given entities (active or retired), by entity and name.

    An entity with any real service (e.g. from the Lambda inventory) shows no demo service.
    """
    rows = _read(store, _services_query(), ServiceRow, ids=list(entity_ids))
    return sorted(rows, key=lambda r: (r.entity_id, r.name))  # not the database's collation


@cache
def _costs_query(between: bool) -> Any:
    c = CloudCost
    if between:
        when = (c.month >= bindparam("first"), c.month <= bindparam("last"))
    else:
        when = (c.month.in_(_MONTHS),)
    q = select(c.entity_id, c.month, c.service, c.cost_cents)
    return q.where(c.entity_id.in_(_IDS), *when, prefer_real(c, "month"))


def costs(store: LedgerStore, entity_ids: Sequence[str], first: int, last: int) -> list[CostRow]:
    """Cost lines of the given entities from month ``first`` to ``last`` inclusive.

    Per entity and month, real lines (any source but demo) hide the demo ones.
    """
    q = _costs_query(True)
    return _read(store, q, CostRow, ids=list(entity_ids), first=first, last=last)


def costs_in(store: LedgerStore, entity_ids: Sequence[str], months: Sequence[int]) -> list[CostRow]:
    """Cost lines of the given entities in ``months`` (real hides demo per month)."""
    q = _costs_query(False)
    return _read(store, q, CostRow, ids=list(entity_ids), months=list(months))


@cache
def _usage_query() -> Any:
    u = CloudResourceUsage
    q = select(
        u.entity_id,
        u.month,
        u.resource,
        u.service,
        u.cost_cents,
        u.utilization_pct,
        u.last_active_on,
    )
    return q.where(u.entity_id.in_(_IDS), u.month.in_(_MONTHS), prefer_real(u, "month"))


def usage(store: LedgerStore, entity_ids: Sequence[str], months: Sequence[int]) -> list[UsageRow]:
    """Resource usage rows of the given entities in ``months`` (real hides demo per month)."""
    q = _usage_query()
    return _read(store, q, UsageRow, ids=list(entity_ids), months=list(months))


@cache
def _findings_query() -> Any:
    f = SecurityFinding
    q = select(
        f.entity_id,
        f.service,
        f.title,
        f.fix,
        f.severity,
        f.status,
        f.opened_on,
        f.fixed_on,
        f.source,
    )
    return q.where(f.entity_id.in_(_IDS), prefer_real(f))


def findings(store: LedgerStore, entity_ids: Sequence[str]) -> list[FindingRow]:
    """Every security finding of the given entities (real findings hide the demo ones)."""
    return _read(store, _findings_query(), FindingRow, ids=list(entity_ids))


@cache
def _commits_query() -> Any:
    c, d = GitCommit, Deploy
    return (
        select(c.entity_id, c.repo, c.authored_at, c.author, d.deployed_at)
        .select_from(c)
        .outerjoin(
            d,
            and_(d.entity_id == c.entity_id, d.repo == c.repo, d.tag == c.deploy_tag),
        )
        .where(c.entity_id.in_(_IDS), prefer_real(c))
        .where(c.authored_at >= bindparam("start"), c.authored_at < bindparam("end"))
    )


def commits(
    store: LedgerStore, entity_ids: Sequence[str], start: datetime, end: datetime
) -> list[CommitRow]:
    """Commits authored in [start, end), with the instant of the deploy that shipped each."""
    q = _commits_query()
    return _read(store, q, CommitRow, ids=list(entity_ids), start=start, end=end)


def _in_windows(column: Any, windows: int) -> Any:
    """``column`` in any of ``windows`` [start, end) windows (parameters start0, end0, ...)."""
    return or_(
        *(
            and_(column >= bindparam(f"start{k}"), column < bindparam(f"end{k}"))
            for k in range(windows)
        )
    )


def _window_params(windows: Sequence[tuple[datetime, datetime]]) -> dict[str, datetime]:
    out = {}
    for k, (start, end) in enumerate(windows):
        out[f"start{k}"], out[f"end{k}"] = start, end
    return out


@cache
def _shipped_query(windows: int) -> Any:
    c, d = GitCommit, Deploy
    # From the windows' deploys to their commits by the (repo, deploy_tag) index. The entity
    # match is checked after the read, not in the join: with it there, SQLite carries the
    # entities' IN list over to the commits and starts from every commit of the entities.
    return (
        select(d.entity_id, c.entity_id, c.repo, c.authored_at, c.author, d.deployed_at)
        .select_from(d)
        .join(c, and_(c.repo == d.repo, c.deploy_tag == d.tag))
        .where(d.entity_id.in_(_IDS), _in_windows(d.deployed_at, windows), prefer_real(c))
    )


def shipped_commits(
    store: LedgerStore, entity_ids: Sequence[str], windows: Sequence[tuple[datetime, datetime]]
) -> list[CommitRow]:
    """Commits shipped by deploys made in any of the [start, end) ``windows``, in one read."""
    if not windows:
        return []
    q = _shipped_query(len(windows))
    with store.engine.connect() as conn:
        rows = conn.execute(q, {"ids": list(entity_ids), **_window_params(windows)})
        return [CommitRow(*row[1:]) for row in rows if row[0] == row[1]]


@cache
def _deploys_query(windows: int) -> Any:
    d = Deploy
    q = select(d.entity_id, d.repo, d.tag, d.deployed_at, d.commit_count)
    return q.where(d.entity_id.in_(_IDS), prefer_real(d), _in_windows(d.deployed_at, windows))


def deploys(
    store: LedgerStore, entity_ids: Sequence[str], windows: Sequence[tuple[datetime, datetime]]
) -> list[DeployRow]:
    """Deploys of the given entities made in any of the [start, end) ``windows`` (real git
    history hides the demo's)."""
    if not windows:
        return []
    q = _deploys_query(len(windows))
    return _read(store, q, DeployRow, ids=list(entity_ids), **_window_params(windows))


# -- writes -------------------------------------------------------------------------------------
def insert_rows(store: LedgerStore, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> int:
    """Bulk-insert plain dicts into one table in one transaction (instants must be aware)."""
    with store.engine.begin() as conn:
        for start in range(0, len(rows), _CHUNK):
            conn.execute(insert(model), list(rows[start : start + _CHUNK]))  # type: ignore[arg-type]
    return len(rows)


def replace_costs(store: LedgerStore, rows: Iterable[CostRow], *, source: str) -> int:
    """Write cost lines from one source, replacing that source's lines for the same keys."""
    items = list(rows)
    keys = [(r.entity_id, r.month, r.service) for r in items]
    c = CloudCost
    with store.engine.begin() as conn:
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            conn.execute(
                delete(c).where(
                    c.source == source, tuple_(c.entity_id, c.month, c.service).in_(chunk)
                )
            )
        for start in range(0, len(items), _CHUNK):
            conn.execute(
                insert(c),
                [
                    {
                        "entity_id": r.entity_id,
                        "month": r.month,
                        "service": r.service,
                        "cost_cents": r.cents,
                        "source": source,
                    }
                    for r in items[start : start + _CHUNK]
                ],
            )
    return len(items)
