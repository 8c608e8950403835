"""Suggestions: the same counterparty and account in >= 3 of the last 4 months, amounts within
10%; noise (amounts all over the place, one-offs, two months only) is not suggested."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from core.auth.dashboard_users import OPERATOR
from core.forecast.recurring import list_recurring
from core.forecast.suggest import accept_suggestion, suggest_recurring
from core.ledger.store import LedgerStore
from tests.conftest import BANK, entry

AS_OF = date(2026, 4, 20)  # the window: January .. April 20


def _pay(day: date, text: str, account: str, dollars: float, **kw: object):
    return entry("A", day, text, (account, dollars), (BANK, -dollars), **kw)


def test_a_clean_history(store: LedgerStore) -> None:
    store.add_entity(id="A", name="A")
    store.post(
        [
            _pay(date(2026, m, 3), f"ACH GUSTO PAYROLL {m}", "Expenses:Payroll", 4000)
            for m in (1, 2, 3, 4)
        ]
        + [_pay(date(2026, m, 28), "Slip rent", "Expenses:Moorage", 850) for m in (1, 2, 3)]
    )
    found = suggest_recurring(store, OPERATOR, "A", AS_OF)
    assert [(s.name, s.account, s.amount, s.every, s.day, s.months) for s in found] == [
        ("GUSTO PAYROLL", "Expenses:Payroll", Decimal("-4000.00"), "month", 3, 4),
        ("Slip rent", "Expenses:Moorage", Decimal("-850.00"), "month", 28, 3),
    ]


def test_noise_is_not_suggested_and_steady_jitter_is(store: LedgerStore) -> None:
    store.add_entity(id="A", name="A")
    rng = random.Random(7)
    noisy = []
    for m in (1, 2, 3, 4):
        # within 10%: still one recurring item (the median)
        noisy.append(
            _pay(date(2026, m, 10), "Electric", "Expenses:Utilities", [300, 310, 290, 305][m - 1])
        )
        # all over the place: groceries every week at very different amounts
        for week in range(3):
            noisy.append(
                _pay(
                    date(2026, m, 1 + 7 * week),
                    "Market",
                    "Expenses:Food",
                    rng.choice([40, 95, 160]),
                )
            )
    noisy += [
        _pay(date(2026, 1, 12), "Boat show", "Expenses:Marketing", 1200),  # once
        _pay(date(2026, 2, 12), "Gym", "Expenses:Perks", 60),  # two months only
        _pay(date(2026, 3, 12), "Gym", "Expenses:Perks", 60),
        _pay(date(2025, 11, 12), "Old lease", "Expenses:Lease", 900),  # before the window
        _pay(date(2025, 12, 12), "Old lease", "Expenses:Lease", 900),
        _pay(date(2026, 1, 12), "Old lease", "Expenses:Lease", 900),
    ]
    store.post(noisy)
    found = suggest_recurring(store, OPERATOR, "A", AS_OF)
    assert [(s.name, s.amount, s.day) for s in found] == [("Electric", Decimal("-302.50"), 10)]


def test_weekly_and_accepting_declares_it_once(store: LedgerStore) -> None:
    store.add_entity(id="A", name="A")
    store.add_entity(id="B", name="B")
    fridays = [date(2026, 1, 2) + timedelta(weeks=k) for k in range(15)]  # Jan 2 .. Apr 10
    store.post(
        [entry("A", d, "Deckhand", ("Expenses:Labor", 600), (BANK, -600)) for d in fridays]
        + [
            entry("A", date(2026, m, 1), "B", (BANK, 500), ("Income:Fees", -500), intercompany=True)
            for m in (1, 2, 3, 4)
        ]
    )
    found = {s.name: s for s in suggest_recurring(store, OPERATOR, "A", AS_OF)}
    assert (found["Deckhand"].every, found["Deckhand"].weekday) == ("week", 4)
    assert found["B"].intercompany and not found["Deckhand"].intercompany
    accepted = accept_suggestion(store, OPERATOR, found["Deckhand"])
    assert (accepted.every, accepted.weekday, accepted.amount) == ("week", 4, Decimal("-600.00"))
    assert [r.name for r in list_recurring(store, OPERATOR, "A")] == ["Deckhand"]
    assert "Deckhand" not in {s.name for s in suggest_recurring(store, OPERATOR, "A", AS_OF)}
