"""The per-day totals (``audit_time_days``, ``audit_delivered_days``) stay equal to a fresh
aggregation of their records on every write path, on SQLite and PostgreSQL: the demo, bulk
inserts, the record forms and CSV uploads, moving a job on a stage, ORM writes, plain SQL
updates and deletes, deleting an entity; and a database made before they existed gets them
filled when opened."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from core.auth.dashboard_users import OPERATOR
from core.demo import seed_demo
from core.ledger.day_totals import DELIVERED_DAYS, ROLLUPS, TIME_DAYS, TRIGGERS, DayTotals
from core.ledger.models_records import Client, DeliveryJob, Project, TimeEntry
from core.ledger.store import LedgerStore
from core.records import billing_forms, delivery_forms
from core.records.delivery_stages import advance_delivery_job
from core.records.record_tables import load_table_csv
from core.records.store import insert_records
from tests.contract.conftest import BACKENDS, open_store
from tests.contract.delivery_job_fields import job_fields

START = date(2025, 3, 1)


@pytest.fixture(params=BACKENDS)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerStore]:
    store = open_store(request, request.param, tmp_path)
    for eid in ("Mine", "Other"):
        store.add_entity(id=eid, name=eid)
    yield store
    store.engine.dispose()


def _seed(store: LedgerStore) -> None:
    """Time entries and delivery jobs of two entities, odd values included, in one bulk insert."""
    rng = random.Random(7)
    rows: dict[type, list[dict[str, object]]] = {Client: [], Project: [], TimeEntry: []}
    rows[DeliveryJob] = []
    for eid in ("Mine", "Other"):
        rows[Client].append({"id": f"{eid}:C", "entity_id": eid, "name": "C", "terms_days": 30})
        rows[Project].append(
            {"id": f"{eid}:P", "entity_id": eid, "client_id": f"{eid}:C", "name": "P",
             "rate_cents": 17_333, "start": START, "end": START + timedelta(days=90)}
        )  # fmt: skip
        for n in range(60):
            rows[TimeEntry].append(
                {"id": f"{eid}:T{n}", "entity_id": eid, "client_id": f"{eid}:C",
                 "project_id": f"{eid}:P", "day": START + timedelta(days=rng.randint(0, 20)),
                 "minutes": rng.randint(1, 600), "rate_cents": rng.choice([0, 9_999, 17_333])}
            )  # fmt: skip
        for n in range(30):
            delivered = rng.choice([None, START + timedelta(days=rng.randint(0, 15))])
            rows[DeliveryJob].append(
                {"id": f"{eid}:J{n}", "entity_id": eid, "vessel": "V", "origin": "A",
                 "destination": "B", "nautical_miles": rng.randint(50, 2000),
                 "stage": "delivered" if delivered else "booked", "lead_on": START,
                 "planned_start": START, "planned_days": rng.randint(2, 9),
                 "delivered_on": delivered,
                 "actual_days": rng.choice([None, rng.randint(1, 12)]) if delivered else None,
                 "quote_cents": rng.randint(1, 9) * 10_000,
                 "quoted_cost_cents": rng.randint(1, 9) * 1_000,
                 "crew_cost_cents": rng.randint(0, 9) * 1_000,
                 "fuel_cost_cents": rng.randint(0, 9) * 100,
                 "travel_cost_cents": rng.randint(0, 9) * 10,
                 "invoice_cents": rng.choice([0, rng.randint(1, 9) * 10_000])}
            )  # fmt: skip
    insert_records(store, rows)


def _fresh(store: LedgerStore, rollup: DayTotals) -> dict[tuple[str, str], tuple[int, ...]]:
    """The totals aggregated from the records now (the rollup's own fill query, read)."""
    select = rollup.fill().split(" FROM ", 1)[0].split("SELECT ", 1)[1]
    rest = rollup.fill().split(" FROM ", 1)[1]
    with store.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT {select} FROM {rest}"))
        return {(r[0], str(r[1])): tuple(int(v) for v in r[2:]) for r in rows}


def _stored(store: LedgerStore, rollup: DayTotals) -> dict[tuple[str, str], tuple[int, ...]]:
    cols = ", ".join(c for c, _ in rollup.totals)
    with store.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT entity_id, day, {cols} FROM {rollup.table}"))
        return {(r[0], str(r[1])): tuple(int(v) for v in r[2:]) for r in rows}


def _assert_equal(store: LedgerStore) -> None:
    for rollup in ROLLUPS:
        assert _stored(store, rollup) == _fresh(store, rollup), rollup.table


def _sql(store: LedgerStore, *statements: str) -> None:
    with store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_bulk_inserts_fill_every_day(ledger: LedgerStore) -> None:
    _seed(ledger)
    _assert_equal(ledger)
    time_days, job_days = _stored(ledger, TIME_DAYS), _stored(ledger, DELIVERED_DAYS)
    assert sum(t[0] for t in time_days.values()) == 120
    assert 0 < sum(t[0] for t in job_days.values()) < 60  # undelivered jobs have no day
    assert {e for e, _ in time_days} == {"Mine", "Other"}


def test_updates_deletes_and_orm_writes_keep_them_equal(ledger: LedgerStore) -> None:
    _seed(ledger)
    _sql(
        ledger,
        "UPDATE audit_time_entries SET minutes = minutes + 7 WHERE id = 'Mine:T0'",
        "UPDATE audit_time_entries SET day = '2025-06-01' WHERE id = 'Mine:T1'",  # a new day
        "UPDATE audit_time_entries SET entity_id = 'Other' WHERE id = 'Mine:T2'",
        "DELETE FROM audit_time_entries WHERE id IN ('Mine:T3', 'Other:T4')",
        "UPDATE audit_delivery_jobs SET delivered_on = NULL, actual_days = NULL "
        "WHERE delivered_on IS NOT NULL AND id LIKE 'Mine:%'",  # undelivered again
        "UPDATE audit_delivery_jobs SET delivered_on = '2025-04-02', actual_days = 3 "
        "WHERE delivered_on IS NULL AND id LIKE 'Other:%'",
        "UPDATE audit_delivery_jobs SET invoice_cents = 0, fuel_cost_cents = 999 "
        "WHERE id = 'Other:J1'",
        "DELETE FROM audit_delivery_jobs WHERE id = 'Other:J2'",
    )
    with ledger.session() as s:  # the ORM's own insert and delete
        s.add(
            TimeEntry(id="Mine:orm", entity_id="Mine", client_id="Mine:C", project_id="Mine:P",
                      day=START, minutes=61, rate_cents=12_345)
        )  # fmt: skip
        gone = s.get(TimeEntry, "Mine:T5")
        assert gone is not None
        s.delete(gone)
        s.commit()
    _assert_equal(ledger)
    assert not any(e == "Mine" for e, _ in _stored(ledger, DELIVERED_DAYS))
    _sql(ledger, "DELETE FROM audit_time_entries WHERE entity_id = 'Mine'")
    assert not any(e == "Mine" for e, _ in _stored(ledger, TIME_DAYS))  # emptied days go
    _assert_equal(ledger)


def test_record_forms_csv_and_stage_moves_keep_them_equal(ledger: LedgerStore) -> None:
    billing_forms.add_client(ledger, OPERATOR, "Mine", {"name": "Acme"})
    day = date(2026, 11, 30)
    billing_forms.add_project(
        ledger, OPERATOR, "Mine",
        {"client_id": "C0001", "name": "App", "rate": 150, "start": day, "end": day},
    )  # fmt: skip
    billing_forms.add_time_entry(
        ledger, OPERATOR, "Mine",
        {"client_id": "C0001", "project_id": "P0001", "day": day, "minutes": 90},
    )  # fmt: skip
    rows = (
        "client_id,project_id,day,minutes\nC0001,P0001,2026-11-30,45\nC0001,P0001,2026-11-29,31\n"
    )
    load_table_csv(ledger, OPERATOR, "time_entries", entity_id="Mine", content=rows.encode())
    assert _stored(ledger, TIME_DAYS) == {
        ("Mine", "2026-11-30"): (2, 135, 33750),
        ("Mine", "2026-11-29"): (1, 31, 7750),
    }
    later = {"started_on", "delivered_on", "actual_days", "crew_cost", "fuel_cost",
             "travel_cost", "invoice", "invoiced_on", "due_on", "paid_on"}  # fmt: skip
    delivery_forms.add_delivery_job(ledger, OPERATOR, "Mine", job_fields())
    booked = delivery_forms.add_delivery_job(
        ledger, OPERATOR, "Mine", job_fields(stage="booked", **dict.fromkeys(later, ""))
    )
    assert _stored(ledger, DELIVERED_DAYS) == {
        ("Mine", "2026-10-11"): (1, 1100, 11, 700000, 1100000, 1140000, 1800000, 0)
    }
    moved = {k: v for k, v in job_fields().items() if k in later - {"invoice", "invoiced_on",
             "due_on", "paid_on"}}  # fmt: skip
    fields = {**moved, "delivered_on": "2026-10-12"}
    job = booked.split(":", 1)[1]
    advance_delivery_job(ledger, OPERATOR, "Mine", {"job": job, "stage": "delivered", **fields})
    stored = _stored(ledger, DELIVERED_DAYS)
    assert stored[("Mine", "2026-10-12")][:2] == (1, 1100)
    _assert_equal(ledger)


def test_the_demo_keeps_them_equal(ledger: LedgerStore) -> None:
    ledger.delete_entities(["Mine", "Other"])
    seed_demo(ledger, months=3, today=date(2026, 11, 20))
    _assert_equal(ledger)
    assert _stored(ledger, TIME_DAYS) and _stored(ledger, DELIVERED_DAYS)


def test_deleting_an_entity_leaves_no_totals(ledger: LedgerStore) -> None:
    _seed(ledger)
    ledger.delete_entities(["Mine"])
    for rollup in ROLLUPS:
        assert {e for e, _ in _stored(ledger, rollup)} == {"Other"}
    _assert_equal(ledger)


def test_a_database_made_before_the_tables_gets_them_filled(ledger: LedgerStore) -> None:
    _seed(ledger)
    on = "" if ledger.engine.dialect.name == "sqlite" else " ON {table}"
    drops = [f"DROP TRIGGER {name}" + on.format(table=table) for name, table in TRIGGERS]
    _sql(ledger, *drops, *(f"DROP TABLE {r.table}" for r in ROLLUPS))
    ledger.create_all()
    _assert_equal(ledger)
    assert _stored(ledger, TIME_DAYS)
    _sql(ledger, "DELETE FROM audit_time_entries WHERE id = 'Mine:T6'")
    _assert_equal(ledger)  # and the triggers are back
    ledger.create_all()  # again: nothing changes, nothing fails
    _assert_equal(ledger)
