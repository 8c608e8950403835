"""Break-even trips by season on a small hand ledger."""

from __future__ import annotations

from datetime import date

import pytest

from core.auth.dashboard_users import OPERATOR
from core.forecast.breakeven import break_even_trips, season_of, window_end
from core.ledger.store import LedgerStore
from core.reports.request import ReportRequest
from tests.conftest import entry

BANK = "Assets:Bank:Checking"
VARIABLE = {"Expenses:Crew": "variable"}


def trip(day: date, price: float, crew: float) -> list:
    return [
        entry("Boat", day, "charter", (BANK, price), ("Income:Charters", -price)),
        entry("Boat", day, "crew", ("Expenses:Crew", crew), (BANK, -crew), cost_behaviors=VARIABLE),
    ]


@pytest.fixture
def boat(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="Boat", name="Boat Co")
    store.add_entity(id="Soft", name="Soft Co")
    store.post(
        [
            # summer (Jul-Sep 2025, Jun 2026): 4 trips, 4,600 revenue, 1,000 crew, 7,200 fixed
            *trip(date(2025, 7, 4), 1600, 400),
            *trip(date(2026, 6, 5), 1000, 200),
            *trip(date(2026, 6, 12), 1000, 200),
            *trip(date(2026, 6, 19), 1000, 200),
            entry("Boat", date(2025, 8, 1), "slip", ("Expenses:Moorage", 3200), (BANK, -3200)),
            entry("Boat", date(2026, 6, 1), "slip", ("Expenses:Moorage", 4000), (BANK, -4000)),
            # winter (Nov-Mar): 1 trip of 500 with 100 crew; 1,000 insurance (no behavior: fixed)
            *trip(date(2026, 1, 10), 500, 100),
            entry(
                "Boat", date(2026, 2, 1), "insurance", ("Expenses:Insurance", 1000), (BANK, -1000)
            ),
            # not trips: a deposit, an intercompany charter, trips outside the window
            entry("Boat", date(2026, 5, 2), "deposit", (BANK, 300), ("Liabilities:Deferred", -300)),
            entry(
                "Boat",
                date(2026, 5, 3),
                "lease",
                (BANK, 700),
                ("Income:Charters", -700),
                intercompany=True,
                counterparty="Soft",
            ),
            *trip(date(2025, 6, 30), 9000, 10),
            *trip(date(2026, 7, 1), 9000, 10),
            entry("Soft", date(2026, 6, 1), "client", (BANK, 900), ("Income:Consulting", -900)),
        ]
    )
    return store


def test_break_even_trips_by_season_from_the_last_12_months(boat: LedgerStore) -> None:
    request = ReportRequest(reader=OPERATOR, report="cfo", entity="all", period=202607)
    [charter] = break_even_trips(boat, request, today=date(2026, 7, 15))
    assert (charter.entity_id, charter.first, charter.last) == ("Boat", 202507, 202606)
    seasons = {s.season: s for s in charter.seasons}
    summer = seasons["summer"]
    assert summer.months == (202507, 202508, 202509, 202606)
    assert (summer.trips, summer.revenue, summer.variable, summer.fixed) == (
        4,
        4600_00,
        1000_00,
        7200_00,
    )
    assert summer.revenue_per_trip == 1150_00 and summer.variable_per_trip == 250_00
    assert summer.fixed_per_month == 1800_00
    assert summer.break_even == 2.0 and summer.trips_needed == 2  # 1,800 / (1,150 - 250)
    assert summer.trips_per_month == 1.0
    winter = seasons["winter"]
    assert (len(winter.months), winter.trips) == (5, 1)
    assert winter.break_even == 0.5 and winter.trips_needed == 1  # (1,000 / 5) / (500 - 100)
    shoulder = seasons["shoulder"]  # the intercompany charter and the deposit are no trips
    assert (shoulder.trips, shoulder.revenue, shoulder.break_even) == (0, 0, None)
    assert charter.trips_by_month[202606] == 3 and sum(charter.trips_by_month.values()) == 5


def test_a_trip_that_covers_nothing_has_no_break_even(store: LedgerStore) -> None:
    store.add_entity(id="Boat", name="Boat Co")
    store.post(trip(date(2026, 6, 5), 100, 150))
    request = ReportRequest(reader=OPERATOR, report="cfo", entity="Boat", period=202606)
    [charter] = break_even_trips(store, request, today=date(2026, 8, 1))
    summer = next(s for s in charter.seasons if s.season == "summer")
    assert summer.margin_per_trip == -50_00 and summer.break_even is None


def test_no_charter_entity_no_rows(boat: LedgerStore) -> None:
    request = ReportRequest(reader=OPERATOR, report="cfo", entity="Soft", period=202606)
    assert break_even_trips(boat, request, today=date(2026, 7, 1)) == []


def test_seasons_and_the_window_end() -> None:
    assert [season_of(202600 + m) for m in (3, 4, 5, 6, 9, 10, 11)] == [
        "winter",
        "shoulder",
        "shoulder",
        "summer",
        "summer",
        "shoulder",
        "winter",
    ]
    assert window_end(202607, date(2026, 7, 15)) == 202606  # July is not over
    assert window_end(202603, date(2026, 7, 15)) == 202603
