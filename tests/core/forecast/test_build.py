"""The forecast over a hand-computed ledger, to the cent (tests/core/forecast/hand_ledger.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.errors import Forbidden, Invalid
from core.forecast.build import build_forecast
from core.forecast.model import Adjust, OneOff, Scenario
from core.ledger.models_records import Invoice
from core.ledger.store import LedgerStore
from core.records.store import insert_records
from tests.conftest import BANK, entry
from tests.core.forecast.hand_ledger import ACME, AR, AS_OF, CLOSINGS, WEEKS, seed


@pytest.fixture
def hand(store: LedgerStore) -> LedgerStore:
    seed(store)
    return store


def _d(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def test_weeks_opening_and_closings_to_the_cent(hand: LedgerStore) -> None:
    f = build_forecast(hand, OPERATOR, ACME, AS_OF, WEEKS)
    assert f.opening == Decimal("10900.00")
    assert [(w.start, w.end) for w in f.weeks][:2] == [
        (date(2026, 2, 1), date(2026, 2, 7)),
        (date(2026, 2, 8), date(2026, 2, 14)),
    ]
    assert f.weeks[-1].end == date(2026, 3, 14)
    assert [w.closing for w in f.weeks] == _d(*CLOSINGS)
    assert (f.weeks[0].inflow, f.weeks[0].outflow, f.weeks[0].net) == tuple(
        _d("4000.00", "-157.69", "3842.31")
    )
    assert f.low_point == Decimal("14742.31") and f.low_week.start == date(2026, 2, 1)
    assert f.closing == Decimal("15103.86") and f.weeks_below_zero == 0


def test_every_item_says_where_it_comes_from(hand: LedgerStore) -> None:
    f = build_forecast(hand, OPERATOR, ACME, AS_OF, WEEKS)
    sources = sorted(
        (i.source, i.account, i.date.isoformat(), str(i.amount)) for i in f.weeks[0].items
    )
    assert sources == [
        ("baseline", "Expenses:Fuel", "2026-02-01", "-100.00"),
        ("baseline", "Expenses:Software", "2026-02-01", "-7.69"),
        ("baseline", "Income:Charters", "2026-02-01", "200.00"),
        ("invoice", "Income:Consulting", "2026-02-01", "800.00"),
        ("lease", "Income:Rent", "2026-02-01", "1500.00"),
        ("lease", "Income:Rent", "2026-02-01", "1500.00"),
        ("recurring", "Expenses:Insurance", "2026-02-02", "-50.00"),
    ]
    week4 = sorted((i.source, i.date.isoformat(), str(i.amount)) for i in f.weeks[3].items)
    assert ("recurring", "2026-02-28", "-1000.00") in week4  # day 31 clamped to February's end
    assert ("invoice", "2026-02-24", "1000.00") in week4  # what is left of INV-2
    assert not [i for i in f.items if i.label == "Invoice INV-3"]  # due after the horizon
    assert not [i for i in f.weeks[3].items if i.account == "Expenses:Insurance"]  # ended
    assert not [i for i in f.weeks[4].items if i.source == "lease"]  # the lease ended Feb 28
    assert {i.entity_id for i in f.items} == {ACME}


def test_an_adjust_and_a_one_off(hand: LedgerStore) -> None:
    what_if = Scenario(
        None,
        (Adjust("Income:Charters", Decimal("-50")),),
        (OneOff(date(2026, 2, 10), Decimal("-20000"), "New engine"),),
    )
    f = build_forecast(hand, OPERATOR, ACME, AS_OF, WEEKS, what_if)
    assert [w.closing for w in f.weeks] == _d(
        "14642.31", "-5415.38", "-5473.07", "-5480.76", "-5488.45", "-5496.14"
    )
    assert f.low_point == Decimal("-5496.14") and f.low_week.start == date(2026, 3, 8)
    assert f.weeks_below_zero == 5
    one_off = [i for i in f.items if i.source == "one-off"]
    assert [(i.date, i.amount, i.label) for i in one_off] == [
        (date(2026, 2, 10), Decimal("-20000"), "New engine")
    ]


def test_an_adjust_with_a_window_is_the_rental_vacant(hand: LedgerStore) -> None:
    vacant = Scenario(
        None, (Adjust("Income:Rent", Decimal("-100"), date(2026, 2, 1), date(2026, 2, 28)),)
    )
    f = build_forecast(hand, OPERATOR, ACME, AS_OF, WEEKS, vacant)
    assert f.weeks[0].closing == Decimal(CLOSINGS[0]) - 3000
    assert f.opening == Decimal("10900.00")


def test_cash_moved_between_cash_accounts_counts_as_nothing(hand: LedgerStore) -> None:
    hand.post(
        [entry(ACME, date(2026, 1, 30), "Back", (BANK, 1000), ("Assets:Bank:Savings", -1000))]
    )
    f = build_forecast(hand, OPERATOR, ACME, AS_OF, WEEKS)
    assert [w.closing for w in f.weeks] == _d(*CLOSINGS)


def test_all_leaves_out_intercompany_and_a_scoped_reader_sees_their_own(hand: LedgerStore) -> None:
    hand.post(
        [
            entry("Other", date(2026, 1, 10), "Seed", (BANK, 500), ("Equity:Owner", -500)),
            entry(
                ACME,
                date(2026, 1, 12),
                "Fee to Other",
                ("Expenses:Fees", 130),
                (BANK, -130),
                intercompany=True,
            ),
            entry(
                "Other",
                date(2026, 1, 12),
                "Fee from Acme",
                (BANK, 130),
                ("Income:Fees", -130),
                intercompany=True,
            ),
            # Acme bills Other: an open invoice of its own books, not of the portfolio's
            entry(
                ACME,
                date(2026, 1, 30),
                "INV-4 to Other",
                (AR, 400),
                ("Income:Consulting", -400),
                intercompany=True,
                fingerprint="inv-4",
            ),
        ]
    )
    billed = {
        "entity_id": ACME, "client_id": "Acme:C1", "kind": "project", "number": "INV-4",
        "income_account": "Income:Consulting", "issued_on": date(2026, 1, 30),
        "due_on": date(2026, 2, 9), "amount_cents": 40000, "fingerprint": "inv-4",
    }  # fmt: skip
    insert_records(hand, {Invoice: [{"id": "Acme:I4", **billed}]})
    acme = build_forecast(hand, OPERATOR, ACME, AS_OF, WEEKS)
    assert [i.amount for i in acme.items if i.label == "Invoice INV-4"] == [Decimal("400.00")]
    fee = [i for i in acme.weeks[0].items if i.account == "Expenses:Fees"]
    assert [i.amount for i in fee] == [Decimal("-10.00")]  # on its own books: 130 / 13
    everything = build_forecast(hand, OPERATOR, "all", AS_OF, WEEKS)
    assert not [i for i in everything.items if i.account in ("Expenses:Fees", "Income:Fees")]
    assert not [i for i in everything.items if i.label == "Invoice INV-4"]
    assert everything.opening == Decimal("10900.00") - 130 + 130 + 500
    scoped = UserScope(email="c@x", name="C", role="cfo", entities=frozenset({"Other"}))
    mine = build_forecast(hand, scoped, "all", AS_OF, WEEKS)
    # a consolidation of their entities, intercompany left out as the cash KPI does
    assert mine.entity_ids == ("Other",) and mine.opening == Decimal("500.00")
    with pytest.raises(Forbidden):
        build_forecast(hand, scoped, ACME, AS_OF, WEEKS)


@pytest.mark.parametrize("weeks", [0, 53])
def test_weeks_are_1_to_52(hand: LedgerStore, weeks: int) -> None:
    with pytest.raises(Invalid):
        build_forecast(hand, OPERATOR, ACME, AS_OF, weeks)
