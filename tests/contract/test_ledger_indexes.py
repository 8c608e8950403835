"""Opening a ledger made before the audit pages' indexes existed creates them (both backends):
``create_all`` alone only indexes the tables it creates."""

from __future__ import annotations

from sqlalchemy import inspect, text

from core.ledger.models_records import LATER_INDEXES
from core.ledger.store import LedgerStore


def _names(store: LedgerStore) -> set[str]:
    with store.engine.connect() as conn:
        inspector = inspect(conn)
        tables = {ix.table.name for ix in LATER_INDEXES}  # type: ignore[union-attr]
        return {ix["name"] for t in tables for ix in inspector.get_indexes(t)}


def test_open_creates_the_indexes_an_older_ledger_lacks(ledger: LedgerStore) -> None:
    wanted = {ix.name for ix in LATER_INDEXES}
    assert len(wanted) == 6 and wanted <= _names(ledger)  # a new ledger has them at once
    with ledger.engine.begin() as conn:  # as a ledger created before they were added
        for name in wanted:
            conn.execute(text(f"DROP INDEX {name}"))
    assert not wanted & _names(ledger)
    ledger.create_all()
    assert wanted <= _names(ledger)
    ledger.create_all()  # safe to run again
    assert wanted <= _names(ledger)
