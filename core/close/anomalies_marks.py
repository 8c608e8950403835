"""Marks on anomalies: "expected" is stored by the anomaly's stable id, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import delete, select

from core.close.anomalies_model import KINDS
from core.errors import Invalid, NotFound
from core.ledger.models_anomalies import AnomalyMark
from core.ledger.sql import chunks, upsert_insert
from core.ledger.store import LedgerStore

_ID = re.compile(r"^(lar|dup|new|clo)-[0-9a-f]{12}$")
_KIND_OF = {k[:3]: k for k in KINDS}


def check_id(anomaly_id: str) -> str:
    """The id's kind; Invalid unless it looks like an anomaly id (``dup-1a2b3c4d5e6f``)."""
    if not _ID.match(anomaly_id):
        raise Invalid(f"{anomaly_id!r} is not an anomaly id (e.g. dup-1a2b3c4d5e6f)")
    return _KIND_OF[anomaly_id[:3]]


def save_mark(
    store: LedgerStore, *, anomaly_id: str, entity_id: str, marked_by: str, note: str = ""
) -> AnomalyMark:
    """Mark an anomaly "expected" (again: the newest note and marker win)."""
    kind = check_id(anomaly_id)
    store.get_entity(entity_id)
    values = {
        "anomaly_id": anomaly_id,
        "entity_id": entity_id,
        "kind": kind,
        "status": "expected",
        "note": note.strip(),
        "marked_by": marked_by,
        "marked_at": datetime.now(UTC),
    }
    insert = upsert_insert(store.engine.dialect.name)
    stmt = insert(AnomalyMark).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["anomaly_id"],
        set_={k: stmt.excluded[k] for k in ("status", "note", "marked_by", "marked_at")},
    )
    with store.engine.begin() as conn:
        conn.execute(stmt)
    return AnomalyMark(**values)


def drop_mark(store: LedgerStore, *, anomaly_id: str, entity_id: str) -> None:
    """Reopen an anomaly marked expected; NotFound when it was not marked."""
    check_id(anomaly_id)
    with store.engine.begin() as conn:
        gone = conn.execute(
            delete(AnomalyMark).where(
                AnomalyMark.anomaly_id == anomaly_id, AnomalyMark.entity_id == entity_id
            )
        ).rowcount
    if not gone:
        raise NotFound(f"anomaly {anomaly_id} of {entity_id} is not marked expected")


def marks_of(store: LedgerStore, anomaly_ids: Collection[str]) -> dict[str, AnomalyMark]:
    """The marks of these anomalies, by id."""
    out: dict[str, AnomalyMark] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(anomaly_ids)):
            rows = conn.execute(select(AnomalyMark).where(AnomalyMark.anomaly_id.in_(chunk)))
            for row in rows:
                out[row.anomaly_id] = AnomalyMark(**row._mapping)
    return out
