"""AppTest of /records: add a client and an invoice, field errors under the field, CSV upload,
a delivery job moved to a later stage."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import OPERATOR, add_user
from core.config import get_settings
from core.ledger.models import Entity
from core.ledger.models_records import DeliveryJob
from core.ledger.store import LedgerStore, open_ledger
from core.onboarding.businesses import add_business
from core.records.delivery_forms import add_delivery_job
from core.records.store import account_balance_on, billing_records
from tests.dashboard.conftest import PASSWORD, sign_in


@pytest.fixture
def studio(data_dir: Path) -> Iterator[LedgerStore]:
    """One consulting business, its owner, a CFO and a CTO."""
    store = open_ledger(get_settings().ledger_url)
    add_user(store, email="owner@example.com", role="owner", password=PASSWORD)
    add_user(store, email="cto@example.com", role="cto", password=PASSWORD)
    add_business(store, OPERATOR, name="Studio", kind="software-consultancy")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    st.cache_data.clear()
    st.cache_resource.clear()


def page(email: str = "owner@example.com") -> AppTest:
    at = sign_in(email)
    at.switch_page("views/records.py").run()
    assert not at.exception, at.exception
    return at


def _pick_billing(at: AppTest, table: str) -> None:
    control = next(w for w in at.get("button_group") if w.key == "rec_table_billing")
    control.set_value(table).run()
    assert not at.exception, at.exception


def _submit(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def _field(widgets, table: str, name: str):
    """The input of field ``name`` in ``table``'s form (every tab's forms are on the page)."""
    return next(w for w in widgets if (w.key or "").startswith(f"rec_{table}_{name}_"))


def test_owner_adds_a_client_and_an_invoice(studio: LedgerStore) -> None:
    at = page()
    assert [t.value for t in at.title] == ["Records"]
    _pick_billing(at, "clients")
    _submit(at, "Add client")
    assert "Is required" in [e.value for e in at.error]  # under the Name field
    assert billing_records(studio, ["Studio"]).clients == []

    _field(at.text_input, "clients", "name").input("Acme Corp")
    _field(at.number_input, "clients", "terms_days").set_value(15)
    _submit(at, "Add client")
    (client,) = billing_records(studio, ["Studio"]).clients
    assert (client.name, client.terms_days) == ("Acme Corp", 15)

    _pick_billing(at, "invoices")
    _field(at.selectbox, "invoices", "client_id").set_value(client.id)
    _field(at.text_input, "invoices", "number").input("A-1")
    _field(at.selectbox, "invoices", "kind").set_value("project")
    _field(at.date_input, "invoices", "issued_on").set_value(date(2026, 11, 2))
    _field(at.text_input, "invoices", "amount").input("12.345")
    _submit(at, "Add invoice")
    assert [e.value for e in at.error] == ["At most two decimals (whole cents)"]
    _field(at.text_input, "invoices", "amount").input("1,250")
    _submit(at, "Add invoice")
    (invoice,) = billing_records(studio, ["Studio"]).invoices
    assert (invoice.number, invoice.amount_cents, invoice.due_on) == (
        "A-1",
        125000,
        date(2026, 11, 17),
    )
    assert not at.error


def test_owner_moves_a_delivery_job_to_a_later_stage(studio: LedgerStore) -> None:
    business = studio_id(studio)
    job_id = add_delivery_job(
        studio, OPERATOR, business,
        {"vessel": "Sea Dog", "origin": "San Diego", "destination": "Seattle",
         "nautical_miles": 1100, "stage": "booked", "lead_on": "2026-09-01",
         "quoted_on": "2026-09-03", "booked_on": "2026-09-10", "planned_start": "2026-10-01",
         "planned_days": 9, "quote": 18000},
    )  # fmt: skip
    at = page()
    _submit(at, "Move the job on")
    assert [e.value for e in at.error] == ["Is required", "Is required"]  # job and stage
    _field(at.selectbox, "adv", "job").set_value(job_id)
    _field(at.selectbox, "adv", "stage").set_value("delivered")
    _field(at.date_input, "adv", "started_on").set_value(date(2026, 10, 1))
    _submit(at, "Move the job on")
    assert "Is required for a job at stage 'delivered'" in [e.value for e in at.error]
    _field(at.date_input, "adv", "delivered_on").set_value(date(2026, 10, 11))
    _field(at.number_input, "adv", "actual_days").set_value(11)
    _field(at.text_input, "adv", "crew_cost").input("7,000")
    _submit(at, "Move the job on")
    assert not at.error
    with studio.session() as s:
        job = s.get(DeliveryJob, job_id)
    assert job is not None and (job.stage, job.crew_cost_cents) == ("delivered", 700000)
    day = date(2026, 10, 31)
    assert account_balance_on(studio, [business], "Expenses:CrewFees", day) == 700000


def studio_id(store: LedgerStore) -> str:
    """The id of the Studio business."""
    with store.engine.connect() as conn:
        return str(conn.scalar(select(Entity.id).where(Entity.name == "Studio")))


def test_each_table_has_a_csv_upload_and_its_template(studio: LedgerStore) -> None:
    at = page()
    downloads = [d for d in at.get("download_button") if d.proto.label == "Download the template"]
    assert len(downloads) == 3  # the table in view of each tab
    assert len(at.get("file_uploader")) == 3


def test_a_scoped_cfo_adds_records_to_their_business_only(studio: LedgerStore) -> None:
    add_business(studio, OPERATOR, name="Harbor", kind="rental-property")
    add_user(studio, email="cfo@example.com", role="cfo", password=PASSWORD, entities="Harbor")
    at = page("cfo@example.com")
    assert next(s for s in at.selectbox if s.key == "rec_entity").options == ["Harbor"]


def test_roles_without_the_books_cannot_open_records(studio: LedgerStore) -> None:
    at = sign_in("cto@example.com")
    try:
        at.switch_page("views/records.py")
    except ValueError:
        return  # not even registered as a script for a cto
    at.run()
    assert any("do not have access" in e.value for e in at.error)
    assert not any(t.value == "Records" for t in at.title)
