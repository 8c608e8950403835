"""Owner-edited targets: saved, cleared, validated first, refused to others; statuses follow."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from core.demo import seed_demo
from core.errors import Forbidden, Invalid
from core.ledger.store import LedgerStore, ledger_revision
from core.reports.cfo import build_cfo
from core.reports.scope import resolve_scope
from core.reports.targets import save_targets

TZ = ZoneInfo("America/Los_Angeles")


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
