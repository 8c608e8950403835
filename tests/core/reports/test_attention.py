"""Needs attention: what is off, worst first, each item linking to where it is fixed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.reports.attention import fix_link, needs_attention
from core.reports.model import KPI, Pace, Report, Status
from core.reports.registry import build_scoped
from core.reports.scope import resolve_scope
from tests.conftest import BANK, entry


def kpi(
    kid: str,
    value: float | None,
    *,
    status: Status = "none",
    target: float | None = None,
    unit: str = "count",
    label: str | None = None,
) -> KPI:
    return KPI(kid, label or kid, value, unit, target, "down", status, None, None)


def report(*kpis: KPI, name: str = "ceo", entity: str = "all") -> Report:
    return Report(
        name, "CEO report", entity, "All entities", "2026-10", "", "UTC", "USD", list(kpis)
    )


def query(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


def test_nothing_off_means_nothing_needs_attention() -> None:
    calm = report(
        kpi("revenue", 100.0, status="good", target=90.0, unit="USD"),
        kpi("cash", 50.0, unit="USD"),  # no target: no status, nothing to act on
        kpi("uncategorized_count", 0.0),
        kpi("unfilled_slots", None),
    )
    assert needs_attention(calm) == []


def test_worst_first_each_linked_where_it_is_fixed() -> None:
    r = report(
        kpi("revenue", 95.0, status="watch", target=100.0, unit="USD", label="Revenue"),
        kpi("net_income", 10.0, status="bad", target=30.0, unit="USD", label="Net income"),
        kpi("ar_over_60", 1200.0, unit="USD"),
        kpi("uncategorized_count", 3.0),
        kpi("unfilled_slots", 1.0),
        kpi("unfinished_checklists", 2.0),
        kpi("guests_on_hold", 4.0),
    )
    items = needs_attention(r)
    assert [(a.kpi_id, a.severity) for a in items] == [
        ("net_income", "bad"),
        ("revenue", "watch"),
        ("ar_over_60", "watch"),
        ("uncategorized_count", "watch"),
        ("unfilled_slots", "watch"),
        ("unfinished_checklists", "watch"),
        ("guests_on_hold", "watch"),
    ]
    by = {a.kpi_id: a for a in items}
    assert by["net_income"].text == "Net income $10 is off target (target $30)"
    assert by["revenue"].text == "Revenue $95 is near target (target $100)"
    assert by["uncategorized_count"].text == "3 uncategorized lines to categorize"
    assert by["unfilled_slots"].text == "1 open crew slot on upcoming trips"
    assert by["ar_over_60"].text == "$1,200 of receivables over 60 days old"
    paths = {k: urlsplit(a.link).path for k, a in by.items()}
    assert paths == {
        "net_income": "/ceo",
        "revenue": "/ceo",
        "ar_over_60": "/client-billing",
        "uncategorized_count": "/accounting",
        "unfilled_slots": "/operations",
        "unfinished_checklists": "/operations",
        "guests_on_hold": "/operations",
    }
    assert query(by["net_income"].link)["drill"] == ["net_income"]
    assert urlsplit(by["uncategorized_count"].link).fragment == "categorization-queue"
    assert urlsplit(by["ar_over_60"].link).fragment == "ar-aging"
    for a in items:  # every link keeps the report's scope and month
        assert query(a.link)["entity"] == ["all"] and query(a.link)["period"] == ["2026-10"]


def test_a_target_that_allows_some_is_respected() -> None:
    r = report(kpi("unfilled_slots", 2.0, status="good", target=3.0))
    assert needs_attention(r) == []
    over = report(kpi("unfilled_slots", 5.0, status="bad", target=3.0))
    (item,) = needs_attention(over)
    assert (item.severity, item.text) == ("bad", "5 open crew slots on upcoming trips (target 3)")


def test_past_due_receivables_go_to_the_aging() -> None:
    r = report(kpi("ar_past_due", 35819.0, unit="USD"), name="client-billing")
    (item,) = needs_attention(r)
    assert item.text == "$35,819 of receivables past due"
    assert item.link == "/client-billing?entity=all&period=2026-10&compare=mom#ar-aging"


def test_problems_without_a_target_can_be_bad() -> None:
    r = report(kpi("trial_balance_difference", 12.5, unit="USD"), name="accounting")
    (item,) = needs_attention(r)
    assert item.severity == "bad"
    assert urlsplit(item.link).path == "/accounting"


def test_an_item_that_repeats_another_is_left_out() -> None:
    r = report(
        kpi("revenue", 80.0, status="bad", target=100.0, unit="USD"),
        kpi("revenue_gap", -20.0, status="bad", unit="USD"),  # revenue's status, copied
        kpi("uncategorized_count", 3.0),
        kpi("uncategorized_amount", 90.0, status="bad", target=0.0, unit="USD"),
    )
    assert [a.kpi_id for a in needs_attention(r)] == ["revenue", "uncategorized_count"]


def test_links_keep_one_entity_and_skip_drill_without_ledger_lines() -> None:
    r = report(name="cto", entity="JADA")
    link = fix_link(r, "cloud_cost")
    assert urlsplit(link).path == "/cto"
    assert query(link) == {"entity": ["JADA"], "period": ["2026-10"], "compare": ["mom"]}
    yacht = replace(r, report="yacht-delivery")
    assert urlsplit(fix_link(yacht, "deliveries")).path == "/yacht-delivery"


def test_built_reports_carry_their_attention(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.post(
        [entry("A", date(2026, 5, 3), "mystery", (BANK, 100), ("Income:Uncategorized", -100))]
    )
    scope = resolve_scope(store, entity="A", period=202605)
    built = build_scoped(
        "accounting",
        store,
        scope,
        tz=ZoneInfo("America/Los_Angeles"),
        now=datetime(2026, 6, 2, tzinfo=UTC),
    )
    assert built.attention == needs_attention(built)
    (item,) = [a for a in built.attention if a.kpi_id == "uncategorized_count"]
    assert item.link == "/accounting?entity=A&period=2026-05&compare=mom#categorization-queue"


def test_a_month_under_way_quotes_the_target_to_date() -> None:
    """Judged against the target pro-rated to today, the item says that target, not the
    month's whole one."""
    pace = Pace(day=15, days=30, target=50.0, last_month=None, last_year=None)
    paced = KPI("revenue", "Revenue", 40.0, "USD", 100.0, "up", "bad", None, None, pace)
    [item] = [a for a in needs_attention(report(paced)) if a.kpi_id == "revenue"]
    assert item.text == "Revenue $40 is off target (target to date $50)"
