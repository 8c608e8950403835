"""``close status``: each entity's checks and lock state for a month, as one JSON value.

Shape (CONTRACT section 8): ``{"period", "entities": [{"entity_id", "name", "locked", "checks"}],
"checks": [{"entity_id", "id", "status", "summary", "evidence_count", "evidence"}],
"anomalies": [...]}``: the open anomalies of the month (:mod:`core.close.anomalies`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.auth.dashboard_users import UserScope
from core.close.anomalies import open_anomalies
from core.close.checks import FAIL, PASS, WARN, CheckResult, run_checks
from core.close.locks import authorize_close, lock_covering, locks_of
from core.errors import NotFound
from core.ledger.models_close import PeriodLock
from core.ledger.store import LedgerStore
from core.periods import format_period


@dataclass(frozen=True)
class EntityClose:
    """One entity's month: its checks and the lock that freezes it (None: open)."""

    entity_id: str
    name: str
    month: int
    checks: list[CheckResult]
    lock: PeriodLock | None

    @property
    def status(self) -> str:
        """``fail`` when a check fails, else ``warn`` when one warns, else ``pass``."""
        states = {c.status for c in self.checks}
        return FAIL if FAIL in states else WARN if WARN in states else PASS

    def to_dict(self) -> dict[str, Any]:
        """The entity's part of the JSON."""
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "status": self.status,
            "locked": lock_dict(self.lock),
            "checks": [c.to_dict() for c in self.checks],
        }


def lock_dict(lock: PeriodLock | None) -> dict[str, Any] | None:
    """A lock as JSON (None when open)."""
    if lock is None:
        return None
    return {
        "through": format_period(lock.month),
        "locked_by": lock.locked_by,
        "locked_at": lock.locked_at.isoformat(),
        "forced": lock.forced,
        "reason": lock.reason,
    }


def close_entities(store: LedgerStore, actor: UserScope, entity: str) -> list[tuple[str, str]]:
    """The (id, name) of ``entity`` or, for ``all``, of every entity the actor may close."""
    names = {e.id: e.name for e in store.list_entities()}
    if entity == "all":
        ids = [e for e in names if actor.entities is None or e in actor.entities]
    elif entity in names:
        ids = [entity]
    else:
        raise NotFound(f"unknown entity {entity!r}")
    for eid in ids:
        authorize_close(actor, eid, doing="see the close")
    return [(eid, names[eid]) for eid in sorted(ids)]


def entity_close(
    store: LedgerStore, entities: Sequence[tuple[str, str]], month: int
) -> list[EntityClose]:
    """Checks and lock state of each entity for ``month`` (authorization done by the caller)."""
    locks = locks_of(store, [e for e, _ in entities])
    return [
        EntityClose(
            eid, name, month, run_checks(store, eid, month), lock_covering(locks[eid], month)
        )
        for eid, name in entities
    ]


def close_status(store: LedgerStore, actor: UserScope, entity: str, month: int) -> dict[str, Any]:
    """The JSON of ``close status --entity ID|all --period YYYY-MM``."""
    rows = entity_close(store, close_entities(store, actor, entity), month)
    return {
        "period": format_period(month),
        "entities": [r.to_dict() for r in rows],
        "checks": [{"entity_id": r.entity_id, **c.to_dict()} for r in rows for c in r.checks],
        "anomalies": [
            a.to_dict() for a in open_anomalies(store, [r.entity_id for r in rows], month)
        ],
    }


def close_grid(
    store: LedgerStore, actor: UserScope, months: Sequence[int]
) -> dict[int, list[EntityClose]]:
    """Each month's ``EntityClose`` of every entity the actor may close (the /close grid)."""
    entities = close_entities(store, actor, "all")
    return {m: entity_close(store, entities, m) for m in months}
