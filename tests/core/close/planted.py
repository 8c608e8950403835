"""A hand ledger for the anomaly tests: eight clean months of one business, and one charge of
each anomaly kind planted in November 2026."""

from __future__ import annotations

from datetime import date, timedelta

from core.ledger.store import LedgerStore, NewEntry
from tests.conftest import BANK, entry

ENTITY = "Acme"
OTHER = "Bolt"
PERIOD = 202611


def _pay(day: date, text: str, account: str, dollars: float, **kw: object) -> NewEntry:
    return entry(ENTITY, day, text, (account, dollars), (BANK, -dollars), **kw)


def clean_entries() -> list[NewEntry]:
    """March to October 2026: supplies, a subscription and a daily cloud bill, all regular."""
    out = [entry(ENTITY, date(2026, 3, 1), "Opening", (BANK, 50_000), ("Equity:Opening", -50_000))]
    for month in range(3, 11):
        out.append(
            _pay(
                date(2026, month, 10),
                "OFFICE DEPOT #1234 SAN DIEGO CA",
                "Expenses:Supplies",
                100 + month,
            )
        )
        out.append(_pay(date(2026, month, 3), "ADOBE CREATIVE CLOUD", "Expenses:Software", 54.99))
    day = date(2026, 10, 1)
    while day <= date(2026, 11, 15):  # AWS bills every day, about $10
        out.append(
            _pay(day, f"AWS {day:%m%d}", "Expenses:Hosting", 10 + day.day % 3, counterparty="AWS")
        )
        day += timedelta(days=1)
    return out


def planted_entries() -> list[NewEntry]:
    """One of each kind in November 2026."""
    return [
        # 400 is > 3x the median (about 106) of Office Depot on Supplies
        _pay(date(2026, 11, 12), "OFFICE DEPOT #5678 LA MESA CA", "Expenses:Supplies", 400),
        # the monthly subscription charged twice, two imports with different fingerprints
        _pay(
            date(2026, 11, 3), "ADOBE CREATIVE CLOUD", "Expenses:Software", 54.99, fingerprint="a1"
        ),
        _pay(
            date(2026, 11, 5), "ADOBE CREATIVE CLOUD", "Expenses:Software", 54.99, fingerprint="b2"
        ),
        # never paid before, above the $500 default
        _pay(date(2026, 11, 20), "ACH DEBIT NEWCO CONSULTING LLC", "Expenses:Uncategorized", 2_400),
        # AWS's day at $31: over 2x its 14-day median of about $11
        _pay(date(2026, 11, 16), "AWS 1116", "Expenses:Hosting", 31, counterparty="AWS"),
    ]


def seed(store: LedgerStore, *, planted: bool = True) -> None:
    """Acme with its clean months (and the planted charges); Bolt, an entity with none."""
    store.add_entity(id=ENTITY, name="Acme Co")
    store.add_entity(id=OTHER, name="Bolt Co")
    store.post(clean_entries() + (planted_entries() if planted else []))
