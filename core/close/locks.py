"""The period lock: lock and unlock an entity's month, with the audit log of each.

The owner, the CFO and the accountant lock (within their entity scope); only the owner unlocks.
A lock is refused while a close check fails, unless forced with a reason. Every lock, forced
lock and unlock is kept with who, when, why and the check results at that moment.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from core.auth.dashboard_users import UserScope
from core.close.checks import CheckResult, failing, run_checks
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.ledger.access import BOOK_ROLES, authorize_books
from core.ledger.models import Entity
from core.ledger.models_close import CloseAuditRecord, PeriodLock
from core.ledger.store import LedgerStore, bump_revision
from core.periods import format_period

CLOSE_ROLES = BOOK_ROLES  # who locks (and reads the close): owner, cfo, accountant
UNLOCK_ROLES = frozenset({"owner"})
LOCK, FORCE_LOCK, UNLOCK = "lock", "force_lock", "unlock"


@dataclass(frozen=True)
class LockOutcome:
    """What a lock or unlock did, with the check results it was decided on."""

    entity_id: str
    month: int
    action: str
    checks: list[CheckResult]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``close lock`` / ``close unlock``."""
        return {
            "entity_id": self.entity_id,
            "period": format_period(self.month),
            "action": self.action,
            "checks": [c.to_dict() for c in self.checks],
        }


@dataclass(frozen=True)
class AuditRow:
    """One line of the close audit log."""

    entity_id: str
    month: int
    action: str
    actor: str
    at: datetime
    reason: str
    checks: list[dict[str, Any]]


def authorize_close(actor: UserScope, entity_id: str, *, doing: str = "close a month") -> None:
    """Forbidden unless ``actor`` may lock (and read the close of) ``entity_id``."""
    authorize_books(actor.role, actor.entities, entity_id, doing=doing)


def _entity_exists(conn: Any, entity_id: str) -> None:
    query = select(Entity.id).where(Entity.id == entity_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()  # writers share-lock this row: they wait for the lock
    if conn.execute(query).first() is None:
        raise NotFound(f"unknown entity {entity_id!r}")


def _audit(
    conn: Any, actor: UserScope, entity_id: str, month: int, action: str, reason: str, checks: Any
) -> None:
    conn.execute(
        insert(CloseAuditRecord),
        {
            "entity_id": entity_id,
            "month": month,
            "action": action,
            "actor": actor.email,
            "at": datetime.now(UTC),
            "reason": reason,
            "checks_json": json.dumps([c.to_dict() for c in checks]),
        },
    )


def lock_period(
    store: LedgerStore,
    actor: UserScope,
    entity_id: str,
    month: int,
    *,
    force: bool = False,
    reason: str = "",
) -> LockOutcome:
    """Lock ``month`` (and so every earlier month) of ``entity_id``.

    Conflict (code ``checks_failing``) while a check fails, unless ``force`` with a reason.
    """
    authorize_close(actor, entity_id, doing="lock a month")
    reason = reason.strip()
    if force and not reason:
        raise Invalid("a forced lock needs a reason (--reason TEXT)", fields={"reason": "required"})
    with store.engine.connect() as conn:
        _entity_exists(conn, entity_id)
    checks = run_checks(store, entity_id, month)
    bad = failing(checks)
    if bad and not force:
        raise Conflict(
            f"{entity_id} {format_period(month)} is not locked: {len(bad)} checks fail "
            "(fix them, or force the lock with a reason)",
            problems=[f"{c.id}: {c.summary}" for c in bad],
            code="checks_failing",
        )
    action = FORCE_LOCK if bad else LOCK
    try:
        with store.engine.begin() as conn:
            _entity_exists(conn, entity_id)
            conn.execute(
                insert(PeriodLock),
                {
                    "entity_id": entity_id,
                    "month": month,
                    "locked_by": actor.email,
                    "locked_at": datetime.now(UTC),
                    "reason": reason,
                    "forced": bool(bad),
                },
            )
            _audit(conn, actor, entity_id, month, action, reason, checks)
            bump_revision(conn)
    except IntegrityError as exc:
        raise Conflict(f"{entity_id} {format_period(month)} is already locked") from exc
    return LockOutcome(entity_id, month, action, checks)


def unlock_period(
    store: LedgerStore, actor: UserScope, entity_id: str, month: int, *, reason: str
) -> LockOutcome:
    """Unlock ``month`` of ``entity_id`` (owner only; a reason is required)."""
    authorize_close(actor, entity_id, doing="unlock a month")
    if actor.role not in UNLOCK_ROLES:
        raise Forbidden("only the owner can unlock a month")
    reason = reason.strip()
    if not reason:
        raise Invalid("an unlock needs a reason (--reason TEXT)", fields={"reason": "required"})
    checks = run_checks(store, entity_id, month)
    with store.engine.begin() as conn:
        _entity_exists(conn, entity_id)
        later = conn.scalar(
            select(PeriodLock.month).where(
                PeriodLock.entity_id == entity_id, PeriodLock.month > month
            )
        )
        if later is not None:
            raise Conflict(
                f"{entity_id} is also locked through {format_period(later)}: unlock that first"
            )
        gone = conn.execute(
            delete(PeriodLock).where(PeriodLock.entity_id == entity_id, PeriodLock.month == month)  # type: ignore[arg-type]
        ).rowcount
        if gone != 1:
            raise Conflict(f"{entity_id} {format_period(month)} is not locked")
        _audit(conn, actor, entity_id, month, UNLOCK, reason, checks)
        bump_revision(conn)
    return LockOutcome(entity_id, month, UNLOCK, checks)


def locks_of(store: LedgerStore, entity_ids: Collection[str]) -> dict[str, list[PeriodLock]]:
    """The locks of each entity, latest month first."""
    out: dict[str, list[PeriodLock]] = {e: [] for e in entity_ids}
    if not entity_ids:
        return out
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(PeriodLock)
            .where(PeriodLock.entity_id.in_(list(entity_ids)))  # type: ignore[attr-defined]
            .order_by(PeriodLock.entity_id, PeriodLock.month.desc())  # type: ignore[attr-defined]
        )
        for row in rows:
            out[row.entity_id].append(PeriodLock.model_validate(row._mapping))
    return out


def lock_covering(locks: Sequence[PeriodLock], month: int) -> PeriodLock | None:
    """Of one entity's locks (latest first), the one that freezes ``month``, if any."""
    covering = [lock for lock in locks if lock.month >= month]
    return covering[-1] if covering else None


def audit_log(
    store: LedgerStore, entity_ids: Collection[str], *, limit: int = 200
) -> list[AuditRow]:
    """The close audit log of the entities, newest first."""
    if not entity_ids:
        return []
    a = CloseAuditRecord
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(a)
            .where(a.entity_id.in_(list(entity_ids)))  # type: ignore[attr-defined]
            .order_by(a.at.desc(), a.id.desc())  # type: ignore[attr-defined,union-attr]
            .limit(limit)
        )
        return [
            AuditRow(
                r.entity_id, r.month, r.action, r.actor, r.at, r.reason, json.loads(r.checks_json)
            )
            for r in rows
        ]
