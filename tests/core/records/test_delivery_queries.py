"""The SQL windows of the delivery jobs equal the metrics over every job (both backends),
on hand-made jobs with the odd cases: stages dated out of order, missing actual days, empty
delay reasons, reasons tied on count, and another entity's jobs."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from core.ledger.models_records import DeliveryJob
from core.ledger.store import LedgerStore
from core.metrics import delivery as dm
from core.records import delivery_queries as dq
from core.records.store import delivery_jobs, insert_records

START = date(2025, 1, 1)
DAYS = [START + timedelta(days=d) for d in range(-20, 420, 9)]


def _maybe(rng: random.Random, day: date, odds: float = 0.8) -> date | None:
    return day if rng.random() < odds else None


def _job(rng: random.Random, entity: str, n: int) -> dict[str, object]:
    lead = START + timedelta(days=rng.randint(0, 360))
    steps = [lead]
    for _ in range(6):  # quoted .. paid, mostly in order, sometimes before the step they follow
        steps.append(steps[-1] + timedelta(days=rng.randint(-5, 25)))
    quoted, booked, started, delivered, invoiced, paid = (_maybe(rng, d) for d in steps[1:])
    planned = rng.randint(2, 9)
    return {
        "id": f"{entity}:J{n}",
        "entity_id": entity,
        "vessel": f"V{n % 7}",
        "origin": "A",
        "destination": "B",
        "nautical_miles": rng.choice([0, 120, 800, 1500]),
        "stage": "lead",
        "lead_on": lead,
        "quoted_on": quoted,
        "booked_on": booked,
        "planned_start": lead + timedelta(days=rng.choice([10, 20, 30])),  # ties on purpose
        "planned_days": planned,
        "started_on": started,
        "delivered_on": delivered,
        "actual_days": rng.choice([None, planned - 1, planned, planned + 2]),
        "delay_reason": rng.choice([None, "", "weather", "crew", "parts"]),
        "quote_cents": rng.randint(0, 9) * 100_000,
        "quoted_cost_cents": rng.randint(0, 5) * 50_000,
        "crew_cost_cents": rng.randint(0, 5) * 30_001,
        "fuel_cost_cents": rng.randint(0, 5) * 7_003,
        "travel_cost_cents": rng.randint(0, 5) * 1_999,
        "invoice_cents": rng.choice([0, 0, 450_000, 1_000_000]),
        "invoiced_on": invoiced,
        "due_on": invoiced + timedelta(days=30) if invoiced else None,
        "paid_on": paid,
    }


@pytest.fixture
def jobs_ledger(two_entities: LedgerStore) -> LedgerStore:
    rng = random.Random(7)
    rows = [_job(rng, "Mine", n) for n in range(300)] + [_job(rng, "Other", n) for n in range(40)]
    insert_records(two_entities, {DeliveryJob: rows})
    return two_entities


def test_delivered_totals_equal_the_metrics(jobs_ledger: LedgerStore) -> None:
    jobs = delivery_jobs(jobs_ledger, ["Mine"])
    by_day = dq.DeliveredByDay(jobs_ledger, ["Mine"], DAYS[0], DAYS[-1])
    for first, last in zip(DAYS, DAYS[3:], strict=False):
        done = dm.delivered_between(jobs, first, last)
        t = by_day.between(first, last)
        assert t.count == len(done)
        assert t.nautical_miles == dm.nautical_miles(done)
        assert t.days == dm.days_at_sea(done)
        assert t.crew_cost == sum(j.crew_cost_cents for j in done)
        assert t.quoted_cost == sum(j.quoted_cost_cents for j in done)
        assert t.actual_cost - t.quoted_cost == dm.cost_overrun(done)
        assert t.price == sum(dm.price(j) for j in done)
        assert t.on_time == sum(dm.is_on_time(j) for j in done)
    assert by_day.between(DAYS[0], DAYS[-1]).count > 100  # the data reaches the checks


def test_pipeline_equals_the_metrics_on_every_day(jobs_ledger: LedgerStore) -> None:
    jobs = delivery_jobs(jobs_ledger, ["Mine"])
    for day in DAYS:  # one day at a time, and all days in one pass
        assert dq.pipelines_on(jobs_ledger, ["Mine"], [day]) == {day: dm.pipeline(jobs, day)}
    assert dq.pipelines_on(jobs_ledger, ["Mine"], DAYS) == {d: dm.pipeline(jobs, d) for d in DAYS}
    assert dq.pipelines_on(jobs_ledger, [], DAYS[:1]) == {DAYS[0]: dm.pipeline([], DAYS[0])}


def test_pipeline_jobs_are_the_open_and_recently_paid(jobs_ledger: LedgerStore) -> None:
    jobs = delivery_jobs(jobs_ledger, ["Mine"])
    for day in DAYS:
        expected = [
            j.id
            for j in jobs
            if (stage := dm.stage_of(j, day)) is not None
            and not (stage == "paid" and j.paid_on and (day - j.paid_on).days > 30)
        ]
        assert [j.id for j in dq.pipeline_jobs(jobs_ledger, ["Mine"], day)] == expected


def test_delay_reasons_keep_the_metrics_order(jobs_ledger: LedgerStore) -> None:
    jobs = delivery_jobs(jobs_ledger, ["Mine"])
    for first, last in zip(DAYS, DAYS[5:], strict=False):
        expected = dm.delay_reasons(dm.delivered_between(jobs, first, last))
        got = dq.delay_reasons(jobs_ledger, ["Mine"], first, last)
        assert list(got.items()) == list(expected.items())


def test_delivered_jobs_are_in_planned_start_order(jobs_ledger: LedgerStore) -> None:
    jobs = delivery_jobs(jobs_ledger, ["Mine"])
    first, last = DAYS[10], DAYS[30]
    expected = [j.id for j in dm.delivered_between(jobs, first, last)]
    assert [j.id for j in dq.delivered_jobs(jobs_ledger, ["Mine"], first, last)] == expected
    assert expected
