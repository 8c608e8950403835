"""A month under way: flow KPIs against the pro-rated target and the same day before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.demo import seed_demo
from core.ledger.models import Target
from core.ledger.store import LedgerStore
from core.reports.ceo import build_ceo
from core.reports.cfo import build_cfo
from core.reports.email import render_email
from core.reports.model import KPI, Pace
from core.reports.registry import BUILDERS
from core.reports.scope import resolve_scope
from core.reports.text import render_text
from tests.conftest import BANK, entry

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 25, 20, tzinfo=UTC)  # noon on 25 Nov in Los Angeles: day 25 of 30


def _sale(entity: str, day: date, dollars: float, **kw: object):  # type: ignore[no-untyped-def]
    return entry(entity, day, "sale", (BANK, dollars), ("Income:Sales", -dollars), **kw)


@pytest.fixture
def books(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    store.post(
        [
            _sale("A", date(2025, 11, 10), 50),  # last year, before the 25th
            _sale("A", date(2025, 11, 27), 500),  # last year, after it
            _sale("A", date(2026, 10, 5), 100),
            _sale("A", date(2026, 10, 25), 7),  # the same day counts
            _sale("A", date(2026, 10, 28), 1000),  # after the same day: not compared
            _sale("A", date(2026, 11, 3), 300),
            entry("A", date(2026, 11, 4), "rent", ("Expenses:Rent", 40), (BANK, -40)),
            entry("A", date(2026, 10, 20), "rent", ("Expenses:Rent", 60), (BANK, -60)),
            # B sells to A: intercompany, dropped when the two are consolidated
            _sale("B", date(2026, 10, 6), 80, intercompany=True),
        ]
    )
    store.set_targets(
        [
            Target(entity_id="A", kpi_id="revenue", month=202611, value=3000.0),
            Target(entity_id="A", kpi_id="expenses", month=202611, value=60.0),
        ]
    )
    return store


def test_flows_of_a_month_under_way_compare_like_for_like(books: LedgerStore) -> None:
    report = build_cfo(books, resolve_scope(books, entity="A", period=202611), tz=LA, now=NOW)
    revenue = report.kpi("revenue")
    assert revenue.value == 300.0 and revenue.target == 3000.0
    assert revenue.pace == Pace(day=25, days=30, target=2500.0, last_month=107.0, last_year=50.0)
    assert (revenue.delta_mom, revenue.delta_yoy) == (193.0, 250.0)  # not -807 vs all October
    assert revenue.status == "bad"  # 300 against 2500 to date
    expenses = report.kpi("expenses")
    # 40 against 60 * 25 / 30 = 50 to date: good (it was 40 vs 60 before, good either way)
    assert expenses.pace is not None and expenses.pace.target == 50.0
    assert expenses.pace.last_month == 60.0 and expenses.status == "good"
    assert report.kpi("net_income").pace == Pace(25, 30, None, 47.0, 50.0)
    # balances have no pace: cash is where it is
    assert report.kpi("cash").pace is None
    # year to date sets this year's months against last year's through the same day
    assert report.ytd["revenue"].previous == 50.0


def test_a_target_met_to_date_is_on_target(books: LedgerStore) -> None:
    books.set_targets([Target(entity_id="A", kpi_id="revenue", month=202611, value=330.0)])
    report = build_cfo(books, resolve_scope(books, entity="A", period=202611), tz=LA, now=NOW)
    # 300 against the full 330 would be "watch"; against 275 to date it is on target
    assert report.kpi("revenue").status == "good"


def test_the_gap_to_target_is_to_date(books: LedgerStore) -> None:
    report = build_ceo(books, resolve_scope(books, entity="A", period=202611), tz=LA, now=NOW)
    gap = report.kpi("revenue_gap")
    assert gap.value == 300.0 - 2500.0
    assert gap.status == report.kpi("revenue").status == "bad"


def test_consolidated_pace_drops_intercompany(books: LedgerStore) -> None:
    report = build_cfo(books, resolve_scope(books, entity="all", period=202611), tz=LA, now=NOW)
    pace = report.kpi("revenue").pace
    assert pace is not None and pace.last_month == 107.0  # B's 80 to A is eliminated
    alone = build_cfo(books, resolve_scope(books, entity="B", period=202611), tz=LA, now=NOW)
    assert alone.kpi("revenue").pace == Pace(25, 30, None, 80.0, 0.0)


def test_a_completed_month_has_no_pace(books: LedgerStore) -> None:
    later = datetime(2026, 12, 2, 20, tzinfo=UTC)
    report = build_cfo(books, resolve_scope(books, entity="A", period=202611), tz=LA, now=later)
    revenue = report.kpi("revenue")
    assert revenue.pace is None
    assert revenue.delta_mom == 300.0 - 1107.0  # whole November against the whole October


def test_renderers_say_how_far_the_month_has_come(books: LedgerStore) -> None:
    report = build_cfo(books, resolve_scope(books, entity="A", period=202611), tz=LA, now=NOW)
    text = render_text(report)
    assert "to date (day 25 of 30)" in text
    assert "vs the same day last month" in text
    assert "target to date $2,500" in text
    assert "Revenue was $300, $2,200 (88%) below the $2,500 target to date." in text
    html = render_email(report, charts=False, dashboard_url="http://x").html
    assert "to date (day 25 of 30)" in html
    assert "target to date $2,500" in html


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> LedgerStore:
    store = LedgerStore(f"sqlite:///{tmp_path_factory.mktemp('pace')}/ledger.db")
    store.create_all()
    seed_demo(store, months=24, today=date(2026, 11, 20))
    return store


PACED = {"ceo", "cfo", "cmo", "yacht-delivery", "client-billing"}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_on_the_last_day_the_same_day_before_is_the_whole_month(
    demo: LedgerStore, name: str
) -> None:
    # 31 Oct: day 31 of 31; 30 Sep is all of September, 31 Oct 2025 all of October 2025
    now = datetime(2026, 10, 31, 19, tzinfo=UTC)

    def build(period: int) -> dict[str, KPI]:
        scope = resolve_scope(demo, entity="all", period=period)
        return {k.id: k for k in BUILDERS[name](demo, scope, tz=LA, now=now).kpis}

    october, september, year_ago = build(202610), build(202609), build(202510)
    paced = {kid: k for kid, k in october.items() if k.pace is not None}
    assert bool(paced) == (name in PACED)
    for kid, k in paced.items():
        assert k.pace is not None and (k.pace.day, k.pace.days) == (31, 31)
        assert k.pace.target == k.target
        assert k.pace.last_month == september[kid].value, kid
        assert k.pace.last_year == year_ago[kid].value, kid
        assert september[kid].pace is None
