"""Drill-down: the lines behind each money KPI sum to it exactly, within the scope only."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from core.demo import seed_demo
from core.errors import Invalid
from core.ledger.store import LedgerStore
from core.reports.accounting import build_accounting
from core.reports.cfo import build_cfo
from core.reports.drilldown import DRILLS, drill_down
from core.reports.registry import BUILDERS
from core.reports.scope import resolve_scope

TZ = ZoneInfo("America/Los_Angeles")
TODAY = date(2026, 11, 20)


@pytest.fixture
def demo(store: LedgerStore) -> LedgerStore:
    seed_demo(store, months=15, today=TODAY)
    return store


@pytest.mark.parametrize(
    "entity",
    ["all", "QueenofSanDiego", "JADA", "51st-St", "DangerousCentaur", "ExpertYachtDelivery"],
)
@pytest.mark.parametrize("period", [202610, 202611])
def test_lines_sum_to_every_drillable_kpi(demo: LedgerStore, entity: str, period: int) -> None:
    scope = resolve_scope(demo, entity=entity, period=period)
    kpis = {k.id: k for k in build_cfo(demo, scope, tz=TZ).kpis}
    kpis.update({k.id: k for k in build_accounting(demo, scope, tz=TZ).kpis})
    for builder in BUILDERS.values():  # the audits' money KPIs too
        found = {k.id: k for k in builder(demo, scope, tz=TZ).kpis if k.id in DRILLS}
        kpis.update({kid: k for kid, k in found.items() if k.value is not None and kid not in kpis})
    for kpi_id in DRILLS:
        if kpi_id not in kpis:  # an audit KPI of an entity without such records
            continue
        d = drill_down(demo, scope, kpi_id, limit=10_000)
        assert d.value == pytest.approx(kpis[kpi_id].value, abs=0.005), kpi_id
        assert len(d.lines) == d.count  # nothing cut at this size
        shown = sum(line.cents for line in d.lines) / 100
        assert shown == pytest.approx(d.lines_sum, abs=0.005)
        in_kpi_sense = sum(d.amount(line) for line in d.lines) / d.divisor
        if kpi_id != "burn_rate" or in_kpi_sense > 0:  # no burn is 0, not negative
            assert in_kpi_sense == pytest.approx(kpis[kpi_id].value, abs=0.005), kpi_id


def test_consolidated_drill_leaves_out_intercompany(demo: LedgerStore) -> None:
    per_entity = drill_down(demo, resolve_scope(demo, entity="JADA", period=202610), "revenue")
    assert per_entity.value > 0  # JADA's only income is the lease from the charter company
    scope = resolve_scope(demo, entity="all", period=202610)
    everything = drill_down(demo, scope, "revenue", limit=100_000)
    assert all(
        line.entity_id != "JADA" or "lease" not in line.description.lower()
        for line in everything.lines
    )


def test_scoped_drill_never_returns_another_entity(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="QuickDumpNow", period=202610, allowed={"QuickDumpNow"})
    for kpi_id in DRILLS:
        d = drill_down(demo, scope, kpi_id, limit=100_000)
        assert {line.entity_id for line in d.lines} <= {"QuickDumpNow"}
    partial = resolve_scope(demo, entity="all", period=202610, allowed={"QuickDumpNow", "JADA"})
    d = drill_down(demo, partial, "expenses", limit=100_000)
    assert {line.entity_id for line in d.lines} == {"QuickDumpNow", "JADA"}


def test_limit_keeps_the_total_exact(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="all", period=202610)
    full = drill_down(demo, scope, "cash", limit=100_000)
    cut = drill_down(demo, scope, "cash", limit=5)
    assert len(cut.lines) == 5 and cut.count == full.count > 5
    assert cut.value == full.value


def test_a_formula_kpi_has_no_drill(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="all", period=202610)
    with pytest.raises(Invalid):
        drill_down(demo, scope, "runway_months")
