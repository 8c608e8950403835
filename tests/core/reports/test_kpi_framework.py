"""The CEO's KPI framework: each persona's KPIs computed alone equal its report's, and a CEO
build reads the rollup, the targets and the categorization queue once each."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.demo import seed_demo
from core.ledger.store import LedgerStore
from core.reports.ceo import build_ceo
from core.reports.kpi_framework import PERSONA_KPIS
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
        assert kpis(reads) == BUILDERS[name](demo, scope, tz=TZ, now=NOW).kpis, name


def test_a_partial_consolidation_has_no_targets(demo: LedgerStore) -> None:
    scope = resolve_scope(demo, entity="all", period=202610, allowed={"JADA", "QuickDumpNow"})
    reads = Reads(demo, scope, tz=TZ, now=NOW)
    assert reads.targets == {} and reads.target("revenue") is None
    for name, kpis in PERSONA_KPIS.items():
        assert kpis(reads) == BUILDERS[name](demo, scope, tz=TZ, now=NOW).kpis, name


def test_ceo_reads_rollup_targets_and_queue_once(
    demo: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()
    for method in ("monthly_rows", "targets", "uncategorized_lines", "list_entities"):
        real = getattr(LedgerStore, method)

        def counted(self: LedgerStore, *a: object, _real=real, _name=method, **k: object):  # type: ignore[no-untyped-def]
            calls[_name] += 1
            return _real(self, *a, **k)

        monkeypatch.setattr(LedgerStore, method, counted)
    scope = resolve_scope(demo, entity="all", period=202610)
    calls.clear()
    build_ceo(demo, scope, tz=TZ, now=NOW)
    assert calls["monthly_rows"] == 1
    assert calls["targets"] == 1
    assert calls["uncategorized_lines"] == 3  # the period, the month before, a year ago
    assert calls["list_entities"] <= 2  # the names, and the CMO's entity kinds


def test_the_cto_kpis_alone_read_only_the_compared_months(demo: LedgerStore) -> None:
    from core.tech.records import load, load_compared

    scope = resolve_scope(demo, entity="all", period=202610)
    full = load(demo, scope.entity_ids, scope.period, tz=TZ, today=date(2026, 11, 20))
    few = load_compared(demo, scope.entity_ids, scope.period, tz=TZ, today=date(2026, 11, 20))
    assert {c.month for c in few.usage} <= {202610, 202609, 202510}
    assert few.commits == [] and len(few.shipped) < len(full.shipped)
    assert set(few.deploys) <= set(full.deploys) and len(few.deploys) < len(full.deploys)


def test_the_cmo_kpis_alone_read_only_the_compared_months(demo: LedgerStore) -> None:
    from core.marketing.records import MarketingRecords

    scope = resolve_scope(demo, entity="all", period=202610)
    full = MarketingRecords.load(demo, scope.entity_ids)
    few = MarketingRecords.load(demo, scope.entity_ids, months=[202610, 202609, 202510])
    assert {t.month for t in few.totals} == {202610, 202609, 202510}
    assert set(few.totals) == {t for t in full.totals if t.month in (202610, 202609, 202510)}
