"""Scenarios: --adjust and --one-off texts, and named scenarios saved per entity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.forecast.build import build_forecast
from core.forecast.model import Adjust, OneOff, Scenario
from core.forecast.scenarios import (
    add_scenario,
    list_scenarios,
    parse_scenario,
    remove_scenario,
    scenarios_named,
)
from core.ledger.store import LedgerStore
from tests.core.forecast.hand_ledger import ACME, AS_OF, CLOSINGS, WEEKS, seed


def test_texts_parse_and_every_bad_one_is_listed() -> None:
    s = parse_scenario(["Income:Charters=-25%", "Expenses=10"], ["2026-12-15=-18,000=Engine"])
    assert s.adjusts == (
        Adjust("Income:Charters", Decimal("-25")),
        Adjust("Expenses", Decimal("10")),
    )
    assert s.one_offs == (OneOff(date(2026, 12, 15), Decimal("-18000.00"), "Engine"),)
    with pytest.raises(Invalid) as err:
        parse_scenario(
            ["Charters=-25%", "Income:X=-150%", "Income:X"], ["2026-02-30=5", "2026-01-01"]
        )
    assert len(err.value.problems) == 5, err.value.problems


def test_saved_per_entity_listed_applied_and_removed(store: LedgerStore) -> None:
    seed(store)
    slow = Scenario("Slow winter", (Adjust("Income:Charters", Decimal("-50")),))
    add_scenario(store, OPERATOR, entity_id=ACME, scenario=slow)
    with pytest.raises(Conflict):
        add_scenario(store, OPERATOR, entity_id=ACME, scenario=slow)
    engine = Scenario("Slow winter", one_offs=(OneOff(date(2026, 2, 3), Decimal("-100")),))
    add_scenario(store, OPERATOR, entity_id="Other", scenario=engine)
    assert [(r.entity_id, r.scenario) for r in list_scenarios(store, OPERATOR)] == [
        (ACME, slow),
        ("Other", engine),
    ]
    # "all" applies each entity's own scenario of that name to that entity's items only
    by_entity = scenarios_named(store, OPERATOR, (ACME, "Other"), "Slow winter")
    f = build_forecast(store, OPERATOR, "all", AS_OF, WEEKS, by_entity=by_entity)
    assert f.weeks[0].closing == Decimal(CLOSINGS[0]) - 100 - 100  # charters -100, one-off -100
    assert [i.entity_id for i in f.items if i.source == "one-off"] == ["Other"]
    remove_scenario(store, OPERATOR, ACME, "Slow winter")
    with pytest.raises(NotFound):
        remove_scenario(store, OPERATOR, ACME, "Slow winter")
    with pytest.raises(NotFound):
        scenarios_named(store, OPERATOR, (ACME,), "Slow winter")


def test_bad_or_forbidden_saves_write_nothing(store: LedgerStore) -> None:
    seed(store)
    with pytest.raises(Invalid) as err:
        add_scenario(store, OPERATOR, entity_id=ACME, scenario=Scenario(" "))
    assert len(err.value.problems) == 2  # no name, changes nothing
    ceo_other = UserScope(email="c@x", name="C", role="ceo", entities=frozenset({"Other"}))
    with pytest.raises(Forbidden):
        add_scenario(
            store,
            ceo_other,
            entity_id=ACME,
            scenario=Scenario("x", one_offs=(OneOff(AS_OF, Decimal(1)),)),
        )
    assert list_scenarios(store, OPERATOR) == []
