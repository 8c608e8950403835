"""Scenario presets: each what-if as Adjust/OneOff values, and what it does to a forecast."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.auth.dashboard_users import OPERATOR
from core.errors import Invalid
from core.forecast.build import build_forecast
from core.forecast.model import Adjust, OneOff
from core.forecast.presets import (
    combine,
    lose_charter_weekends,
    months_after,
    one_off_cost,
    rental_vacant,
    revenue_change,
    weekend_share,
)
from core.forecast.recurring import add_recurring
from core.ledger.store import LedgerStore
from tests.conftest import entry

BANK = "Assets:Bank:Checking"
AS_OF = date(2026, 6, 30)  # a Tuesday


@pytest.fixture
def rental(store: LedgerStore) -> LedgerStore:
    """1,000 in the bank; rent of 2,000 on the 1st of each month; nothing else."""
    store.add_entity(id="Flat", name="Flat")
    store.post([entry("Flat", date(2026, 1, 2), "capital", (BANK, 1000), ("Equity:Owner", -1000))])
    add_recurring(
        store,
        OPERATOR,
        entity_id="Flat",
        name="Rent",
        account="Income:Rent",
        amount="2000",
        every="month",
        day=1,
        starts="2026-01-01",
    )
    add_recurring(
        store,
        OPERATOR,
        entity_id="Flat",
        name="Mortgage",
        account="Expenses:Mortgage",
        amount="-1500",
        every="month",
        day=15,
        starts="2026-01-01",
    )
    return store


def test_rental_vacant_removes_its_months_of_rent_and_lowers_the_low_point(
    rental: LedgerStore,
) -> None:
    base = build_forecast(rental, OPERATOR, "Flat", AS_OF, 13)
    # Jul 1 +2,000, Jul 15 -1,500, Aug 1 +2,000, Aug 15 -1,500, Sep 1 +2,000, Sep 15 -1,500
    assert base.low_point == Decimal("1500.00") and base.closing == Decimal("2500.00")
    preset = rental_vacant(2, start=date(2026, 7, 1))
    assert preset.adjusts == (
        Adjust("Income:Rent", Decimal(-100), date(2026, 7, 1), date(2026, 8, 31)),
    )
    vacant = build_forecast(rental, OPERATOR, "Flat", AS_OF, 13, combine([preset], "Vacant"))
    # no rent in July and August: 1,000 - 1,500 - 1,500 = -2,000 by Aug 15
    assert vacant.low_point == Decimal("-2000.00")
    assert vacant.weeks_below_zero > 0 and vacant.closing == Decimal("-1500.00")
    assert "2026-07-01 to 2026-08-31" in preset.explain


def test_one_off_cost_and_revenue_change(rental: LedgerStore) -> None:
    cost = one_off_cost(date(2026, 7, 2), 800, "Boiler")
    assert cost.one_offs == (OneOff(date(2026, 7, 2), Decimal("-800.00"), "Boiler"),)
    up = revenue_change("Income:Rent", 10)
    assert up.adjusts == (Adjust("Income:Rent", Decimal(10)),)
    both = build_forecast(rental, OPERATOR, "Flat", AS_OF, 13, combine([cost, up]))
    # week 1: 1,000 + 2,200 - 800; every rent is 2,200
    assert both.weeks[0].closing == Decimal("2400.00")
    assert both.closing == Decimal("1000.00") + 3 * Decimal("2200.00") - 3 * 1500 - 800
    assert revenue_change("Income:Rent", 0).adjusts == ()  # no change, no adjust
    with pytest.raises(Invalid):
        one_off_cost(date(2026, 7, 2), 0)
    with pytest.raises(Invalid):
        revenue_change("Income:Rent", -150)
    with pytest.raises(Invalid):
        rental_vacant(0, start=date(2026, 7, 1))


def test_lose_charter_weekends_cuts_the_month_by_the_weekend_share(store: LedgerStore) -> None:
    store.add_entity(id="Boat", name="Boat")
    store.post(
        [  # Sat 2026-06-06: 1,000; Wed 2026-06-10: 3,000 -> a quarter on weekends
            entry("Boat", date(2026, 6, 6), "trip", (BANK, 1000), ("Income:Charters", -1000)),
            entry("Boat", date(2026, 6, 10), "trip", (BANK, 3000), ("Income:Charters", -3000)),
            entry(  # intercompany on a Sunday: not a guest's charter, left out
                "Boat",
                date(2026, 6, 7),
                "ic",
                (BANK, 5000),
                ("Income:Charters", -5000),
                intercompany=True,
                counterparty="X",
            ),
        ]
    )
    assert weekend_share(store, ["Boat"], date(2025, 7, 1), AS_OF) == Decimal("0.25")
    preset = lose_charter_weekends(store, ["Boat"], 202608, as_of=AS_OF)
    assert preset.adjusts == (
        Adjust("Income:Charters", Decimal("-25.0"), date(2026, 8, 1), date(2026, 8, 31)),
    )
    assert "weekends in the last 12 months" in preset.explain


def test_lose_charter_weekends_without_history_uses_the_weekend_days(store: LedgerStore) -> None:
    store.add_entity(id="Boat", name="Boat")
    preset = lose_charter_weekends(store, ["Boat"], 202608, as_of=AS_OF)
    # August 2026 has 10 Saturdays and Sundays of 31 days
    assert preset.adjusts[0].pct == Decimal("-32.3")
    assert "no charter income" in preset.explain


def test_months_after_clamps_to_the_month() -> None:
    assert months_after(date(2026, 12, 1), 3) == date(2027, 2, 28)
    assert months_after(date(2026, 7, 15), 1) == date(2026, 8, 14)
