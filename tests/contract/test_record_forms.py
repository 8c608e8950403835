"""Record forms and CSV uploads on every ledger backend: validated, authorised, posted at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.auth.dashboard_users import OPERATOR, UserScope
from core.errors import Forbidden, Invalid, NotFound
from core.ledger.accounts import BANK, RECEIVABLE
from core.ledger.models import JournalEntry
from core.ledger.models_records import (
    Client,
    DeliveryJob,
    Invoice,
    InvoicePayment,
    MaintenanceTicket,
    RentCharge,
    TimeEntry,
)
from core.ledger.store import LedgerStore
from core.records import billing_forms, delivery_forms, rental_forms
from core.records.record_tables import form_for, load_table_csv
from core.records.store import account_balance_on, billing_records
from tests.contract.delivery_job_fields import job_fields

DAY = date(2026, 11, 30)


@pytest.fixture
def books(ledger: LedgerStore) -> LedgerStore:
    """Two businesses: ``Mine`` under test and ``Other`` beside it."""
    ledger.add_entity(id="Mine", name="Mine")
    ledger.add_entity(id="Other", name="Other")
    return ledger


def _count(store: LedgerStore, model: type) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def _balance(store: LedgerStore, path: str) -> int:
    return account_balance_on(store, ["Mine"], path, DAY)


def test_a_client_invoice_and_payment_post_like_the_demo(books: LedgerStore) -> None:
    client = billing_forms.add_client(books, OPERATOR, "Mine", {"name": "Acme", "terms_days": 15})
    assert client == "Mine:C0001"
    invoice = billing_forms.add_invoice(
        books, OPERATOR, "Mine",
        {"client_id": "C0001", "number": "A-1", "kind": "project",
         "issued_on": date(2026, 11, 2), "amount": "1,250.50"},
    )  # fmt: skip
    billing_forms.add_invoice_payment(
        books, OPERATOR, "Mine", {"invoice_id": invoice, "paid_on": "2026-11-20", "amount": 1000}
    )
    records = billing_records(books, ["Mine"])
    (inv,) = records.invoices
    assert (inv.amount_cents, inv.due_on, inv.income_account) == (
        125050,
        date(2026, 11, 17),
        "Income:Projects",
    )
    assert _balance(books, RECEIVABLE) == 25050
    assert _balance(books, BANK) == 100000
    assert _balance(books, "Income:Projects") == -125050
    with books.engine.connect() as conn:
        fingerprints = set(conn.scalars(select(JournalEntry.fingerprint)))
    assert {inv.fingerprint, records.payments[0].fingerprint} == fingerprints


def test_field_problems_are_named_and_nothing_is_written(books: LedgerStore) -> None:
    with pytest.raises(Invalid) as caught:
        billing_forms.add_invoice(
            books, OPERATOR, "Mine",
            {"client_id": "nobody", "number": "", "kind": "gift",
             "issued_on": "30/11/2026", "amount": "12.345"},
        )  # fmt: skip
    assert set(caught.value.fields) == {"number", "kind", "issued_on", "amount"}
    assert "two decimals" in caught.value.fields["amount"]
    with pytest.raises(Invalid) as caught:
        billing_forms.add_invoice(
            books, OPERATOR, "Mine",
            {"client_id": "nobody", "number": "1", "kind": "project",
             "issued_on": DAY, "amount": "5"},
        )  # fmt: skip
    assert caught.value.fields == {"client_id": "no 'nobody' in this business"}
    assert _count(books, Invoice) == 0 and _count(books, JournalEntry) == 0


def test_another_entity_s_record_cannot_be_referenced(books: LedgerStore) -> None:
    billing_forms.add_client(books, OPERATOR, "Other", {"name": "Theirs"})
    with pytest.raises(Invalid) as caught:
        billing_forms.add_invoice(
            books, OPERATOR, "Mine",
            {"client_id": "Other:C0001", "number": "1", "kind": "project",
             "issued_on": DAY, "amount": "5"},
        )  # fmt: skip
    assert "client_id" in caught.value.fields


def test_only_book_roles_within_their_scope_add_records(books: LedgerStore) -> None:
    scoped = UserScope("a@example.com", "A", "accountant", frozenset({"Other"}))
    with pytest.raises(Forbidden):
        billing_forms.add_client(books, scoped, "Mine", {"name": "Acme"})
    ceo = UserScope("c@example.com", "C", "ceo", None)
    with pytest.raises(Forbidden):
        billing_forms.add_client(books, ceo, "Mine", {"name": "Acme"})
    with pytest.raises(NotFound):
        billing_forms.add_client(books, OPERATOR, "Nobody", {"name": "Acme"})
    assert billing_forms.add_client(books, scoped, "Other", {"name": "Acme"}) == "Other:C0001"
    assert _count(books, Client) == 1


def test_a_csv_with_one_bad_row_writes_nothing_and_lists_every_problem(
    books: LedgerStore,
) -> None:
    billing_forms.add_client(books, OPERATOR, "Mine", {"name": "Acme"})
    header = form_for("invoices").template_header()
    bad = (
        header
        + ",C0001,A-1,project,2026-11-02,100.00\n"
        + ",C0001,A-2,project,2026-11-03,-5\n"
        + ",Nobody,A-1,retainer,2026-11-04,10\n"
    ).encode()
    with pytest.raises(Invalid) as caught:
        load_table_csv(books, OPERATOR, "invoices", entity_id="Mine", content=bad)
    problems = caught.value.problems
    assert problems == [
        "row 3: Amount ($) cannot be negative",
        "row 4: Client no 'Nobody' in this business",
        "row 4: Number invoice A-1 already exists",
    ]
    assert _count(books, Invoice) == 0 and _count(books, JournalEntry) == 0
    good = header + ",C0001,A-1,project,2026-11-02,100\nX9,C0001,A-2,retainer,2026-11-03,50\n"
    assert load_table_csv(books, OPERATOR, "invoices", entity_id="Mine", content=good.encode()) == 2
    assert {i.id for i in billing_records(books, ["Mine"]).invoices} == {"Mine:INV0001", "Mine:X9"}
    assert _balance(books, RECEIVABLE) == 15000


def test_a_csv_header_must_match_the_template(books: LedgerStore) -> None:
    with pytest.raises(Invalid) as caught:
        load_table_csv(books, OPERATOR, "clients", entity_id="Mine", content=b"nom,terms\nA,3\n")
    assert caught.value.problems == [
        "row 1: unknown column 'nom'",
        "row 1: unknown column 'terms'",
        "row 1: missing column 'name'",
    ]


def test_payments_in_one_file_cannot_pay_more_than_is_owed(books: LedgerStore) -> None:
    billing_forms.add_client(books, OPERATOR, "Mine", {"name": "Acme"})
    billing_forms.add_invoice(
        books, OPERATOR, "Mine",
        {"client_id": "C0001", "number": "1", "kind": "retainer", "issued_on": DAY, "amount": 100},
    )  # fmt: skip
    rows = "invoice_id,paid_on,amount\nINV0001,2026-11-30,60\nINV0001,2026-11-30,60\n"
    with pytest.raises(Invalid) as caught:
        load_table_csv(books, OPERATOR, "invoice_payments", entity_id="Mine", content=rows.encode())
    assert caught.value.problems == ["row 3: Amount ($) is more than the $40.00 still owed"]
    assert _count(books, InvoicePayment) == 0


def test_time_entries_take_the_project_rate(books: LedgerStore) -> None:
    billing_forms.add_client(books, OPERATOR, "Mine", {"name": "Acme"})
    billing_forms.add_client(books, OPERATOR, "Mine", {"name": "Beta"})
    billing_forms.add_project(
        books, OPERATOR, "Mine",
        {"client_id": "C0001", "name": "App", "rate": 150, "start": DAY, "end": DAY},
    )  # fmt: skip
    with pytest.raises(Invalid) as caught:
        billing_forms.add_time_entry(
            books, OPERATOR, "Mine",
            {"client_id": "C0002", "project_id": "P0001", "day": DAY, "minutes": 90},
        )  # fmt: skip
    assert caught.value.fields == {"project_id": "belongs to another client"}
    billing_forms.add_time_entry(
        books, OPERATOR, "Mine",
        {"client_id": "C0001", "project_id": "P0001", "day": DAY, "minutes": 90},
    )  # fmt: skip
    with books.session() as s:
        (entry,) = s.execute(select(TimeEntry)).scalars()
    assert (entry.rate_cents, entry.minutes) == (15000, 90)


def test_rental_records_post_rent_payments_and_repairs(books: LedgerStore) -> None:
    add = rental_forms
    add.add_rental_property(
        books, OPERATOR, "Mine", {"name": "3 Elm", "valuation": 900000, "valued_on": DAY}
    )
    add.add_rental_unit(
        books, OPERATOR, "Mine",
        {"property_id": "P0001", "name": "Unit A", "bedrooms": 2, "market_rent": 2500},
    )  # fmt: skip
    with pytest.raises(Invalid) as caught:
        add.add_lease(
            books, OPERATOR, "Mine",
            {"unit_id": "U0001", "tenant": "Lee", "start": "2026-11-01", "end": "2026-10-01",
             "rent": 2400},
        )  # fmt: skip
    assert caught.value.fields == {"end": "must be on or after the start"}
    add.add_lease(
        books, OPERATOR, "Mine",
        {"unit_id": "U0001", "tenant": "Lee", "start": "2026-11-01", "end": "2027-10-31",
         "rent": 2400},
    )  # fmt: skip
    add.add_rent_charge(
        books, OPERATOR, "Mine", {"lease_id": "L0001", "due_date": "2026-11-01", "amount": 2400}
    )
    with pytest.raises(Invalid) as caught:
        add.add_rent_payment(
            books, OPERATOR, "Mine", {"charge_id": "RC0001", "paid_on": DAY, "amount": 2500}
        )
    assert caught.value.fields == {"amount": "is more than the $2,400.00 still owed"}
    add.add_rent_payment(
        books, OPERATOR, "Mine", {"charge_id": "RC0001", "paid_on": DAY, "amount": 2400}
    )
    with pytest.raises(Invalid) as caught:
        add.add_maintenance_ticket(
            books, OPERATOR, "Mine",
            {"unit_id": "U0001", "category": "plumbing", "description": "Leak",
             "opened_on": DAY, "cost": 150},
        )  # fmt: skip
    assert set(caught.value.fields) == {"cost"}
    add.add_maintenance_ticket(
        books, OPERATOR, "Mine",
        {"unit_id": "U0001", "category": "Plumbing", "description": "Leak",
         "opened_on": "2026-11-10", "closed_on": "2026-11-12", "cost": 150},
    )  # fmt: skip
    with books.session() as s:
        (charge,) = s.execute(select(RentCharge)).scalars()
        (ticket,) = s.execute(select(MaintenanceTicket)).scalars()
    assert (charge.month, charge.unit_id) == (202611, "Mine:U0001")
    assert ticket.fingerprint == "records:Mine:T0001:cost"
    assert _balance(books, "Income:Rent") == -240000
    assert _balance(books, RECEIVABLE) == 0
    assert _balance(books, BANK) == 240000 - 15000
    assert _balance(books, "Expenses:Repairs") == 15000


_job = job_fields


def test_a_delivery_job_s_stage_must_agree_with_its_days(books: LedgerStore) -> None:
    with pytest.raises(Invalid) as caught:
        delivery_forms.add_delivery_job(
            books, OPERATOR, "Mine", _job(stage="booked", started_on="2026-09-01", paid_on="")
        )
    fields = caught.value.fields
    assert fields["started_on"] == "must be empty until the job is underway (it is booked)"
    assert "delivered_on" in fields and "invoiced_on" in fields
    assert "paid_on" not in fields
    with pytest.raises(Invalid) as caught:
        delivery_forms.add_delivery_job(books, OPERATOR, "Mine", _job(quoted_on=None))
    assert caught.value.fields == {"quoted_on": "is required for a job at stage 'paid'"}
    assert _count(books, DeliveryJob) == 0


def test_a_paid_delivery_job_posts_costs_invoice_and_payment(books: LedgerStore) -> None:
    job_id = delivery_forms.add_delivery_job(books, OPERATOR, "Mine", _job())
    with books.session() as s:
        job = s.get(DeliveryJob, job_id)
    assert job is not None and job.stage == "paid"
    assert job.invoice_fingerprint == f"records:{job_id}:invoice"
    assert _balance(books, "Income:Deliveries") == -1800000
    assert _balance(books, BANK) == 1800000 - 1140000
    assert _balance(books, RECEIVABLE) == 0
    lead = delivery_forms.add_delivery_job(
        books, OPERATOR, "Mine",
        _job(stage="lead", quoted_on="", booked_on="", started_on="", delivered_on="",
             actual_days="", invoiced_on="", due_on="", paid_on=""),
    )  # fmt: skip
    assert lead == "Mine:J0002"
    assert _count(books, JournalEntry) == 3
