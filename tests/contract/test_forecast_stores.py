"""The forecast's stores and reads on every ledger backend (SQLite and a real PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.auth.dashboard_users import OPERATOR
from core.errors import Conflict, NotFound
from core.forecast.build import build_forecast
from core.forecast.model import Adjust, OneOff, Scenario
from core.forecast.recurring import add_recurring, list_recurring, remove_recurring
from core.forecast.scenarios import add_scenario, list_scenarios, remove_scenario
from core.forecast.suggest import suggest_recurring
from core.ledger.store import LedgerStore
from tests.core.forecast.hand_ledger import ACME, AS_OF, CLOSINGS, WEEKS, seed


def test_the_hand_ledger_forecast_is_the_same(ledger: LedgerStore) -> None:
    seed(ledger)
    f = build_forecast(ledger, OPERATOR, ACME, AS_OF, WEEKS)
    assert f.opening == Decimal("10900.00")
    assert [str(w.closing) for w in f.weeks] == CLOSINGS
    assert build_forecast(ledger, OPERATOR, "all", AS_OF, WEEKS).closing == f.closing


def test_recurring_items_round_trip(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="A")
    item = add_recurring(
        ledger,
        OPERATOR,
        entity_id="A",
        name="Loan",
        account="Liabilities:Loan",
        amount="-1234.56",
        every="week",
        weekday="FRI",
        starts="2026-01-02",
        ends="2026-06-26",
        intercompany=True,
    )
    assert list_recurring(ledger, OPERATOR, "A") == [item]
    assert (item.amount, item.weekday, item.ends, item.intercompany) == (
        Decimal("-1234.56"),
        4,
        date(2026, 6, 26),
        True,
    )
    remove_recurring(ledger, OPERATOR, item.id or 0)
    assert list_recurring(ledger, OPERATOR) == []
    ledger.delete_entities(["A"])  # an entity's items go with it (no foreign key left behind)


def test_scenarios_round_trip_and_one_name_per_entity(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="A")
    scenario = Scenario(
        "Vacant",
        (Adjust("Income:Rent", Decimal("-100"), date(2026, 3, 1), date(2026, 5, 31)),),
        (OneOff(date(2026, 4, 1), Decimal("-2500.50"), "Repaint"),),
    )
    add_scenario(ledger, OPERATOR, entity_id="A", scenario=scenario)
    with pytest.raises(Conflict):
        add_scenario(ledger, OPERATOR, entity_id="A", scenario=scenario)
    half = Scenario("Vacant", (Adjust("Income:Rent", Decimal("-50")),))
    add_scenario(ledger, OPERATOR, entity_id="A", scenario=half, replace=True)
    assert [s.scenario for s in list_scenarios(ledger, OPERATOR, "A")] == [half]
    remove_scenario(ledger, OPERATOR, "A", "Vacant")
    with pytest.raises(NotFound):
        remove_scenario(ledger, OPERATOR, "A", "Vacant")
    add_scenario(ledger, OPERATOR, entity_id="A", scenario=scenario)
    assert [s.scenario for s in list_scenarios(ledger, OPERATOR)] == [scenario]
    ledger.delete_entities(["A"])
    assert list_scenarios(ledger, OPERATOR) == []


def test_suggestions_read_the_same(ledger: LedgerStore) -> None:
    seed(ledger)
    # payroll is declared, fuel varies: nothing steady is left undeclared
    assert suggest_recurring(ledger, OPERATOR, ACME, AS_OF) == []
