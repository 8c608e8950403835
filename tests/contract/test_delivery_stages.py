"""Moving a delivery job on a stage, on every ledger backend: posts like a job added there."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from core.auth.dashboard_users import OPERATOR, UserScope
from core.errors import Conflict, Forbidden, Invalid
from core.ledger.models import JournalEntry, JournalLine
from core.ledger.models_records import DeliveryJob
from core.ledger.store import LedgerStore
from core.records import delivery_forms, delivery_stages
from core.records.delivery_stages import advance_delivery_job
from tests.contract.delivery_job_fields import job_fields

LATER = {"started_on", "delivered_on", "actual_days", "crew_cost", "fuel_cost", "travel_cost",
         "invoice", "invoiced_on", "due_on", "paid_on"}  # fmt: skip


@pytest.fixture
def books(ledger: LedgerStore) -> LedgerStore:
    """Two businesses: ``Mine`` under test and ``Other`` beside it."""
    ledger.add_entity(id="Mine", name="Mine")
    ledger.add_entity(id="Other", name="Other")
    return ledger


_job = job_fields


def _booked() -> dict[str, object]:
    return _job(stage="booked", **dict.fromkeys(LATER, ""))


def _posted(store: LedgerStore, job_id: str) -> list[tuple[Any, ...]]:
    """The entries a job posted, its id taken out, with their lines."""
    short = job_id.split(":", 1)[1]
    with store.engine.connect() as conn:
        entries = conn.execute(
            select(JournalEntry).where(JournalEntry.fingerprint.like(f"records:{job_id}:%"))
        ).all()
        out = []
        for e in entries:
            lines = conn.execute(
                select(JournalLine.account_id, JournalLine.amount_cents).where(
                    JournalLine.entry_id == e.id
                )
            ).all()
            out.append(
                (e.date, e.description.replace(short, "J"), e.fingerprint.replace(job_id, "J"),
                 sorted(tuple(line) for line in lines))
            )  # fmt: skip
    return sorted(out)


def _job_row(store: LedgerStore, job_id: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        row = conn.execute(select(DeliveryJob.__table__).where(DeliveryJob.id == job_id)).one()
    return {k: v for k, v in row._mapping.items() if k != "id"}


def _count(store: LedgerStore, model: type) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def _move(store: LedgerStore, job: str, stage: str, **fields: object) -> str:
    return advance_delivery_job(store, OPERATOR, "Mine", {"job": job, "stage": stage, **fields})


def _later(stage_fields: set[str]) -> dict[str, object]:
    return {k: v for k, v in _job().items() if k in stage_fields}


def test_a_job_moved_on_posts_what_a_job_added_there_posts(books: LedgerStore) -> None:
    direct = delivery_forms.add_delivery_job(books, OPERATOR, "Mine", _job())
    moved = delivery_forms.add_delivery_job(books, OPERATOR, "Mine", _booked())
    assert _posted(books, moved) == []
    delivered = {"started_on", "delivered_on", "actual_days", "crew_cost", "fuel_cost",
                 "travel_cost"}  # fmt: skip
    assert _move(books, "J0002", "delivered", **_later(delivered)) == moved
    assert len(_posted(books, moved)) == 1  # the costs, on the delivery day
    _move(books, moved, "paid", **_later(LATER - delivered))
    assert _posted(books, moved) == _posted(books, direct)
    assert len(_posted(books, moved)) == 3
    direct_row, moved_row = _job_row(books, direct), _job_row(books, moved)
    for what in ("cost", "invoice", "payment"):
        direct_row[f"{what}_fingerprint"] = direct_row[f"{what}_fingerprint"].replace(direct, "")
        moved_row[f"{what}_fingerprint"] = moved_row[f"{what}_fingerprint"].replace(moved, "")
    assert moved_row == direct_row


def test_refusals_name_the_field_and_change_nothing(books: LedgerStore) -> None:
    job = delivery_forms.add_delivery_job(books, OPERATOR, "Mine", _booked())
    before = (_job_row(books, job), _count(books, JournalEntry))
    cases: list[tuple[str, dict[str, object], str, str]] = [
        ("booked", {}, "stage", "must be after booked (where the job stands)"),
        ("quoted", {}, "stage", "must be after booked (where the job stands)"),
        ("shipped", {}, "stage", "must be one of lead, quoted, booked, underway, delivered, "
         "invoiced, paid"),
        ("underway", {"started_on": "2026-09-05"}, "started_on", "is before booked on"),
        ("underway", {}, "started_on", "is required for a job at stage 'underway'"),
        ("underway", {"started_on": "2026-10-01", "quoted_on": "2026-09-04"}, "quoted_on",
         "cannot be changed when moving the job to underway"),
        ("underway", {"started_on": "2026-10-01", "paid_on": "2026-11-05"}, "paid_on",
         "cannot be changed when moving the job to underway"),
        ("invoiced", {**_later(LATER - {"paid_on", "invoice"})}, "invoice",
         "is required once the job is invoiced"),
        ("delivered", {**_later({"started_on", "delivered_on"}), "actual_days": "x"},
         "actual_days", "must be a whole number"),
    ]  # fmt: skip
    for stage, fields, name, problem in cases:
        with pytest.raises(Invalid) as caught:
            _move(books, job, stage, **fields)
        assert caught.value.fields.get(name) == problem, (stage, fields, caught.value.fields)
    with pytest.raises(Invalid) as caught:
        _move(books, "J0099", "underway", started_on="2026-10-01")
    assert caught.value.fields == {"job": "no 'J0099' in this business"}
    with pytest.raises(Invalid) as caught:
        advance_delivery_job(books, OPERATOR, "Mine", {"job": "", "stage": None})
    assert caught.value.fields == {"job": "is required", "stage": "is required"}
    assert (_job_row(books, job), _count(books, JournalEntry)) == before


def test_another_business_s_job_is_refused(books: LedgerStore) -> None:
    other = delivery_forms.add_delivery_job(books, OPERATOR, "Other", _booked())
    with pytest.raises(Invalid) as caught:
        _move(books, other, "underway", started_on="2026-10-01")
    assert "job" in caught.value.fields
    scoped = UserScope("a@example.com", "A", "accountant", frozenset({"Mine"}))
    with pytest.raises(Forbidden):
        advance_delivery_job(
            books, scoped, "Other", {"job": other, "stage": "underway", "started_on": "2026-10-01"}
        )
    ceo = UserScope("c@example.com", "C", "ceo", None)
    with pytest.raises(Forbidden):
        advance_delivery_job(
            books, ceo, "Other", {"job": other, "stage": "underway", "started_on": "2026-10-01"}
        )
    assert _job_row(books, other)["stage"] == "booked"
    assert _count(books, JournalEntry) == 0
    scoped_other = UserScope("b@example.com", "B", "cfo", frozenset({"Other"}))
    advance_delivery_job(
        books, scoped_other, "Other",
        {"job": "J0001", "stage": "underway", "started_on": "2026-10-01"},
    )  # fmt: skip
    assert _job_row(books, other)["stage"] == "underway"


def test_a_job_moved_on_meanwhile_is_not_moved_twice(
    books: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = delivery_forms.add_delivery_job(books, OPERATOR, "Mine", _booked())
    delivered = _later({"started_on", "delivered_on", "actual_days", "crew_cost"})
    checked = delivery_stages._new_entries

    def another_move_first(*args: Any) -> Any:
        monkeypatch.setattr(delivery_stages, "_new_entries", checked)
        _move(books, job, "delivered", **delivered)  # lands between our read and our write
        return checked(*args)

    monkeypatch.setattr(delivery_stages, "_new_entries", another_move_first)
    with pytest.raises(Conflict):
        _move(books, job, "delivered", **(delivered | {"crew_cost": 5000}))
    assert _job_row(books, job)["crew_cost_cents"] == 700000
    assert _count(books, JournalEntry) == 1
