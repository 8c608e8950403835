"""Client billing records from a form or CSV: clients, engagements (retainers and projects),
time entries, invoices and their payments. An invoice posts Dr AccountsReceivable / Cr
Income:Consulting (retainer) or Income:Projects (project); a payment Dr Bank / Cr
AccountsReceivable (as the demo does). An invoice is due ``terms_days`` after it is issued.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.ledger.accounts import RECEIVABLE
from core.ledger.models_records import Client, Invoice, InvoicePayment, Project, Retainer, TimeEntry
from core.records.form_fields import FormField
from core.records.forms import Built, Draft, RecordForm, adder
from core.records.receipts import receipt, receipt_form

FAMILY = "billing"
INCOME = {"retainer": "Income:Consulting", "project": "Income:Projects"}
MAX_TERMS = 365


def _client(d: Draft) -> Built | None:
    v = d.values
    terms = 30 if v["terms_days"] is None else v["terms_days"]
    if terms > MAX_TERMS:
        d.fail("terms_days", f"at most {MAX_TERMS} days")
    taken = d.conn.scalar(
        select(func.count()).where(
            Client.entity_id == d.entity_id, func.lower(Client.name) == v["name"].lower()
        )
    )
    if taken or v["name"].lower() in d.batch.numbers:
        d.fail("name", f"a client named {v['name']!r} already exists")
    if d.problems:
        return None
    d.batch.numbers.add(v["name"].lower())
    return Built({"name": v["name"], "terms_days": terms})


def _dates_in_order(d: Draft, start: str, end: str) -> None:
    if d.values[end] is not None and d.values[end] < d.values[start]:
        d.fail(end, "must be on or after the start")


def _retainer(d: Draft) -> Built | None:
    v = d.values
    client = d.ref("client_id", Client)
    _dates_in_order(d, "start", "end")
    if v["monthly"] <= 0:
        d.fail("monthly", "must be more than zero")
    if client is None or d.problems:
        return None
    row = {
        "client_id": client.id,
        "monthly_cents": v["monthly"],
        "hours_included": v["hours_included"],
        "start": v["start"],
        "end": v["end"],
    }
    return Built(row)


def _project(d: Draft) -> Built | None:
    v = d.values
    client = d.ref("client_id", Client)
    _dates_in_order(d, "start", "end")
    if v["rate"] <= 0:
        d.fail("rate", "must be more than zero")
    if client is None or d.problems:
        return None
    row = {
        "client_id": client.id,
        "name": v["name"],
        "rate_cents": v["rate"],
        "start": v["start"],
        "end": v["end"],
    }
    return Built(row)


def _time(d: Draft) -> Built | None:
    v = d.values
    client = d.ref("client_id", Client)
    project = d.ref("project_id", Project)
    retainer = d.ref("retainer_id", Retainer)
    if (project is None) == (retainer is None) and not d.problems:
        d.fail("project_id", "give either a project or a retainer")
    if not 0 < v["minutes"] <= 24 * 60:
        d.fail("minutes", "must be between 1 and 1440 (one day)")
    if client is None or d.problems:
        return None
    engagement = project or retainer
    if engagement.client_id != client.id:
        field = "project_id" if project is not None else "retainer_id"
        d.fail(field, "belongs to another client")
        return None
    row = {
        "client_id": client.id,
        "project_id": project.id if project is not None else None,
        "retainer_id": retainer.id if retainer is not None else None,
        "day": v["day"],
        "minutes": v["minutes"],
        "rate_cents": project.rate_cents if project is not None else 0,  # retainer time is paid
        "invoice_id": None,
    }
    return Built(row)


def _invoice(d: Draft) -> Built | None:
    v = d.values
    client = d.ref("client_id", Client)
    if v["amount"] <= 0:
        d.fail("amount", "must be more than zero")
    number = v["number"]
    taken = d.conn.scalar(
        select(func.count()).where(Invoice.entity_id == d.entity_id, Invoice.number == number)
    )
    if taken or number in d.batch.numbers:
        d.fail("number", f"invoice {number} already exists")
    if client is None or d.problems:
        return None
    d.batch.numbers.add(number)
    account = INCOME[v["kind"]]
    entry = d.entry(
        "issued_on",
        f"{'Retainer' if v['kind'] == 'retainer' else 'Project invoice'}: {client.name} ({number})",
        [(RECEIVABLE, v["amount"]), (account, -v["amount"])],
        "invoice",
    )
    row = {
        "client_id": client.id,
        "number": number,
        "kind": v["kind"],
        "income_account": account,
        "issued_on": v["issued_on"],
        "due_on": v["issued_on"] + timedelta(days=client.terms_days),
        "amount_cents": v["amount"],
        "fingerprint": entry.fingerprint,
    }
    return Built(row, [("issued_on", entry)])


def _payment(d: Draft) -> Built | None:
    return receipt(
        d, key="invoice_id", owed_model=Invoice, payment_model=InvoicePayment,
        since="issued_on", since_text="the invoice was issued",
        text="Payment received ({owed.number})",
    )  # fmt: skip


CLIENTS = RecordForm(
    "clients", "Client", FAMILY, Client, "C",
    (
        FormField("name", "Name"),
        FormField("terms_days", "Payment terms (days)", "int", required=False),
    ),
    _client,
)  # fmt: skip
RETAINERS = RecordForm(
    "retainers", "Retainer", FAMILY, Retainer, "R",
    (
        FormField("client_id", "Client", ref="clients"),
        FormField("monthly", "Monthly fee ($)", "money"),
        FormField("hours_included", "Hours included", "int"),
        FormField("start", "Start", "date"),
        FormField("end", "End", "date", required=False),
    ),
    _retainer,
    label=("client_id", "start"),
)  # fmt: skip
PROJECTS = RecordForm(
    "projects", "Project", FAMILY, Project, "P",
    (
        FormField("client_id", "Client", ref="clients"),
        FormField("name", "Name"),
        FormField("rate", "Hourly rate ($)", "money"),
        FormField("start", "Start", "date"),
        FormField("end", "End", "date"),
    ),
    _project,
)  # fmt: skip
TIME = RecordForm(
    "time_entries", "Time entry", FAMILY, TimeEntry, "TE",
    (
        FormField("client_id", "Client", ref="clients"),
        FormField("project_id", "Project", required=False, ref="projects"),
        FormField("retainer_id", "Retainer", required=False, ref="retainers"),
        FormField("day", "Day", "date"),
        FormField("minutes", "Minutes", "int"),
    ),
    _time,
    label=("day", "minutes"),
)  # fmt: skip
INVOICES = RecordForm(
    "invoices", "Invoice", FAMILY, Invoice, "INV",
    (
        FormField("client_id", "Client", ref="clients"),
        FormField("number", "Number"),
        FormField("kind", "Kind", "choice", choices=tuple(INCOME)),
        FormField("issued_on", "Issued on", "date"),
        FormField("amount", "Amount ($)", "money"),
    ),
    _invoice,
    posts="Dr Assets:AccountsReceivable / Cr Income:Consulting or Income:Projects when issued",
    label=("number", "amount_cents"),
)  # fmt: skip
PAYMENTS = receipt_form(
    "invoice_payments", "Invoice payment", FAMILY, InvoicePayment, "IP",
    key="invoice_id", key_label="Invoice", owed_table="invoices", build=_payment,
)  # fmt: skip
FORMS = (CLIENTS, RETAINERS, PROJECTS, TIME, INVOICES, PAYMENTS)


add_client = adder(CLIENTS)
add_retainer = adder(RETAINERS)
add_project = adder(PROJECTS)
add_time_entry = adder(TIME)
add_invoice = adder(INVOICES)
add_invoice_payment = adder(PAYMENTS)
