"""Reads and writes of the tech tables; every read filters by ``entity_ids`` in SQL.

Instants go in and come back as aware datetimes (stored in UTC by SQLModel's datetime type).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, tuple_
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
def services(store: LedgerStore, entity_ids: Sequence[str]) -> list[ServiceRow]:
    """Every service of the given entities (active or retired), by entity and name.

    An entity with any real service (e.g. from the Lambda inventory) shows no demo service.
    """
    t = TechService
    q = select(
        t.entity_id, t.name, t.kind, t.runtime, t.owner, t.repo, t.launched_on, t.retired_on
    ).where(t.entity_id.in_(list(entity_ids)), prefer_real(t))
    with store.engine.connect() as conn:
        rows = [ServiceRow(*row) for row in conn.execute(q)]
    return sorted(rows, key=lambda r: (r.entity_id, r.name))  # not the database's collation


def costs(store: LedgerStore, entity_ids: Sequence[str], first: int, last: int) -> list[CostRow]:
    """Cost lines of the given entities from month ``first`` to ``last`` inclusive.

    Per entity and month, real lines (any source but demo) hide the demo ones.
    """
    c = CloudCost
    return _costs(store, entity_ids, c.month >= first, c.month <= last)


def costs_in(store: LedgerStore, entity_ids: Sequence[str], months: Sequence[int]) -> list[CostRow]:
    """Cost lines of the given entities in ``months`` (real hides demo per month)."""
    return _costs(store, entity_ids, CloudCost.month.in_(list(months)))


def _costs(store: LedgerStore, entity_ids: Sequence[str], *where: Any) -> list[CostRow]:
    c = CloudCost
    q = select(c.entity_id, c.month, c.service, c.cost_cents).where(
        c.entity_id.in_(list(entity_ids)), *where, prefer_real(c, "month")
    )
    with store.engine.connect() as conn:
        return [CostRow(*row) for row in conn.execute(q)]


def usage(store: LedgerStore, entity_ids: Sequence[str], months: Sequence[int]) -> list[UsageRow]:
    """Resource usage rows of the given entities in ``months`` (real hides demo per month)."""
    u = CloudResourceUsage
    q = select(
        u.entity_id,
        u.month,
        u.resource,
        u.service,
        u.cost_cents,
        u.utilization_pct,
        u.last_active_on,
    ).where(u.entity_id.in_(list(entity_ids)), u.month.in_(list(months)), prefer_real(u, "month"))
    with store.engine.connect() as conn:
        return [UsageRow(*row) for row in conn.execute(q)]


def findings(store: LedgerStore, entity_ids: Sequence[str]) -> list[FindingRow]:
    """Every security finding of the given entities (real findings hide the demo ones)."""
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
    ).where(f.entity_id.in_(list(entity_ids)), prefer_real(f))
    with store.engine.connect() as conn:
        return [FindingRow(*row) for row in conn.execute(q)]


def _commit_query(entity_ids: Sequence[str]) -> Any:
    c, d = GitCommit, Deploy
    return (
        select(c.entity_id, c.repo, c.authored_at, c.author, d.deployed_at)
        .select_from(c)
        .outerjoin(
            d,
            and_(d.entity_id == c.entity_id, d.repo == c.repo, d.tag == c.deploy_tag),
        )
        .where(c.entity_id.in_(list(entity_ids)), prefer_real(c))
    )


def _commit_rows(store: LedgerStore, q: Any) -> list[CommitRow]:
    with store.engine.connect() as conn:
        return [CommitRow(*row) for row in conn.execute(q)]


def commits(
    store: LedgerStore, entity_ids: Sequence[str], start: datetime, end: datetime
) -> list[CommitRow]:
    """Commits authored in [start, end), with the instant of the deploy that shipped each."""
    q = _commit_query(entity_ids).where(GitCommit.authored_at >= start, GitCommit.authored_at < end)
    return _commit_rows(store, q)


def shipped_commits(
    store: LedgerStore, entity_ids: Sequence[str], windows: Sequence[tuple[datetime, datetime]]
) -> list[CommitRow]:
    """Commits shipped by deploys made in any of the [start, end) ``windows``, in one read."""
    if not windows:
        return []
    c, d = GitCommit, Deploy
    # From the windows' deploys to their commits by the (repo, deploy_tag) index. The entity
    # match is checked here, not in the join: with it there, SQLite carries the entities' IN
    # list over to the commits and starts from every commit of the entities instead.
    q = (
        select(d.entity_id, c.entity_id, c.repo, c.authored_at, c.author, d.deployed_at)
        .select_from(d)
        .join(c, and_(c.repo == d.repo, c.deploy_tag == d.tag))
        .where(
            d.entity_id.in_(list(entity_ids)),
            or_(*(and_(d.deployed_at >= start, d.deployed_at < end) for start, end in windows)),
            prefer_real(c),
        )
    )
    with store.engine.connect() as conn:
        return [CommitRow(*row[1:]) for row in conn.execute(q) if row[0] == row[1]]


def deploys(
    store: LedgerStore, entity_ids: Sequence[str], windows: Sequence[tuple[datetime, datetime]]
) -> list[DeployRow]:
    """Deploys of the given entities made in any of the [start, end) ``windows`` (real git
    history hides the demo's)."""
    if not windows:
        return []
    d = Deploy
    q = select(d.entity_id, d.repo, d.tag, d.deployed_at, d.commit_count).where(
        d.entity_id.in_(list(entity_ids)),
        prefer_real(d),
        or_(*(and_(d.deployed_at >= start, d.deployed_at < end) for start, end in windows)),
    )
    with store.engine.connect() as conn:
        return [DeployRow(*row) for row in conn.execute(q)]


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
