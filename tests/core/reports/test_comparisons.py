"""Year to date on every report: each flow KPI's YTD is the sum of its months, both years."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from core.demo import seed_demo
from core.ledger.store import LedgerStore
from core.reports.registry import BUILDERS
from core.reports.scope import resolve_scope

TZ = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> LedgerStore:
    store = LedgerStore(f"sqlite:///{tmp_path_factory.mktemp('ytd')}/ledger.db")
    store.create_all()
    seed_demo(store, months=24, today=date(2026, 11, 20))
    return store


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_ytd_is_the_sum_of_the_months(demo: LedgerStore, name: str) -> None:
    build = BUILDERS[name]
    report = build(demo, resolve_scope(demo, entity="all", period=202604), tz=TZ)
    if name not in ("accounting", "forecast"):  # the forecast looks ahead: no year to date
        assert report.ytd, f"{name} has no year-to-date flows"
    months = [
        {
            k.id: k.value
            for k in build(demo, resolve_scope(demo, entity="all", period=p), tz=TZ).kpis
        }
        for p in (202601, 202602, 202603, 202604)
    ]
    year_ago = [
        {
            k.id: k.value
            for k in build(demo, resolve_scope(demo, entity="all", period=p), tz=TZ).kpis
        }
        for p in (202501, 202502, 202503, 202504)
    ]

    def total(rows: list[dict[str, float | None]], kid: str) -> float | None:
        values = [r[kid] for r in rows]  # a month without a value leaves the YTD empty
        return None if any(v is None for v in values) else sum(v or 0.0 for v in values)

    for kid, ytd in report.ytd.items():
        assert ytd.value == pytest.approx(total(months, kid), abs=0.02), kid
        assert ytd.previous == pytest.approx(total(year_ago, kid), abs=0.02), kid
        if ytd.value is not None and ytd.previous is not None:
            assert ytd.delta == pytest.approx(ytd.value - ytd.previous, abs=0.02), kid
