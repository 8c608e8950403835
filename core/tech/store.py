"""Reads and writes of the tech tables; every read filters by ``entity_ids`` in SQL.

Instants go in and come back as aware datetimes (stored in UTC by SQLModel's datetime type).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, select, tuple_
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


# -- reads --------------------------------------------------------------------------------------
def services(store: LedgerStore, entity_ids: Sequence[str]) -> list[ServiceRow]:
    """Every service of the given entities (active or retired), by entity and name."""
    t = TechService
    q = (
        select(t.entity_id, t.name, t.kind, t.runtime, t.owner, t.repo, t.launched_on, t.retired_on)
        .where(t.entity_id.in_(list(entity_ids)))
        .order_by(t.entity_id, t.name)
    )
    with store.engine.connect() as conn:
        return [ServiceRow(*row) for row in conn.execute(q)]


def costs(store: LedgerStore, entity_ids: Sequence[str], first: int, last: int) -> list[CostRow]:
    """Cost lines of the given entities from month ``first`` to ``last`` inclusive."""
    c = CloudCost
    q = select(c.entity_id, c.month, c.service, c.cost_cents).where(
        c.entity_id.in_(list(entity_ids)), c.month >= first, c.month <= last
    )
    with store.engine.connect() as conn:
        return [CostRow(*row) for row in conn.execute(q)]


def usage(store: LedgerStore, entity_ids: Sequence[str], months: Sequence[int]) -> list[UsageRow]:
    """Resource usage rows of the given entities in ``months``."""
    u = CloudResourceUsage
    q = select(
        u.entity_id,
        u.month,
        u.resource,
        u.service,
        u.cost_cents,
        u.utilization_pct,
        u.last_active_on,
    ).where(u.entity_id.in_(list(entity_ids)), u.month.in_(list(months)))
    with store.engine.connect() as conn:
        return [UsageRow(*row) for row in conn.execute(q)]


def findings(store: LedgerStore, entity_ids: Sequence[str]) -> list[FindingRow]:
    """Every security finding of the given entities."""
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
    ).where(f.entity_id.in_(list(entity_ids)))
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
        .where(c.entity_id.in_(list(entity_ids)))
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
    store: LedgerStore, entity_ids: Sequence[str], start: datetime, end: datetime
) -> list[CommitRow]:
    """Commits shipped by deploys made in [start, end)."""
    q = _commit_query(entity_ids).where(Deploy.deployed_at >= start, Deploy.deployed_at < end)
    return _commit_rows(store, q)


def deploys(
    store: LedgerStore, entity_ids: Sequence[str], start: datetime, end: datetime
) -> list[DeployRow]:
    """Deploys of the given entities made in [start, end)."""
    d = Deploy
    q = select(d.entity_id, d.repo, d.tag, d.deployed_at, d.commit_count).where(
        d.entity_id.in_(list(entity_ids)),
        d.deployed_at >= start,
        d.deployed_at < end,
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
