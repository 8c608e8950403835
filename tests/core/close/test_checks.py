"""Each close check on a hand ledger: passing, failing (or warning) and not applying."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from core.auth.dashboard_users import OPERATOR
from core.close.checks import run_checks
from core.ledger.models import MonthlyTotal
from core.ledger.models_tech import CloudCost
from core.ledger.store import LedgerStore, NewEntry
from core.records import billing_forms

OCT = 202610
BANK = "Assets:Bank:Checking"
CARD = "Liabilities:CreditCard"
DEFERRED = "Liabilities:DeferredRevenue"


@pytest.fixture
def books(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="A", name="Alpha")
    return store


def post(store: LedgerStore, day: date, text: str, *lines: tuple[str, int], **kw: object) -> None:
    store.post([NewEntry("A", day, text, list(lines), **kw)])  # type: ignore[arg-type]


def payout(store: LedgerStore, day: date, cents: int) -> None:
    post(
        store, day, "Stripe payout", (BANK, cents), ("Assets:Cash:Stripe", -cents), source="stripe"
    )


def deposit(store: LedgerStore, day: date, cents: int) -> None:
    post(
        store, day, "STRIPE TRANSFER", (BANK, cents), ("Income:Uncategorized", -cents), source="csv"
    )


def booking(store: LedgerStore, day: date, cents: int, *, trip: str) -> None:
    post(store, day, "Charter deposit", (BANK, cents), (DEFERRED, -cents), memo=f"trip {trip}")


def status(store: LedgerStore, check: str, month: int = OCT) -> tuple[str, int]:
    (result,) = [r for r in run_checks(store, "A", month) if r.id == check]
    return result.status, result.evidence_count


def test_statements_must_reach_the_month_s_last_day(books: LedgerStore) -> None:
    assert status(books, "bank_statements") == ("skip", 0)
    post(books, date(2026, 10, 31), "DEPOSIT", (BANK, 500), ("Income:Sales", -500), source="csv")
    post(books, date(2026, 10, 28), "CARD BUY", ("Expenses:Fuel", 90), (CARD, -90), source="csv")
    assert status(books, "bank_statements") == ("fail", 1)  # the card stops on the 28th
    post(books, date(2026, 10, 31), "Typed by hand", ("Expenses:Fuel", 5), (CARD, -5))
    assert status(books, "bank_statements") == ("fail", 1)  # a manual entry is no statement
    post(books, date(2026, 11, 2), "CARD BUY", ("Expenses:Fuel", 9), (CARD, -9), source="csv")
    assert status(books, "bank_statements") == ("pass", 2)  # a later line: statement reached


def test_each_stripe_payout_needs_its_bank_deposit_within_three_days(books: LedgerStore) -> None:
    assert status(books, "stripe_payouts") == ("skip", 0)
    payout(books, date(2026, 10, 10), 20_000)
    payout(books, date(2026, 10, 20), 7_000)
    deposit(books, date(2026, 10, 12), 20_000)
    deposit(books, date(2026, 10, 25), 7_000)
    assert status(books, "stripe_payouts") == ("fail", 1)  # the second arrived 5 days later
    deposit(books, date(2026, 10, 23), 7_000)
    assert status(books, "stripe_payouts") == ("pass", 0)


def test_the_month_s_cloud_cost_must_be_posted_when_there_is_a_source(books: LedgerStore) -> None:
    assert status(books, "cloud_cost") == ("skip", 0)
    row = {"entity_id": "A", "service": "AWS Lambda", "cost_cents": 750, "source": "cost-explorer"}
    with books.engine.begin() as conn:
        conn.execute(insert(CloudCost), [{**row, "month": 202609}])
    assert status(books, "cloud_cost") == ("fail", 0)
    with books.engine.begin() as conn:
        conn.execute(insert(CloudCost), [{**row, "month": OCT}])
    assert status(books, "cloud_cost") == ("pass", 1)


def test_the_trial_balance_difference_must_be_zero(books: LedgerStore) -> None:
    post(books, date(2026, 10, 5), "Sale", (BANK, 1_000), ("Income:Sales", -1_000))
    assert status(books, "trial_balance") == ("pass", 0)
    with books.engine.begin() as conn:  # a rollup gone wrong (as a bad manual SQL edit would)
        account = conn.exec_driver_sql("SELECT id FROM accounts WHERE path = 'Income:Sales'")
        conn.execute(
            insert(MonthlyTotal),
            [{"account_id": account.scalar(), "month": 202609, "intercompany": False,
              "entity_id": "A", "amount_cents": 1}],
        )  # fmt: skip
    assert status(books, "trial_balance") == ("fail", 1)
    assert status(books, "trial_balance", 202608) == ("pass", 0)  # before the bad month


def test_no_uncategorized_line_may_be_dated_in_the_month(books: LedgerStore) -> None:
    post(books, date(2026, 11, 3), "MYSTERY", ("Expenses:Uncategorized", 40), (BANK, -40))
    assert status(books, "uncategorized") == ("pass", 0)  # November's is not October's
    post(books, date(2026, 10, 3), "MYSTERY", ("Expenses:Uncategorized", 40), (BANK, -40))
    assert status(books, "uncategorized") == ("fail", 1)


def test_a_deposit_for_a_past_trip_must_be_recognised(books: LedgerStore) -> None:
    assert status(books, "deferred_revenue") == ("skip", 0)
    booking(books, date(2026, 9, 1), 600, trip="2026-10-10")
    booking(books, date(2026, 9, 2), 800, trip="2026-11-15")
    assert status(books, "deferred_revenue") == ("fail", 1)  # October's trip is past
    assert status(books, "deferred_revenue", 202609) == ("pass", 0)  # not past in September
    post(books, date(2026, 10, 10), "Charter done", (DEFERRED, 600), ("Income:Charters", -600))
    assert status(books, "deferred_revenue") == ("pass", 0)
    assert status(books, "deferred_revenue", 202611) == ("fail", 1)  # November's still deferred


def test_receivables_over_sixty_days_past_due_are_a_warning(books: LedgerStore) -> None:
    assert status(books, "receivables") == ("pass", 0)
    billing_forms.add_client(books, OPERATOR, "A", {"name": "Acme", "terms_days": 15})
    billing_forms.add_invoice(
        books, OPERATOR, "A",
        {"client_id": "C0001", "number": "A-1", "kind": "project", "issued_on": "2026-07-01",
         "amount": "1,000"},
    )  # fmt: skip
    assert status(books, "receivables", 202608) == ("pass", 0)  # due Jul 16: 46 days by Aug 31
    assert status(books, "receivables") == ("warn", 1)  # 107 days by Oct 31
