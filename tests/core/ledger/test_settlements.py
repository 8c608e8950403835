"""``audit_invoice_settlements`` stays equal to what the invoices and payments say on every
write path (bulk insert, ORM, plain SQL updates and deletes), on SQLite and PostgreSQL, and is
created and filled on a database made before it existed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from core.ledger.models_records import Client, Invoice, InvoicePayment
from core.ledger.settlements import TABLE, TRIGGERS
from core.ledger.store import LedgerStore
from core.records.store import insert_records
from tests.contract.conftest import BACKENDS, open_store

START = date(2025, 3, 1)


@pytest.fixture(params=BACKENDS)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerStore]:
    store = open_store(request, request.param, tmp_path)
    store.add_entity(id="Mine", name="Mine")
    yield store
    store.engine.dispose()


def _seed(store: LedgerStore, invoices: int = 40) -> None:
    """Invoices paid not at all, in full, in parts, or over, in one bulk insert."""
    rng = random.Random(5)
    rows: dict[type, list[dict[str, object]]] = {
        Client: [{"id": "Mine:C", "entity_id": "Mine", "name": "C", "terms_days": 30}],
        Invoice: [],
        InvoicePayment: [],
    }
    for n in range(invoices):
        issued = START + timedelta(days=rng.randint(0, 200))
        amount = rng.randint(1, 20) * 1_000
        rows[Invoice].append(
            {
                "id": f"Mine:I{n}",
                "entity_id": "Mine",
                "client_id": "Mine:C",
                "number": f"N{n}",
                "kind": "project",
                "income_account": "Income:Projects",
                "issued_on": issued,
                "due_on": issued + timedelta(days=30),
                "amount_cents": amount,
                "fingerprint": f"f{n}",
            }
        )
        parts = rng.choice([[], [amount], [amount // 2, amount - amount // 2], [amount + 500]])
        for k, part in enumerate(parts):
            rows[InvoicePayment].append(
                {
                    "id": f"Mine:I{n}:p{k}",
                    "entity_id": "Mine",
                    "invoice_id": f"Mine:I{n}",
                    "paid_on": issued + timedelta(days=rng.randint(0, 90)),
                    "amount_cents": part,
                    "fingerprint": f"f{n}{k}",
                }
            )
    insert_records(store, rows)


def _expected(store: LedgerStore) -> dict[str, tuple[date, date | None]]:
    """Each invoice's issue day and settlement day, from its rows in Python."""
    with store.engine.connect() as conn:
        invoices = conn.execute(text("SELECT id, issued_on, amount_cents FROM audit_invoices"))
        payments = list(
            conn.execute(
                text("SELECT invoice_id, paid_on, amount_cents FROM audit_invoice_payments")
            )
        )
        out = {}
        for iid, issued, amount in invoices:
            mine = [(_day(d), c) for i, d, c in payments if i == iid]
            paid = sum(c for _, c in mine)
            out[iid] = (_day(issued), max(d for d, _ in mine) if mine and paid == amount else None)
    return out


def _stored(store: LedgerStore) -> dict[str, tuple[date, date | None]]:
    with store.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT invoice_id, issued_on, settled_on FROM {TABLE}"))
        return {i: (_day(a), _day(b) if b is not None else None) for i, a, b in rows}


def _day(value: object) -> date:
    """A date column as read by raw SQL (SQLite returns text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _sql(store: LedgerStore, *statements: str) -> None:
    with store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_bulk_inserts_settle_every_invoice(ledger: LedgerStore) -> None:
    _seed(ledger)
    stored = _stored(ledger)
    assert stored == _expected(ledger)
    assert len(stored) == 40
    assert 0 < sum(s is None for _, s in stored.values()) < 40  # open ones and settled ones


def test_updates_deletes_and_orm_writes_keep_it_equal(ledger: LedgerStore) -> None:
    _seed(ledger)
    settled = next(i for i, (_, s) in _stored(ledger).items() if s is not None)
    _sql(
        ledger,
        # a settled invoice's payment shrinks: open again
        f"UPDATE audit_invoice_payments SET amount_cents = amount_cents - 1 "
        f"WHERE invoice_id = '{settled}'",
        # every payment of I0 goes, I1's move to I2
        "DELETE FROM audit_invoice_payments WHERE invoice_id = 'Mine:I0'",
        "UPDATE audit_invoice_payments SET invoice_id = 'Mine:I2' WHERE invoice_id = 'Mine:I1'",
        # an invoice's amount and issue day change; another invoice goes
        "UPDATE audit_invoices SET amount_cents = 3000, issued_on = '2025-12-01' "
        "WHERE id = 'Mine:I3'",
        "DELETE FROM audit_invoice_payments WHERE invoice_id = 'Mine:I4'",
        "DELETE FROM audit_invoices WHERE id = 'Mine:I4'",
    )
    with ledger.engine.connect() as conn:
        paid = conn.scalar(
            text(
                "SELECT COALESCE(SUM(amount_cents), 0) FROM audit_invoice_payments "
                "WHERE invoice_id = 'Mine:I3'"
            )
        )
    with ledger.session() as s:  # the ORM's own insert settles I3
        s.add(
            InvoicePayment(
                id="Mine:I3:orm",
                entity_id="Mine",
                invoice_id="Mine:I3",
                paid_on=date(2026, 1, 5),
                amount_cents=3000 - int(paid),
                fingerprint="orm",
            )
        )
        s.commit()
    stored = _stored(ledger)
    assert stored == _expected(ledger)
    assert stored[settled][1] is None
    assert stored["Mine:I3"] == (date(2025, 12, 1), date(2026, 1, 5))
    assert "Mine:I4" not in stored


def test_deleting_an_entity_leaves_no_settlement(ledger: LedgerStore) -> None:
    _seed(ledger)
    ledger.delete_entities(["Mine"])
    assert _stored(ledger) == {}


def test_a_database_made_before_the_table_gets_it_filled(ledger: LedgerStore) -> None:
    _seed(ledger)
    drops = [
        f"DROP TRIGGER {name}" + (f" ON {table}" if ledger.engine.dialect.name != "sqlite" else "")
        for name, table in TRIGGERS
    ]
    _sql(ledger, *drops, f"DROP TABLE {TABLE}")
    ledger.create_all()
    assert _stored(ledger) == _expected(ledger)
    _sql(ledger, "DELETE FROM audit_invoice_payments WHERE invoice_id = 'Mine:I5'")
    assert _stored(ledger) == _expected(ledger)  # and the triggers are back
    ledger.create_all()  # again: nothing changes, nothing fails
    assert _stored(ledger) == _expected(ledger)
