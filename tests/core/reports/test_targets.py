"""Owner-edited targets: saved, cleared, validated first, refused to others; statuses follow."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.demo import seed_demo
from core.errors import Forbidden, Invalid
from core.ledger.models import Target
from core.ledger.store import LedgerStore, ledger_revision
from core.periods import month_range
from core.reports.ceo import build_ceo
from core.reports.cfo import build_cfo
from core.reports.forecast import KPI_IDS as FORECAST_KPIS
from core.reports.forecast import build_forecast_report
from core.reports.reads import TargetMonths, scope_targets
from core.reports.registry import BUILDERS
from core.reports.scope import resolve_scope
from core.reports.targets import ADDITIVE, DERIVED, save_targets, takes_target
from tests.conftest import BANK, entry

TZ = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 20, 12, tzinfo=TZ)


@pytest.fixture
def demo(store: LedgerStore) -> LedgerStore:
    seed_demo(store, months=15, today=date(2026, 11, 20))
    return store


def test_owner_sets_a_target_and_the_status_follows(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="QuickDumpNow", period=202610)
    before = build_cfo(demo, scope, tz=TZ)
    revenue = before.kpi("revenue").value or 0
    rev0 = ledger_revision(demo)
    save_targets(demo, role="owner", scope=scope, report=before, values={"revenue": revenue * 2})
    assert ledger_revision(demo) != rev0  # caches keyed on the revision see the change
    after = build_cfo(demo, scope, tz=TZ)
    assert after.kpi("revenue").target == revenue * 2
    assert after.kpi("revenue").status == "bad"
    save_targets(demo, role="owner", scope=scope, report=after, values={"revenue": revenue})
    assert build_cfo(demo, scope, tz=TZ).kpi("revenue").status == "good"


def test_rest_of_year_and_clearing(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="all", period=202610)
    report = build_cfo(demo, scope, tz=TZ)
    written = save_targets(
        demo, role="owner", scope=scope, report=report, values={"cash": 50_000.0}, rest_of_year=True
    )
    assert written == 3  # October, November, December
    assert demo.targets("all")[("cash", 202612)] == 50_000.0
    save_targets(demo, role="owner", scope=scope, report=report, values={"cash": None})
    assert ("cash", 202610) not in demo.targets("all")
    assert ("cash", 202611) in demo.targets("all")  # only the period was cleared


@pytest.mark.parametrize("role", ["ceo", "cfo", "accountant", "cto", "cmo"])
def test_only_the_owner_edits_targets(demo: LedgerStore, role: str) -> None:
    scope = resolve_scope(demo, entity="all", period=202610)
    report = build_cfo(demo, scope, tz=TZ)
    with pytest.raises(Forbidden):
        save_targets(demo, role=role, scope=scope, report=report, values={"revenue": 1.0})


def test_bad_values_write_nothing(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="all", period=202610)
    report = build_cfo(demo, scope, tz=TZ)
    before = demo.targets("all")
    with pytest.raises(Invalid) as err:
        save_targets(
            demo,
            role="owner",
            scope=scope,
            report=report,
            values={"revenue": 10.0, "cash": float("nan"), "made_up": 3.0},
        )
    assert len(err.value.problems) == 2
    assert demo.targets("all") == before


def test_partial_selection_has_no_targets(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="all", period=202610, allowed={"JADA", "QuickDumpNow"})
    report = build_cfo(demo, scope, tz=TZ)
    with pytest.raises(Invalid):
        save_targets(demo, role="owner", scope=scope, report=report, values={"revenue": 1.0})


def test_ytd_sums_flows(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="all", period=202610)
    report = build_cfo(demo, scope, tz=TZ)
    monthly = [
        build_cfo(demo, resolve_scope(demo, entity="all", period=m), tz=TZ).kpi("revenue").value
        for m in range(202601, 202611)
    ]
    assert report.ytd["revenue"].value == pytest.approx(sum(monthly), abs=0.01)
    assert "cash" not in report.ytd  # a balance is compared at the period end instead


@pytest.fixture
def pair(store: LedgerStore) -> LedgerStore:
    """Two businesses earning 1,000 and 3,000 a month through 2026, no portfolio targets."""
    for eid in ("A", "B"):
        store.add_entity(id=eid, name=eid)
    store.post(
        [
            entry(eid, date(2026, month, 10), "sale", (BANK, cents), ("Income:Sales", -cents))
            for month in range(1, 12)
            for eid, cents in (("A", 1000), ("B", 3000))
        ]
    )
    return store


def _target(store: LedgerStore, key: str, kpi: str, month: int, value: float) -> None:
    store.set_targets([Target(entity_id=key, kpi_id=kpi, month=month, value=value)])


def test_a_portfolio_target_is_the_sum_of_its_entities(pair: LedgerStore) -> None:
    for month in range(202601, 202611):
        _target(pair, "A", "revenue", month, 1100.0)
        _target(pair, "B", "revenue", month, 2800.0)
    _target(pair, "A", "cash", 202610, 5000.0)  # B has none: no sum
    _target(pair, "A", "runway_months", 202610, 12.0)  # months do not add up
    _target(pair, "B", "runway_months", 202610, 12.0)
    scope = resolve_scope(pair, entity="all", period=202610)
    targets = scope_targets(pair, scope)
    assert targets[("revenue", 202610)] == 3900.0
    assert ("cash", 202610) not in targets
    assert ("runway_months", 202610) not in targets
    ceo = build_ceo(pair, scope, tz=TZ, now=NOW)
    assert ceo.kpi("revenue").target == 3900.0
    assert ceo.kpi("revenue_gap").value == 100.0  # 'Revenue vs target -' before
    gaps = next(i for s in ceo.sections for i in s.items if getattr(i, "id", "") == "revenue_gaps")
    assert gaps.rows[-1]["target"] == 3900.0  # the portfolio row of the table too
    # the portfolio's own target, once saved, wins over the sum
    _target(pair, "all", "revenue", 202610, 4500.0)
    assert build_ceo(pair, scope, tz=TZ, now=NOW).kpi("revenue").target == 4500.0
    # a reader of A and B only, once there is a C, sees their sum (no target of its own)
    pair.add_entity(id="C", name="C")
    mine = resolve_scope(pair, entity="all", period=202610, allowed={"A", "B"})
    assert mine.target_key is None
    assert scope_targets(pair, mine)[("revenue", 202610)] == 3900.0


def test_ytd_status_follows_the_ytd_comparison(pair: LedgerStore) -> None:
    """October misses its target while the year to date beats its own: the YTD badge says so."""
    for month in range(202601, 202610):
        _target(pair, "A", "revenue", month, 900.0)
    _target(pair, "A", "revenue", 202610, 1050.0)
    scope = resolve_scope(pair, entity="A", period=202610)
    ceo = build_ceo(pair, scope, tz=TZ, now=NOW)
    assert ceo.kpi("revenue").status == "watch"  # 1,000 vs 1,050
    ytd = ceo.ytd["revenue"]
    assert (ytd.value, ytd.target, ytd.status) == (10_000.0, 9_150.0, "good")
    assert ceo.ytd["revenue_gap"].value == 850.0
    assert ceo.ytd["revenue_gap"].status == "good"  # coloured as revenue's YTD
    cfo = build_cfo(pair, scope, tz=TZ, now=NOW)
    assert cfo.ytd["revenue"].status == "good"
    assert cfo.ytd["expenses"].target is None and cfo.ytd["expenses"].status == "none"


def test_ytd_target_needs_every_month(pair: LedgerStore) -> None:
    _target(pair, "A", "revenue", 202610, 900.0)
    ytd = build_cfo(pair, resolve_scope(pair, entity="A", period=202610), tz=TZ, now=NOW).ytd
    assert ytd["revenue"].target is None and ytd["revenue"].status == "none"


def test_no_burn_meets_a_runway_target(pair: LedgerStore) -> None:
    """Cash only grows, so there is no runway figure: the runway target is met, not absent."""
    _target(pair, "A", "runway_months", 202610, 12.0)
    runway = build_cfo(pair, resolve_scope(pair, entity="A", period=202610), tz=TZ, now=NOW).kpi(
        "runway_months"
    )
    assert (runway.value, runway.target, runway.status) == (None, 12.0, "good")


@pytest.mark.parametrize("kpi_id", sorted(DERIVED))
def test_derived_kpis_take_no_target(demo: LedgerStore, kpi_id: str) -> None:
    scope = resolve_scope(demo, entity="all", period=202610)
    if kpi_id in FORECAST_KPIS:
        report = build_forecast_report(demo, scope, tz=TZ)
    elif kpi_id == "revenue_gap":
        report = build_ceo(demo, scope, tz=TZ)
    else:
        report = build_cfo(demo, scope, tz=TZ)
    assert kpi_id in {k.id for k in report.kpis}
    with pytest.raises(Invalid) as err:
        save_targets(demo, role="owner", scope=scope, report=report, values={kpi_id: 1.0})
    assert "computed from other figures" in err.value.problems[0]
    assert not takes_target(kpi_id)


def test_every_kpi_is_classed_additive_or_not(demo: LedgerStore) -> None:
    """A new KPI must say whether a portfolio target may sum its entities' (ratios may not)."""
    scope = resolve_scope(demo, entity="all", period=202610)
    for name, builder in BUILDERS.items():
        for k in builder(demo, scope, tz=TZ).kpis:
            rate = k.id in ("deploys_per_week", "lead_time_hours")  # plain numbers, not sums
            if k.unit in ("percent", "months") or "/" in k.unit or rate:
                assert k.id not in ADDITIVE, (name, k.id)
            elif k.id not in DERIVED:
                assert k.id in ADDITIVE, (name, k.id, k.unit)


