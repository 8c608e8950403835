"""Collections beyond the open invoices: an invoicing business keeps collecting at its pace
once its open invoices are paid; a rental's leases already say every month's rent ahead."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.auth.dashboard_users import OPERATOR
from core.forecast.build import build_forecast, horizon
from core.forecast.model import ForecastItem
from core.forecast.receivables import collections_beyond
from core.ledger.models_records import Client, Invoice
from core.ledger.store import LedgerStore
from core.records.store import insert_records
from tests.conftest import BANK, entry
from tests.core.forecast.hand_ledger import ACME, AS_OF, CLOSINGS, WEEKS, seed

AR = "Assets:AccountsReceivable"


def test_the_shortfall_behind_the_pace_is_added_week_by_week() -> None:
    weeks = horizon(date(2026, 1, 31), 4)
    known = [ForecastItem(date(2026, 2, 1), Decimal("250.00"), "Income:X", "invoice", "I", "B")]
    # pace 1,300 / 13 = 100.00 a week: 250 covers weeks 1-2 and half of week 3
    out = collections_beyond({("B", AR): 130000}, {"B"}, known, weeks)
    assert [(i.date, i.amount, i.account, i.source) for i in out] == [
        (date(2026, 2, 15), Decimal("50.00"), AR, "baseline"),
        (date(2026, 2, 22), Decimal("100.00"), AR, "baseline"),
    ]
    assert collections_beyond({("B", AR): 130000}, set(), known, weeks) == []  # not invoicing
    assert collections_beyond({("B", AR): -500}, {"B"}, [], weeks) == []  # no collections


def test_an_invoicing_entity_collects_at_its_pace(store: LedgerStore) -> None:
    store.add_entity(id="B", name="Billing Co")
    store.post(
        [
            entry("B", date(2025, 12, 1), "INV-9", (AR, 2600), ("Income:Consulting", -2600)),
            entry("B", date(2025, 12, 20), "Paid", (BANK, 2600), (AR, -2600)),
            entry("B", date(2026, 1, 20), "INV-10", (AR, 300), ("Income:Consulting", -300)),
        ]
    )
    insert_records(
        store,
        {
            Client: [{"id": "B:C", "entity_id": "B", "name": "C"}],
            Invoice: [
                {"id": "B:I10", "entity_id": "B", "client_id": "B:C", "number": "INV-10",
                 "kind": "project", "income_account": "Income:Consulting", "fingerprint": "x",
                 "issued_on": date(2026, 1, 20), "due_on": date(2026, 2, 5), "amount_cents": 30000},
            ],
        },
    )  # fmt: skip
    f = build_forecast(store, OPERATOR, "B", AS_OF, 4)
    # pace 2,600 / 13 = 200.00; INV-10's 300 in week 1 covers it and half of week 2
    assert [w.closing for w in f.weeks] == [Decimal(v) for v in ("2900", "3000", "3200", "3400")]
    assert [i.amount for i in f.weeks[1].items] == [Decimal("100.00")]


def test_a_rental_gets_no_top_up(store: LedgerStore) -> None:
    seed(store)  # Acme has a lease: its rent ahead is known
    f = build_forecast(store, OPERATOR, ACME, AS_OF, WEEKS)
    assert [str(w.closing) for w in f.weeks] == CLOSINGS
    assert not [i for i in f.items if i.account == AR]
