"""The CFO report: contract ids and JSON shape, targets and status, scope checks."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.errors import Forbidden, NotFound
from core.ledger.models import Target
from core.ledger.store import LedgerStore
from core.reports.cfo import build_cfo
from core.reports.model import Direction, Report, kpi_status
from core.reports.scope import resolve_scope
from core.reports.text import render_text
from tests.conftest import BANK, entry

LA = ZoneInfo("America/Los_Angeles")
CONTRACT_IDS = {
    "revenue",
    "expenses",
    "net_income",
    "cash",
    "burn_rate",
    "runway_months",
    "break_even_revenue",
}
KPI_FIELDS = {
    "id",
    "label",
    "value",
    "unit",
    "target",
    "direction",
    "status",
    "delta_mom",
    "delta_yoy",
    "pace",  # an addition to CONTRACT section 4: null unless the month is under way
}


@pytest.fixture
def two_entities(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    rows = [
        entry("A", date(2025, 4, 1), "open", (BANK, 1000), ("Equity:Opening", -1000)),
        entry("A", date(2025, 5, 3), "sale", (BANK, 300), ("Income:Sales", -300)),
        entry("A", date(2026, 4, 3), "sale", (BANK, 700), ("Income:Sales", -700)),
        entry("A", date(2026, 5, 3), "sale", (BANK, 1000), ("Income:Sales", -1000)),
        entry("A", date(2026, 5, 4), "rent", ("Expenses:Rent", 400), (BANK, -400)),
        entry("B", date(2026, 5, 6), "sale", (BANK, 50), ("Income:Sales", -50)),
    ]
    store.post(rows)
    store.set_targets([Target(entity_id="A", kpi_id="revenue", month=202605, value=1200.0)])
    return store


def build(
    store: LedgerStore, entity: str, period: int = 202605, allowed: set[str] | None = None
) -> Report:
    scope = resolve_scope(store, entity=entity, period=period, allowed=allowed)
    return build_cfo(store, scope, tz=LA, now=datetime(2026, 6, 2, 9, 30, tzinfo=LA))


def test_json_has_the_contract_shape(two_entities: LedgerStore) -> None:
    data = json.loads(json.dumps(build(two_entities, "all").to_dict()))
    assert {"report", "entity", "period", "as_of", "timezone", "sections", "kpis"} <= set(data)
    assert (data["report"], data["entity"], data["period"]) == ("cfo", "all", "2026-05")
    assert data["timezone"] == "America/Los_Angeles"
    assert data["as_of"] == "2026-06-02T09:30:00-07:00"
    assert {k["id"] for k in data["kpis"]} >= CONTRACT_IDS
    for k in data["kpis"]:
        assert set(k) == KPI_FIELDS
        assert k["status"] in {"good", "watch", "bad", "none"}
        assert k["direction"] in {"up", "down"}
    kinds = {item["type"] for s in data["sections"] for item in s["items"]}
    assert {"kpis", "chart", "table", "finding"} <= kinds


def test_values_deltas_target_and_status(two_entities: LedgerStore) -> None:
    r = build(two_entities, "A")
    rev = r.kpi("revenue")
    assert rev.value == 1000.0
    assert rev.delta_mom == 300.0  # April 700
    assert rev.delta_yoy == 700.0  # May 2025 300
    assert (rev.target, rev.status) == (1200.0, "bad")  # 1,000 is more than 10% under 1,200
    assert r.kpi("net_income").value == 600.0
    assert r.kpi("cash").value == 2600.0
    assert r.kpi("expenses").status == "none"  # no target set


def test_consolidated_sums_entities(two_entities: LedgerStore) -> None:
    r = build(two_entities, "all")
    assert r.kpi("revenue").value == 1050.0
    assert r.entity_name == "All entities (consolidated)"


@pytest.mark.parametrize(
    ("value", "target", "direction", "status"),
    [
        (100, 100, "up", "good"),
        (95, 100, "up", "watch"),
        (89, 100, "up", "bad"),
        (100, 100, "down", "good"),
        (105, 100, "down", "watch"),
        (111, 100, "down", "bad"),
        (5, None, "up", "none"),
        (None, 5, "up", "none"),
    ],
)
def test_status_rule(
    value: float | None, target: float | None, direction: Direction, status: str
) -> None:
    assert kpi_status(value, target, direction) == status


def test_scope_is_enforced(two_entities: LedgerStore) -> None:
    with pytest.raises(Forbidden):
        build(two_entities, "B", allowed={"A"})
    with pytest.raises(NotFound):
        build(two_entities, "Z")
    mine = build(two_entities, "all", allowed={"A"})
    assert mine.entity_name == "All my entities (consolidated)"
    assert mine.kpi("revenue").value == 1000.0  # B's 50 never reaches this reader
    # a part of the portfolio has no target of its own: its entities' summed (A's alone)
    assert mine.kpi("revenue").target == 1200.0
    names = [
        row["entity"]
        for s in mine.sections
        for i in s.items
        if i.type == "table" and i.id == "entities"
        for row in i.rows
    ]
    assert names == ["Alpha"]


def test_text_rendering_names_the_numbers(two_entities: LedgerStore) -> None:
    text = render_text(build(two_entities, "A"))
    assert "CFO report: Alpha, May 2026" in text
    assert "$1,000" in text and "target $1,200" in text and "[off target]" in text
    assert "Income:Sales" in text