def test_a_ytd_target_counts_a_month_under_way_pro_rated() -> None:
    """Day 15 of 30 in June: January..May's targets in full and half of June's, so a year on
    pace is judged on pace, not against a whole June not yet lived."""
    from core.reports.model import YtdValue
    from core.reports.targets import ytd_with_targets

    targets = {("revenue", m): 100.0 for m in range(202601, 202607)}
    ytd = {"revenue": YtdValue(value=560.0, previous=None, delta=None)}
    whole = ytd_with_targets(ytd, {"revenue": "up"}, targets, 202606)
    paced = ytd_with_targets(ytd, {"revenue": "up"}, targets, 202606, today=date(2026, 6, 15))
    assert (whole["revenue"].target, whole["revenue"].status) == (600.0, "watch")
    assert (paced["revenue"].target, paced["revenue"].status) == (550.0, "good")
    closed = ytd_with_targets(ytd, {"revenue": "up"}, targets, 202606, today=date(2026, 7, 2))
    assert closed["revenue"].target == 600.0  # June is over: its whole target


@pytest.mark.parametrize("entity", ["all", "A"])
def test_a_reports_targets_are_those_of_every_month_it_reads(
    pair: LedgerStore, entity: str
) -> None:
    for month in month_range(202501, 202610):
        _target(pair, "A", "revenue", month, 1100.0 + month % 100)
        _target(pair, "B", "revenue", month, 2800.0)
        _target(pair, "A", "expenses", month, 700.0)
        _target(pair, "B", "expenses", month, 600.0)
    _target(pair, "all", "revenue", 202609, 4500.0)
    scope = resolve_scope(pair, entity=entity, period=202610)
    every = scope_targets(pair, scope)
    some = scope_targets(pair, scope, months=TargetMonths(202601, 202610, ("revenue",)))
    # the flows' of the months, every other KPI's of the last month alone
    assert some == {
        (kpi, month): value
        for (kpi, month), value in every.items()
        if 202601 <= month <= 202610 and (kpi == "revenue" or month == 202610)
    }
    assert len(some) == 11 and len(every) == 44
