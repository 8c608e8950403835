"""The SQL windows of the billing records equal the metrics over every record (both backends),
on hand-made records with the odd cases: partial, late and over-payments, time worked before
and after its invoice, values that do not divide by 60, and another entity's records."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from core.ledger.models_records import Client, Invoice, InvoicePayment, Project, TimeEntry
from core.ledger.store import LedgerStore
from core.metrics import billing as bm
from core.records import billing_queries as bq
from core.records import unbilled_queries as uq
from core.records.store import billing_records, insert_records
from tests.core.records.conftest import ENTITIES

START = date(2025, 1, 1)
DAYS = [START + timedelta(days=d) for d in range(-10, 400, 11)]


def _records(rng: random.Random, entity: str) -> dict[type, list[dict[str, object]]]:
    clients = [
        {"id": f"{entity}:C{n}", "entity_id": entity, "name": f"Client {n % 4}", "terms_days": 30}
        for n in range(6)
    ]
    projects = [
        {
            "id": f"{entity}:P{n}",
            "entity_id": entity,
            "client_id": clients[n % 6]["id"],
            "name": f"Project {n}",
            "rate_cents": rng.choice([9_999, 12_500, 17_333]),
            "start": START + timedelta(days=rng.randint(0, 200)),
            "end": START + timedelta(days=rng.randint(200, 400)),
        }
        for n in range(8)
    ]
    invoices, payments, entries = [], [], []
    for n in range(90):
        issued = START + timedelta(days=rng.randint(0, 380))
        amount = rng.randint(1, 40) * 2_500
        inv_id = f"{entity}:I{n}"
        invoices.append(
            {
                "id": inv_id,
                "entity_id": entity,
                "client_id": clients[n % 6]["id"],
                "number": f"N{n:03d}",
                "kind": rng.choice(["retainer", "project"]),
                "income_account": "Income:Projects",
                "issued_on": issued,
                "due_on": issued + timedelta(days=30),
                "amount_cents": amount,
                "fingerprint": f"f{n}",
            }
        )
        paid = 0
        for k in range(rng.choice([0, 1, 1, 2, 3])):  # none, in full, in parts, or over
            part = amount // 2 if k == 0 and rng.random() < 0.4 else amount - paid
            part = part or 1_000
            paid += part
            payments.append(
                {
                    "id": f"{inv_id}:p{k}",
                    "entity_id": entity,
                    "invoice_id": inv_id,
                    "paid_on": issued + timedelta(days=rng.randint(0, 120)),
                    "amount_cents": part,
                    "fingerprint": f"f{n}{k}",
                }
            )
        for k in range(rng.randint(0, 6)):  # time billed on it, worked before or after issue
            p = projects[rng.randrange(8)]
            entries.append(
                {
                    "id": f"{inv_id}:t{k}",
                    "entity_id": entity,
                    "client_id": p["client_id"],
                    "project_id": p["id"],
                    "day": issued + timedelta(days=rng.randint(-40, 5)),
                    "minutes": rng.choice([7, 45, 61, 90, 125]),
                    "rate_cents": rng.choice([0, p["rate_cents"]]),
                    "invoice_id": inv_id,
                }
            )
    for k in range(120):  # time on no invoice: retainer work and not yet billed
        p = projects[rng.randrange(8)]
        entries.append(
            {
                "id": f"{entity}:u{k}",
                "entity_id": entity,
                "client_id": p["client_id"],
                "project_id": rng.choice([p["id"], None]),
                "day": START + timedelta(days=rng.randint(0, 390)),
                "minutes": rng.choice([13, 30, 59, 240]),
                "rate_cents": rng.choice([0, 11_111, p["rate_cents"]]),
                "invoice_id": None,
            }
        )
    return {
        Client: clients,
        Project: projects,
        Invoice: invoices,
        InvoicePayment: payments,
        TimeEntry: entries,
    }


@pytest.fixture
def billing_ledger(two_entities: LedgerStore) -> LedgerStore:
    rng = random.Random(11)
    for entity in ENTITIES:
        insert_records(two_entities, _records(rng, entity))
    return two_entities


def _open(items: list[bm.OpenInvoice]) -> list[tuple[str, int, int, str]]:
    return [(o.invoice.id, o.open_cents, o.days_past_due, o.bucket) for o in items]


def test_open_invoices_equal_the_metrics(billing_ledger: LedgerStore) -> None:
    r = billing_records(billing_ledger, ["Mine"])
    got = bq.open_invoices_on(billing_ledger, ["Mine"], DAYS)
    for day in DAYS:
        assert _open(got[day]) == _open(bm.open_invoices(r.invoices, r.payments, day))
    assert any(o.open_cents < 0 for items in got.values() for o in items)  # overpaid ones too
    assert sum(len(v) for v in got.values()) > 50


@pytest.mark.parametrize("age", [0, 60])
def test_open_invoice_totals_summed_in_sql_equal_the_metrics(
    billing_ledger: LedgerStore, age: int
) -> None:
    r = billing_records(billing_ledger, ENTITIES)
    got = bq.open_totals_on(billing_ledger, list(ENTITIES), DAYS, age)
    for day in DAYS:
        items = bm.open_invoices(r.invoices, r.payments, day)
        expected = {}
        for entity in ENTITIES:
            mine = [o for o in items if o.invoice.entity_id == entity]
            sums = bq.OpenTotals(
                sum(o.open_cents for o in mine),
                sum(o.open_cents for o in mine if o.days_past_due > 0),
                bm.overdue_by_entity(mine, age).get(entity, 0),
            )
            if sums != bq.OpenTotals():
                expected[entity] = sums
        assert got[day] == expected, day
    late = [t.overdue for v in got.values() for t in v.values()]
    assert sum(1 for c in late if c) > 20 and set().union(*got.values()) == set(ENTITIES)


def test_unbilled_equals_the_metrics(billing_ledger: LedgerStore) -> None:
    r = billing_records(billing_ledger, ["Mine"])
    issued = {i.id: i.issued_on for i in r.invoices}
    projects = {p.id: p for p in r.projects}
    every_day = uq.unbilled_on_days(billing_ledger, ["Mine"], DAYS)  # in one statement
    assert every_day == {d: bm.unbilled(r.time_entries, issued, d) for d in DAYS}
    for day in DAYS:
        expected = bm.unbilled(r.time_entries, issued, day)
        assert uq.unbilled_on(billing_ledger, ["Mine"], day) == expected
        total, by_project = uq.unbilled_with_projects(billing_ledger, ["Mine"], day)
        assert total == expected and by_project == uq.unbilled_by_project(
            billing_ledger, ["Mine"], day
        )
        cells: dict[str, list[int]] = {}
        for e in r.time_entries:  # the report's per-project table, straightforwardly
            if not e.rate_cents or e.day > day or e.project_id is None:
                continue
            when = issued.get(e.invoice_id) if e.invoice_id else None
            if when is None or when > day:
                row = cells.setdefault(e.project_id, [0, 0])
                row[0] += e.minutes
                row[1] += e.minutes * e.rate_cents // 60
        got = uq.unbilled_by_project(billing_ledger, ["Mine"], day)
        assert {u.project_id: [u.minutes, u.value] for u in got} == cells
        assert [u.value for u in got] == sorted((v for _, v in cells.values()), reverse=True)
        assert all(u.name == projects[u.project_id].name for u in got)
        # projects already read (those running on the day) are not read again, nor missed
        running = {p.id: p for p in bq.projects_running(billing_ledger, ["Mine"], day)}
        known = uq.unbilled_with_projects(billing_ledger, ["Mine"], day, known=running)
        assert known == (total, by_project)


def test_time_and_invoiced_windows_equal_the_metrics(billing_ledger: LedgerStore) -> None:
    r = billing_records(billing_ledger, ["Mine"])
    time = bq.TimeByDay(billing_ledger, ["Mine"], DAYS[0], DAYS[-1])
    invoiced = bq.InvoicedByDay(billing_ledger, ["Mine"], DAYS[0], DAYS[-1])
    for first, last in zip(DAYS, DAYS[2:], strict=False):
        mine = [e for e in r.time_entries if first <= e.day <= last]
        w = time.between(first, last)
        assert (w.count, w.minutes) == (len(mine), sum(e.minutes for e in mine))
        assert w.value == sum(e.minutes * e.rate_cents // 60 for e in mine)
        clients = time.by_client(first, last)
        for c in r.clients:
            theirs = [e for e in mine if e.client_id == c.id]
            assert clients.get(c.id, bq.Worked()).minutes == sum(e.minutes for e in theirs)
        window = bm.invoiced_between(r.invoices, first, last)
        assert invoiced.by_client(first, last) == bm.revenue_by_client(window)
        retainers = [i for i in window if i.kind == "retainer"]
        assert invoiced.by_client(first, last, "retainer") == bm.revenue_by_client(retainers)


def test_invoices_between_carry_the_last_payment(billing_ledger: LedgerStore) -> None:
    r = billing_records(billing_ledger, ["Mine"])
    first, last = DAYS[5], DAYS[20]
    got = bq.invoices_between(billing_ledger, ["Mine"], first, last)
    assert [i.id for i in got] == [i.id for i in bm.invoiced_between(r.invoices, first, last)]
    for i in got:
        paid = [p.paid_on for p in r.payments if p.invoice_id == i.id and p.paid_on <= last]
        assert i.paid_on == (max(paid) if paid else None)
