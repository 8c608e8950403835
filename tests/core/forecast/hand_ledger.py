"""A small hand-computed ledger for the forecast: one charter business with declared items,
open invoices, a lease and a baseline history, as of Saturday 2026-01-31 (6 weeks ahead).

Opening cash at the end of 2026-01-31: 10,000 put in - 1,300 fuel + 2,600 charters - 100
software - 2,000 payroll + 1,500 rent received + 200 paid on INV-2 = 10,900.00 (the 1,000 moved
to savings counts as nothing: both sides are cash).

Baseline over 2025-11-02..2026-01-31 (13 weeks), per week: Income:Charters 2,600/13 = +200.00,
Expenses:Fuel -1,300/13 = -100.00, Expenses:Software -100/13 = -7.69; payroll is declared and
the receivable is forecast from the invoices and the lease, so neither is in the baseline.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.auth.dashboard_users import OPERATOR
from core.forecast.recurring import add_recurring
from core.ledger.models_records import (
    Client,
    Invoice,
    InvoicePayment,
    Lease,
    RentalProperty,
    RentalUnit,
    RentCharge,
    RentPayment,
)
from core.ledger.store import LedgerStore
from core.records.store import insert_records
from tests.conftest import BANK, entry

ACME = "Acme"
AS_OF = date(2026, 1, 31)
WEEKS = 6
AR = "Assets:AccountsReceivable"
# the plain forecast's weekly closings (see the module docstring and test_build)
CLOSINGS = ["14742.31", "14784.62", "14826.93", "14919.24", "15011.55", "15103.86"]


def seed(store: LedgerStore) -> None:
    """Write the hand ledger: entries, the records behind them and the declared items."""
    store.add_entity(id=ACME, name="Acme Charters", kind="charter")
    store.add_entity(id="Other", name="Other Co")
    e = ACME
    store.post(
        [
            entry(e, date(2025, 10, 1), "Owner puts in", (BANK, 10000), ("Equity:Owner", -10000)),
            entry(e, date(2025, 11, 10), "FUEL DOCK", ("Expenses:Fuel", 500), (BANK, -500)),
            entry(e, date(2025, 12, 10), "FUEL DOCK", ("Expenses:Fuel", 500), (BANK, -500)),
            entry(e, date(2026, 1, 10), "FUEL DOCK", ("Expenses:Fuel", 300), (BANK, -300)),
            entry(e, date(2025, 11, 20), "Charter", (BANK, 1300), ("Income:Charters", -1300)),
            entry(e, date(2026, 1, 20), "Charter", (BANK, 1300), ("Income:Charters", -1300)),
            entry(e, date(2026, 1, 3), "SaaS", ("Expenses:Software", 100), (BANK, -100)),
            entry(e, date(2025, 11, 30), "Payroll", ("Expenses:Payroll", 1000), (BANK, -1000)),
            entry(e, date(2025, 12, 31), "Payroll", ("Expenses:Payroll", 1000), (BANK, -1000)),
            entry(e, date(2026, 1, 15), "To savings", ("Assets:Bank:Savings", 1000), (BANK, -1000)),
            entry(e, date(2025, 12, 1), "Rent due", (AR, 1500), ("Income:Rent", -1500)),
            entry(e, date(2025, 12, 3), "Rent in", (BANK, 1500), (AR, -1500)),
            entry(e, date(2026, 1, 1), "Rent due", (AR, 1500), ("Income:Rent", -1500)),
            entry(e, date(2026, 1, 5), "INV-1", (AR, 800), ("Income:Consulting", -800)),
            entry(e, date(2026, 1, 25), "INV-2", (AR, 1200), ("Income:Consulting", -1200)),
            entry(e, date(2026, 1, 28), "INV-2 part", (BANK, 200), (AR, -200)),
            entry(e, date(2026, 1, 29), "INV-3", (AR, 900), ("Income:Consulting", -900)),
            # no cash: never in the baseline
            entry(
                e, date(2026, 1, 31), "Depreciation", ("Expenses:Depr", 50), ("Assets:Boat", -50)
            ),
        ]
    )
    unit = {"entity_id": e, "property_id": "Acme:P", "name": "Dock house", "bedrooms": 1}
    charge = {"entity_id": e, "lease_id": "Acme:L1", "unit_id": "Acme:U1", "fingerprint": "x"}
    invoice = {"entity_id": e, "client_id": "Acme:C1", "kind": "project", "fingerprint": "x"}
    insert_records(
        store,
        {
            RentalProperty: [
                {
                    "id": "Acme:P",
                    "entity_id": e,
                    "name": "Dock",
                    "valuation_cents": 1,
                    "valuation_date": date(2025, 1, 1),
                }
            ],
            RentalUnit: [{"id": "Acme:U1", **unit, "market_rent_cents": 150000}],
            # ends mid-horizon: rent on Feb 1, none on Mar 1
            Lease: [
                {
                    "id": "Acme:L1",
                    "entity_id": e,
                    "unit_id": "Acme:U1",
                    "tenant": "Sam",
                    "start": date(2025, 12, 1),
                    "end": date(2026, 2, 28),
                    "rent_cents": 150000,
                }
            ],
            RentCharge: [
                {
                    "id": "Acme:L1:202512",
                    **charge,
                    "month": 202512,
                    "due_date": date(2025, 12, 1),
                    "amount_cents": 150000,
                },
                # still owed: lands in week 1
                {
                    "id": "Acme:L1:202601",
                    **charge,
                    "month": 202601,
                    "due_date": date(2026, 1, 1),
                    "amount_cents": 150000,
                },
            ],
            RentPayment: [
                {
                    "id": "Acme:L1:202512:pay",
                    "entity_id": e,
                    "charge_id": "Acme:L1:202512",
                    "paid_on": date(2025, 12, 3),
                    "amount_cents": 150000,
                    "fingerprint": "x",
                }
            ],
            Client: [{"id": "Acme:C1", "entity_id": e, "name": "Client One"}],
            Invoice: [
                # overdue: week 1
                {
                    "id": "Acme:I1",
                    **invoice,
                    "number": "INV-1",
                    "income_account": "Income:Consulting",
                    "issued_on": date(2026, 1, 5),
                    "due_on": date(2026, 1, 20),
                    "amount_cents": 80000,
                },
                # 1,000 left, due in week 4
                {
                    "id": "Acme:I2",
                    **invoice,
                    "number": "INV-2",
                    "income_account": "Income:Consulting",
                    "issued_on": date(2026, 1, 25),
                    "due_on": date(2026, 2, 24),
                    "amount_cents": 120000,
                },
                # due after the horizon
                {
                    "id": "Acme:I3",
                    **invoice,
                    "number": "INV-3",
                    "income_account": "Income:Consulting",
                    "issued_on": date(2026, 1, 29),
                    "due_on": date(2026, 4, 1),
                    "amount_cents": 90000,
                },
            ],
            InvoicePayment: [
                {
                    "id": "Acme:I2:p",
                    "entity_id": e,
                    "invoice_id": "Acme:I2",
                    "paid_on": date(2026, 1, 28),
                    "amount_cents": 20000,
                    "fingerprint": "x",
                }
            ],
        },
    )
    # day 31, clamped: Feb 28 in week 4 (Jan 31 is as_of itself, Mar 31 after the horizon)
    add_recurring(
        store,
        OPERATOR,
        entity_id=e,
        name="Payroll",
        account="Expenses:Payroll",
        amount="-1000",
        every="month",
        day=31,
        starts="2025-11-30",
    )
    # ends mid-horizon: Mondays Feb 2, 9 and 16 only
    add_recurring(
        store,
        OPERATOR,
        entity_id=e,
        name="Insurance",
        account="Expenses:Insurance",
        amount=Decimal("-50"),
        every="week",
        weekday="MON",
        starts="2026-01-05",
        ends="2026-02-20",
    )
