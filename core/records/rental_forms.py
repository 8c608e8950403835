"""Rental records from a form or CSV: properties, units, leases, rent charges and payments,
maintenance tickets. Rent due posts Dr AccountsReceivable / Cr Income:Rent, a payment Dr Bank /
Cr AccountsReceivable, a closed ticket's cost Dr Expenses:Repairs / Cr Bank (as the demo does).
"""

from __future__ import annotations

from core.ledger.accounts import BANK, RECEIVABLE
from core.ledger.models_records import (
    Lease,
    MaintenanceTicket,
    RentalProperty,
    RentalUnit,
    RentCharge,
    RentPayment,
)
from core.periods import month_of
from core.records.form_fields import FormField
from core.records.forms import Built, Draft, RecordForm, adder
from core.records.receipts import receipt, receipt_form

FAMILY = "rental"


def _property(d: Draft) -> Built:
    v = d.values
    return Built(
        {"name": v["name"], "valuation_cents": v["valuation"], "valuation_date": v["valued_on"]}
    )


def _unit(d: Draft) -> Built | None:
    prop = d.ref("property_id", RentalProperty)
    if prop is None:
        return None
    v = d.values
    return Built(
        {
            "property_id": prop.id,
            "name": v["name"],
            "bedrooms": v["bedrooms"],
            "market_rent_cents": v["market_rent"],
        }
    )


def _lease(d: Draft) -> Built | None:
    v = d.values
    unit = d.ref("unit_id", RentalUnit)
    renews = d.ref("renewal_of", Lease)
    if v["end"] < v["start"]:
        d.fail("end", "must be on or after the start")
    if v["rent"] <= 0:
        d.fail("rent", "must be more than zero")
    if unit is None or d.problems:
        return None
    if renews is not None and renews.unit_id != unit.id:
        d.fail("renewal_of", "renews a lease of another unit")
        return None
    return Built(
        {
            "unit_id": unit.id,
            "tenant": v["tenant"],
            "start": v["start"],
            "end": v["end"],
            "rent_cents": v["rent"],
            "renewal_of": renews.id if renews is not None else None,
        }
    )


def _charge(d: Draft) -> Built | None:
    v = d.values
    lease = d.ref("lease_id", Lease)
    if v["amount"] <= 0:
        d.fail("amount", "must be more than zero")
    if lease is None or d.problems:
        return None
    entry = d.entry(
        "due_date",
        f"Rent due ({lease.tenant})",
        [(RECEIVABLE, v["amount"]), ("Income:Rent", -v["amount"])],
        "charge",
    )
    row = {
        "lease_id": lease.id,
        "unit_id": lease.unit_id,
        "month": month_of(v["due_date"]),
        "due_date": v["due_date"],
        "amount_cents": v["amount"],
        "fingerprint": entry.fingerprint,
    }
    return Built(row, [("due_date", entry)])


def _payment(d: Draft) -> Built | None:
    return receipt(
        d, key="charge_id", owed_model=RentCharge, payment_model=RentPayment,
        since="due_date", since_text="the rent was due", text="Rent received",
    )  # fmt: skip


def _ticket(d: Draft) -> Built | None:
    v = d.values
    unit = d.ref("unit_id", RentalUnit)
    cost = v["cost"] or 0
    closed = v["closed_on"]
    if closed is not None and closed < v["opened_on"]:
        d.fail("closed_on", "must be on or after the day it was opened")
    if cost and closed is None:
        d.fail("cost", "is posted when the ticket is closed: give the closed date too")
    if unit is None or d.problems:
        return None
    entries = []
    if cost:
        entries.append(
            (
                "closed_on",
                d.entry(
                    "closed_on",
                    f"Repair: {v['description'].lower()}, {unit.name}",
                    [("Expenses:Repairs", cost), (BANK, -cost)],
                    "cost",
                    cost_behaviors={"Expenses:Repairs": "variable"},
                ),
            )
        )
    row = {
        "unit_id": unit.id,
        "category": v["category"],
        "description": v["description"],
        "opened_on": v["opened_on"],
        "closed_on": closed,
        "cost_cents": cost,
        "fingerprint": entries[0][1].fingerprint if entries else None,
    }
    return Built(row, entries)


TICKET_CATEGORIES = (
    "plumbing",
    "appliance",
    "hvac",
    "electrical",
    "roof",
    "pest",
    "general",
)

PROPERTIES = RecordForm(
    "rental_properties", "Property", FAMILY, RentalProperty, "P",
    (
        FormField("name", "Name"),
        FormField("valuation", "Valuation ($)", "money"),
        FormField("valued_on", "Valued on", "date"),
    ),
    _property,
)  # fmt: skip
UNITS = RecordForm(
    "rental_units", "Rental unit", FAMILY, RentalUnit, "U",
    (
        FormField("property_id", "Property", ref="rental_properties"),
        FormField("name", "Name"),
        FormField("bedrooms", "Bedrooms", "int"),
        FormField("market_rent", "Market rent ($ a month)", "money"),
    ),
    _unit,
)  # fmt: skip
LEASES = RecordForm(
    "leases", "Lease", FAMILY, Lease, "L",
    (
        FormField("unit_id", "Unit", ref="rental_units"),
        FormField("tenant", "Tenant"),
        FormField("start", "Start", "date"),
        FormField("end", "End (last day)", "date"),
        FormField("rent", "Rent ($ a month)", "money"),
        FormField("renewal_of", "Renews lease", required=False, ref="leases"),
    ),
    _lease,
    label=("tenant", "start"),
)  # fmt: skip
CHARGES = RecordForm(
    "rent_charges", "Rent charge", FAMILY, RentCharge, "RC",
    (
        FormField("lease_id", "Lease", ref="leases"),
        FormField("due_date", "Due date", "date"),
        FormField("amount", "Amount ($)", "money"),
    ),
    _charge,
    posts="Dr Assets:AccountsReceivable / Cr Income:Rent on the due date",
    label=("due_date", "amount_cents"),
)  # fmt: skip
PAYMENTS = receipt_form(
    "rent_payments", "Rent payment", FAMILY, RentPayment, "RP",
    key="charge_id", key_label="Rent charge", owed_table="rent_charges", build=_payment,
)  # fmt: skip
TICKETS = RecordForm(
    "maintenance_tickets", "Maintenance ticket", FAMILY, MaintenanceTicket, "T",
    (
        FormField("unit_id", "Unit", ref="rental_units"),
        FormField("category", "Category", "choice", choices=TICKET_CATEGORIES),
        FormField("description", "Description"),
        FormField("opened_on", "Opened on", "date"),
        FormField("closed_on", "Closed on", "date", required=False),
        FormField("cost", "Cost ($)", "money", required=False),
    ),
    _ticket,
    posts="its cost: Dr Expenses:Repairs / Cr Assets:Bank:Checking on the day closed",
    label=("description", "opened_on"),
)  # fmt: skip
FORMS = (PROPERTIES, UNITS, LEASES, CHARGES, PAYMENTS, TICKETS)


add_rental_property = adder(PROPERTIES)
add_rental_unit = adder(UNITS)
add_lease = adder(LEASES)
add_rent_charge = adder(CHARGES)
add_rent_payment = adder(PAYMENTS)
add_maintenance_ticket = adder(TICKETS)
