"""Tech metrics on hand-computed rows: EOL, cost movers, idle resources, findings, dev cycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.metrics import tech as mt
from core.tech.demo import pick_runtime
from core.tech.runtimes import eol_date, family, releases

DAY = date(2026, 10, 31)


def svc(name: str, runtime: str, launched: date, retired: date | None = None) -> mt.ServiceRow:
    return mt.ServiceRow("A", name, "Lambda", runtime, "Ann", None, launched, retired)


def finding(
    severity: str, status: str, opened: date, fixed: date | None = None, title: str = "t"
) -> mt.FindingRow:
    return mt.FindingRow("A", "api", title, "Fix it.", severity, status, opened, fixed, "demo")


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=UTC)


def test_eol_state_past_soon_supported_and_unknown() -> None:
    assert mt.eol_state(date(2026, 10, 30), DAY) == mt.EolState(-1, "past")
    assert mt.eol_state(DAY, DAY) == mt.EolState(0, "soon")
    assert mt.eol_state(DAY + timedelta(days=180), DAY) == mt.EolState(180, "soon")
    assert mt.eol_state(DAY + timedelta(days=181), DAY) == mt.EolState(181, "supported")
    assert mt.eol_state(None, DAY) == mt.EolState(None, "none")


def test_runtime_catalogue() -> None:
    assert eol_date("python3.9") == date(2025, 10, 31)
    assert eol_date("Nodejs18.x") == date(2025, 4, 30)
    assert eol_date("postgres14") == date(2026, 11, 12)
    assert eol_date("") is None and eol_date("cobol85") is None
    assert family("nodejs18.x") == "nodejs" and family("postgres14") == "postgres"
    assert releases("php") == ["php8.1", "php8.2", "php8.3", "php8.4"]
    # the demo picks the release whose EOL is nearest to today + offset
    assert pick_runtime("python", date(2026, 11, 24), -390) == "python3.9"
    assert pick_runtime("nodejs", date(2026, 11, 24), 155) == "nodejs22.x"


def test_active_services_and_eol_counts() -> None:
    services = [
        svc("old", "python3.9", date(2024, 1, 1)),  # past on DAY
        svc("soon", "php8.2", date(2024, 1, 1)),  # 2026-12-31: 61 days
        svc("fine", "python3.12", date(2024, 1, 1)),
        svc("saas", "", date(2024, 1, 1)),
        svc("retired", "nodejs16.x", date(2024, 1, 1), retired=date(2026, 10, 1)),
        svc("future", "nodejs16.x", date(2026, 11, 1)),
    ]
    active = mt.active_services(services, DAY)
    assert [s.name for s in active] == ["old", "soon", "fine", "saas"]
    assert mt.eol_counts(services, DAY, eol_date) == (1, 1)
    # a year earlier: nodejs16.x (retired later) was past EOL; python3.9 on its EOL day is soon
    assert mt.eol_counts(services, date(2025, 10, 31), eol_date) == (1, 1)


def test_cost_totals_series_and_top_movers() -> None:
    costs = [
        mt.CostRow("A", 202609, "db", 10_000),
        mt.CostRow("A", 202610, "db", 15_000),  # +5,000 (+50%)
        mt.CostRow("B", 202610, "db", 1_000),  # another entity, same label: added
        mt.CostRow("A", 202609, "web", 8_000),
        mt.CostRow("A", 202610, "web", 6_000),  # -2,000 (-25%)
        mt.CostRow("A", 202610, "new", 3_000),  # new: no percentage
        mt.CostRow("A", 202609, "flat", 500),
        mt.CostRow("A", 202610, "flat", 500),  # unchanged: not a mover
    ]
    assert mt.total_cost(costs, 202610) == 25_500
    assert mt.total_cost(costs, 202609) == 18_500
    assert mt.cost_by_service(costs, [202609, 202610])["db"] == [10_000, 16_000]
    movers = mt.top_movers(costs, 202610, 202609)
    assert movers == [
        mt.Mover("db", 10_000, 16_000, 6_000, 60.0),
        mt.Mover("new", 0, 3_000, 3_000, None),
        mt.Mover("web", 8_000, 6_000, -2_000, -25.0),
    ]
    assert len(mt.top_movers(costs, 202610, 202609, n=1)) == 1


def test_idle_resources_cost_and_days() -> None:
    usage = [
        mt.UsageRow("A", 202610, "vol-1", "EC2-Other", 4_000, 0.0, date(2026, 8, 1)),
        mt.UsageRow("A", 202610, "nat", "VPC", 3_300, 0.9, date(2026, 10, 1)),
        mt.UsageRow("A", 202610, "busy", "web", 9_000, 35.0, DAY),
        mt.UsageRow("A", 202610, "free", "web", 0, 0.0, None),  # costs nothing: not idle
        mt.UsageRow("A", 202609, "vol-1", "EC2-Other", 4_000, 0.0, date(2026, 8, 1)),
    ]
    assert [u.resource for u in mt.idle_resources(usage, 202610)] == ["vol-1", "nat"]
    assert mt.idle_cost(usage, 202610) == 7_300
    assert mt.idle_cost(usage, 202609) == 4_000
    assert mt.days_idle(date(2026, 8, 1), DAY) == 91
    assert mt.days_idle(None, DAY) is None


def test_findings_unfixed_status_and_roadmap_order() -> None:
    rows = [
        finding("low", "open", date(2026, 9, 1), title="low-open"),
        finding("critical", "in_progress", date(2026, 10, 5), title="crit-progress"),
        finding("critical", "open", date(2026, 10, 20), title="crit-open"),
        finding("high", "fixed", date(2026, 9, 1), date(2026, 10, 10), title="high-fixed-oct"),
        finding("high", "fixed", date(2026, 9, 1), date(2026, 11, 3), title="high-fixed-nov"),
        finding("medium", "fixed", date(2026, 1, 1), date(2026, 2, 1), title="old-history"),
        finding("medium", "open", date(2026, 11, 2), title="after-period"),
    ]
    unfixed = mt.unfixed_on(rows, DAY)
    assert sorted(f.title for f in unfixed) == [
        "crit-open",
        "crit-progress",
        "high-fixed-nov",  # fixed after the month's end: still open on DAY
        "low-open",
    ]
    assert mt.status_on(rows[4], DAY) == "open"
    assert mt.status_on(rows[4], date(2026, 11, 3)) == "fixed"
    plan = mt.roadmap(rows, date(2026, 10, 1), DAY)
    assert [(f.title, status) for f, status in plan] == [
        ("crit-open", "open"),
        ("crit-progress", "in_progress"),
        ("high-fixed-nov", "open"),
        ("low-open", "open"),
        ("high-fixed-oct", "fixed"),
    ]


def test_weeks_lead_time_and_rate() -> None:
    starts = mt.week_starts(date(2026, 10, 31), 3)  # a Saturday
    assert starts == [date(2026, 10, 12), date(2026, 10, 19), date(2026, 10, 26)]
    days = [date(2026, 10, 12), date(2026, 10, 18), date(2026, 10, 26), date(2026, 10, 11)]
    assert mt.weekly_counts(days, starts) == [2, 0, 1]
    commits = [
        mt.CommitRow("A", "r", at(1, 10), "Ann", at(2, 10)),  # 24 h
        mt.CommitRow("A", "r", at(1, 12), "Ann", at(2, 10)),  # 22 h
        mt.CommitRow("A", "r", at(3, 10), "Bo", at(5, 16)),  # 54 h
        mt.CommitRow("A", "r", at(4, 10), "Bo", None),  # not shipped: ignored
    ]
    assert mt.lead_time_hours(commits[0]) == 24.0
    assert mt.median_lead_time(commits) == 24.0
    assert mt.median_lead_time(commits[:2]) == 23.0
    assert mt.median_lead_time(commits[3:]) is None
    assert mt.per_week(9, 31) == round(9 * 7 / 31, 2) == 2.03
    assert mt.per_week(3, 0) is None
