"""The ledger's revision: a cheap cache key that changes with entries, targets and categories."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from core.ledger.models import JournalEntry, LedgerMeta
from core.ledger.sql import upsert_insert

if TYPE_CHECKING:
    from core.ledger.store import LedgerStore


def bump_revision(conn: Any) -> None:
    """Mark a change that posts no entry (targets, rules, re-categorized lines)."""
    # one upsert, not UPDATE then INSERT: on PostgreSQL two first bumps at once both found no
    # row to update and the second INSERT failed
    stmt = upsert_insert(conn.dialect.name)(LedgerMeta).values(key="revision", value=1)
    conn.execute(
        stmt.on_conflict_do_update(index_elements=["key"], set_={"value": LedgerMeta.value + 1})
    )


# one round trip, built once: pages read it several times a run
_REVISION = select(
    select(func.max(JournalEntry.id)).scalar_subquery(),
    select(LedgerMeta.value).where(LedgerMeta.key == "revision").scalar_subquery(),
)


def ledger_revision(store: LedgerStore) -> tuple[int, int]:
    """Changes whenever entries, targets or categories change (a cheap cache key)."""
    with store.engine.connect() as conn:
        entries, other = conn.execute(_REVISION).one()
    return int(entries or 0), int(other or 0)
