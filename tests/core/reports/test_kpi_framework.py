"""The CEO's KPI framework: each persona's KPIs computed alone equal its report's, and a CEO
build reads the rollup, the targets and the categorization queue once each."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.demo import seed_demo
from core.ledger.store import LedgerStore
from core.reports import reads as reads_module
from core.reports.ceo import build_ceo
from core.reports.kpi_framework import PERSONA_KPIS
from core.reports.model import KPI
from core.reports.reads import Reads
from core.reports.registry import BUILDERS
from core.reports.scope import resolve_scope

TZ = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 20, 9, tzinfo=TZ)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> LedgerStore:
    store = LedgerStore(f"sqlite:///{tmp_path_factory.mktemp('framework')}/ledger.db")
    store.create_all()
    seed_demo(store, months=15, today=NOW.date())
    return store


@pytest.mark.parametrize("entity", ["all", "JADA", "DangerousCentaur"])
@pytest.mark.parametrize("period", [202611, 202610, 202601])
def test_each_persona_kpis_equal_its_report(demo: LedgerStore, entity: str, period: int) -> None:
    scope = resolve_scope(demo, entity=entity, period=period)
    reads = Reads(demo, scope, tz=TZ, now=NOW)
    for name, kpis in PERSONA_KPIS.items():
        own = BUILDERS[name](demo, scope, tz=TZ, now=NOW).kpis
        if name in HEADLINE_ONLY:  # what the framework shows: no deltas
            assert [_headline(k) for k in kpis(reads)] == [_headline(k) for k in own], name
        else:
            assert kpis(reads) == own, name


HEADLINE_ONLY = {"cto", "cmo"}  # read the period's records only (the framework shows no deltas)


def _headline(k: KPI) -> tuple[object, ...]:
    """What the framework table shows of a KPI."""
    return (k.id, k.label, k.value, k.unit, k.target, k.direction, k.status)


def test_the_framework_reads_the_cto_and_cmo_period_only(demo: LedgerStore) -> None:
    from core.marketing.records import MarketingRecords
    from core.tech.records import load_months

    scope = resolve_scope(demo, entity="all", period=202610)
    tech = load_months(demo, scope.entity_ids, [202610], tz=TZ, today=NOW.date())
    assert tech.shipped and tech.deploys and {c.month for c in tech.usage} == {202610}
    assert {d.deployed_at.astimezone(TZ).strftime("%Y%m") for d in tech.deploys} == {"202610"}
    marketing = MarketingRecords.load(demo, scope.entity_ids, months=[202610])
    assert marketing.campaigns and {c.month for c in marketing.campaigns} == {202610}
    assert {t.month for t in marketing.totals} == {202610}


def test_a_partial_consolidation_sums_its_entities_targets(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="all", period=202610, allowed={"JADA", "QuickDumpNow"})
    reads = Reads(demo, scope, tz=TZ, now=NOW)
    own = demo.targets("JADA"), demo.targets("QuickDumpNow")
    assert reads.target("revenue") == sum(t[("revenue", 202610)] for t in own)
    assert reads.target("runway_months") is None  # months do not add up
    for name, kpis in PERSONA_KPIS.items():
        own = BUILDERS[name](demo, scope, tz=TZ, now=NOW).kpis
        if name in HEADLINE_ONLY:
            assert [_headline(k) for k in kpis(reads)] == [_headline(k) for k in own], name
        else:
            assert kpis(reads) == own, name


def test_ceo_reads_rollup_targets_and_queue_once(
    demo: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()
    for method in ("monthly_rows", "uncategorized_lines", "list_entities"):
        real = getattr(LedgerStore, method)

        def counted(self: LedgerStore, *a: object, _real=real, _name=method, **k: object):  # type: ignore[no-untyped-def]
            calls[_name] += 1
            return _real(self, *a, **k)

        monkeypatch.setattr(LedgerStore, method, counted)
    real_targets = reads_module.scope_targets

    def counted_targets(*a: object, **k: object) -> object:
        calls["targets"] += 1
        return real_targets(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(reads_module, "scope_targets", counted_targets)
    scope = resolve_scope(demo, entity="all", period=202610)
    calls.clear()
    build_ceo(demo, scope, tz=TZ, now=NOW)
    assert calls["monthly_rows"] == 1
    assert calls["targets"] == 1  # the scope's targets, shared by every persona's KPIs
    assert calls["uncategorized_lines"] == 3  # the period, the month before, a year ago
    assert calls["list_entities"] <= 2  # the names, and the CMO's entity kinds


def test_the_cto_kpis_alone_read_only_the_compared_months(demo: LedgerStore) -> None:
    from core.tech.records import load, load_compared

    scope = resolve_scope(demo, entity="all", period=202610)
    full = load(demo, scope.entity_ids, scope.period, tz=TZ, today=date(2026, 11, 20))
    few = load_compared(demo, scope.entity_ids, scope.period, tz=TZ, today=date(2026, 11, 20))
    assert {c.month for c in few.usage} <= {202610, 202609, 202510}
    # shipped commits count only in the compared months' KPIs: the full read has just those
    assert few.commits == [] and sorted(few.shipped) == sorted(full.shipped)
    assert {c.deployed_at.astimezone(TZ).strftime("%Y%m") for c in few.shipped} <= {
        "202610",
        "202609",
        "202510",
    }
    assert set(few.deploys) <= set(full.deploys) and len(few.deploys) < len(full.deploys)


def test_the_cmo_kpis_alone_read_only_the_compared_months(demo: LedgerStore) -> None:
    from core.marketing.records import MarketingRecords

    scope = resolve_scope(demo, entity="all", period=202610)
    full = MarketingRecords.load(demo, scope.entity_ids)
    few = MarketingRecords.load(demo, scope.entity_ids, months=[202610, 202609, 202510])
    assert {t.month for t in few.totals} == {202610, 202609, 202510}
    assert set(few.totals) == {t for t in full.totals if t.month in (202610, 202609, 202510)}
