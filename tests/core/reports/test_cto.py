"""The CTO report on hand-computed rows, on the demo, through the CLI and as email."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.cli import main
from core.config import get_settings
from core.demo import seed_demo
from core.errors import Forbidden
from core.ledger.models import Target
from core.ledger.models_tech import (
    CloudCost,
    CloudResourceUsage,
    Deploy,
    GitCommit,
    SecurityFinding,
    TechService,
)
from core.ledger.store import LedgerStore, open_ledger
from core.periods import month_add, month_of
from core.reports.cto import CTO_KPIS, build_cto
from core.reports.email import render_email
from core.reports.model import Chart, Report, Table
from core.reports.registry import build_scoped
from core.reports.scope import resolve_scope
from core.reports.text import render_text
from core.tech.store import insert_rows

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 15, 10, 0, tzinfo=LA)
TODAY = date(2026, 11, 24)
TABLES = (TechService, CloudCost, CloudResourceUsage, SecurityFinding, GitCommit, Deploy)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def item(report: Report, item_id: str) -> Any:
    return next(i for s in report.sections for i in s.items if getattr(i, "id", "") == item_id)


def rows(report: Report, table_id: str) -> list[dict[str, Any]]:
    found = item(report, table_id)
    assert isinstance(found, Table)
    return found.rows


def _service(entity: str, name: str, kind: str, runtime: str, launched: date) -> dict[str, Any]:
    return {
        "entity_id": entity,
        "name": name,
        "kind": kind,
        "runtime": runtime,
        "owner": "Ann Lee",
        "repo": f"{entity.lower()}/{name}",
        "launched_on": launched,
    }


def _finding(
    entity: str, severity: str, status: str, opened: date, fixed: date | None, title: str
) -> dict[str, Any]:
    return {
        "entity_id": entity,
        "service": "api",
        "title": title,
        "fix": "Fix it.",
        "severity": severity,
        "status": status,
        "opened_on": opened,
        "fixed_on": fixed,
    }


def _commit(entity: str, sha: str, authored: datetime, tag: str | None) -> dict[str, Any]:
    return {
        "entity_id": entity,
        "repo": f"{entity.lower()}/api",
        "sha": sha,
        "authored_at": authored,
        "author": "Ann Lee",
        "deploy_tag": tag,
    }


def _deploy(entity: str, tag: str, at: datetime, n: int) -> dict[str, Any]:
    return {
        "entity_id": entity,
        "repo": f"{entity.lower()}/api",
        "tag": tag,
        "deployed_at": at,
        "commit_count": n,
    }


@pytest.fixture
def tech(store: LedgerStore) -> LedgerStore:
    """Entity A with hand-made tech rows; entity B with rows that must never leak into A."""
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    old = date(2024, 1, 1)
    insert_rows(
        store,
        TechService,
        [
            _service("A", "api", "Lambda", "python3.9", old),  # EOL 2025-10-31
            _service("A", "site", "web app", "php8.2", old),  # EOL 2026-12-31
            _service("A", "db", "database", "postgres15", date(2026, 10, 10)),
            _service("A", "GitHub", "SaaS", "", old),
            _service("B", "b-api", "Lambda", "python3.9", old),
        ],
    )
    costs = [
        ("A", 202610, "api", 1_000),
        ("A", 202610, "site", 5_000),
        ("A", 202610, "db", 20_000),
        ("A", 202610, "GitHub", 4_000),
        ("A", 202609, "api", 1_200),
        ("A", 202609, "site", 5_000),
        ("A", 202609, "GitHub", 4_000),
        ("A", 202510, "api", 900),
        ("B", 202610, "b-api", 99_999),
    ]
    insert_rows(
        store,
        CloudCost,
        [{"entity_id": e, "month": m, "service": s, "cost_cents": c} for e, m, s, c in costs],
    )
    usage = [
        ("A", "db-main", "db", 15_000, 40.0, date(2026, 10, 31)),
        ("A", "db-replica", "db", 5_000, 0.2, date(2026, 8, 1)),
        ("B", "b-volume", "EC2-Other", 7_700, 0.0, date(2026, 1, 1)),
    ]
    insert_rows(
        store,
        CloudResourceUsage,
        [
            {
                "entity_id": e,
                "month": 202610,
                "resource": r,
                "service": s,
                "cost_cents": c,
                "utilization_pct": u,
                "last_active_on": last,
            }
            for e, r, s, c, u, last in usage
        ],
    )
    insert_rows(
        store,
        SecurityFinding,
        [
            _finding("A", "critical", "open", date(2026, 10, 20), None, "Open bucket"),
            _finding("A", "high", "in_progress", date(2026, 9, 15), None, "Admin role"),
            _finding("A", "medium", "fixed", date(2026, 8, 1), date(2026, 10, 5), "Old TLS"),
            _finding("A", "low", "fixed", date(2025, 1, 1), date(2025, 3, 1), "History"),
            _finding("B", "critical", "open", date(2026, 10, 1), None, "Beta secret"),
        ],
    )
    insert_rows(
        store,
        Deploy,
        [
            _deploy("A", "v1", utc(2026, 10, 6, 23, 30), 2),
            _deploy("A", "v2", utc(2026, 11, 1, 3, 0), 1),  # Oct 31, 20:00 in San Diego
            _deploy("A", "v3", utc(2026, 9, 15, 20, 0), 1),
            _deploy("A", "v4", utc(2026, 11, 10, 20, 0), 0),
            _deploy("B", "v1", utc(2026, 10, 7, 20, 0), 1),
        ],
    )
    insert_rows(
        store,
        GitCommit,
        [
            _commit("A", "c1", utc(2026, 10, 5, 23, 30), "v1"),  # 24 h
            _commit("A", "c2", utc(2026, 10, 6, 11, 30), "v1"),  # 12 h
            _commit("A", "c3", utc(2026, 10, 30, 3, 0), "v2"),  # 48 h
            _commit("A", "c4", utc(2026, 9, 14, 20, 0), "v3"),  # 24 h
            _commit("A", "c5", utc(2026, 10, 20, 17, 0), None),  # not shipped
            _commit("B", "b1", utc(2026, 10, 7, 8, 0), "v1"),
        ],
    )
    store.set_targets([Target(entity_id="A", kpi_id="critical_findings", month=202610, value=0)])
    return store


def test_cto_figures_by_hand(tech: LedgerStore) -> None:
    report = build_cto(tech, resolve_scope(tech, entity="A", period=202610), tz=LA, now=NOW)
    k = {x.id: x for x in report.kpis}
    assert [x.id for x in report.kpis] == [d[0] for d in CTO_KPIS]
    assert (k["cloud_cost"].value, k["cloud_cost"].delta_mom, k["cloud_cost"].delta_yoy) == (
        300.0,
        198.0,
        291.0,
    )
    assert (k["idle_cost"].value, k["idle_cost"].delta_mom) == (50.0, 50.0)
    assert k["deploys_per_week"].value == round(2 * 7 / 31, 2)  # v1, v2 (Oct 31 local)
    assert k["deploys_per_week"].delta_mom == round(0.45 - 0.23, 2)
    assert k["deploys_per_week"].delta_yoy == 0.45  # no deploy a year earlier: 0 a week
    assert k["lead_time_hours"].value == 24.0  # median of 24, 12, 48
    assert (k["lead_time_hours"].delta_mom, k["lead_time_hours"].delta_yoy) == (0.0, None)
    assert (k["open_findings"].value, k["open_findings"].delta_mom) == (2, 0)
    assert k["open_findings"].delta_yoy == 2
    assert (k["critical_findings"].value, k["critical_findings"].delta_mom) == (1, 1)
    assert (k["critical_findings"].target, k["critical_findings"].status) == (0, "bad")
    assert (k["eol_services"].value, k["eol_soon_services"].value) == (1, 1)
    # a year earlier python3.9 was on its EOL day (soon), php8.2 still supported
    assert (k["eol_services"].delta_yoy, k["eol_soon_services"].delta_yoy) == (1, 0)
    assert k["cloud_cost"].direction == "down" and k["deploys_per_week"].direction == "up"
    ytd = report.ytd  # flows only: Jan..Oct 2026 against Jan..Oct 2025
    assert set(ytd) == {"cloud_cost", "idle_cost"}
    assert (ytd["cloud_cost"].value, ytd["cloud_cost"].previous) == (402.0, 9.0)
    assert (ytd["cloud_cost"].delta, ytd["idle_cost"].value, ytd["idle_cost"].delta) == (
        393.0,
        50.0,
        50.0,
    )

    stack = rows(report, "stack_inventory")
    assert [
        (r["service"], r["eol_status"], r["days_to_eol"], r["monthly_cost"]) for r in stack
    ] == [
        ("api", "past EOL", -365, 10.0),
        ("site", "EOL within 180 days", 61, 50.0),
        ("db", "supported", 376, 200.0),
        ("GitHub", "n/a", None, 40.0),
    ]
    assert stack[0]["runtime"] == "python3.9" and stack[0]["owner"] == "Ann Lee"
    texts = {f.text: f.severity for s in report.sections for f in s.items if f.type == "finding"}
    assert (
        texts[
            "api (Alpha) runs python3.9, past its end of life on 2025-10-31 "
            "(365 days before 2026-10-31)."
        ]
        == "bad"
    )
    assert (
        texts[
            "site (Alpha) runs php8.2, which reaches end of life on 2026-12-31 "
            "(61 days after 2026-10-31)."
        ]
        == "watch"
    )

    plan = rows(report, "security_roadmap")
    assert [(r["finding"], r["severity"], r["status"]) for r in plan] == [
        ("Open bucket", "critical", "open"),
        ("Admin role", "high", "in progress"),
        ("Old TLS", "medium", "fixed"),
    ]
    assert plan[0]["opened"] == "2026-10-20" and plan[0]["source"] == "demo"

    movers = rows(report, "cost_movers")
    assert movers[0] == {
        "service": "db",
        "previous": 0.0,
        "current": 200.0,
        "change": 200.0,
        "change_pct": None,
    }
    assert movers[1]["service"] == "api" and movers[1]["change_pct"] == -16.7
    assert rows(report, "idle_resources") == [
        {
            "resource": "db-replica",
            "service": "db",
            "entity": "Alpha",
            "monthly_cost": 50.0,
            "utilization": 0.2,
            "last_active": "2026-08-01",
            "days_idle": 91,
        }
    ]
    chart = item(report, "cost_by_service")
    assert isinstance(chart, Chart) and len(chart.x) == 13
    total = next(s for s in chart.series if s.name == "Total")
    assert total.values[-1] == 300.0 and total.values[-2] == 102.0 and total.values[0] == 9.0

    weekly = item(report, "commits_deploys_weekly")
    assert weekly.x[0] == "Aug 10" and weekly.x[-1] == "Oct 26"
    assert weekly.series[0].values == [0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 1]
    assert weekly.series[1].values == [0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1]
    assert rows(report, "repos") == [
        {
            "repo": "a/api",
            "entity": "Alpha",
            "commits": 4,
            "deploys": 2,
            "deploys_per_week": 0.45,
            "lead_time_hours": 24.0,
        }
    ]
    assert rows(report, "authors") == [  # c1, c2, c3 (Oct 29 in San Diego) and c5
        {"author": "Ann Lee", "commits": 4, "repos": "a/api", "last_commit": "2026-10-29"}
    ]


def test_month_to_date_counts_only_the_days_passed(tech: LedgerStore) -> None:
    report = build_cto(tech, resolve_scope(tech, entity="A", period=202611), tz=LA, now=NOW)
    assert report.kpi("deploys_per_week").value == round(1 * 7 / 15, 2)  # v4 on Nov 10
    assert report.kpi("cloud_cost").value == 0
    assert item(report, "stack_inventory").title == "Services running on 2026-11-15"


def test_a_scope_never_holds_another_entitys_rows(tech: LedgerStore) -> None:
    report = build_cto(tech, resolve_scope(tech, entity="A", period=202610), tz=LA, now=NOW)
    text = json.dumps(report.to_dict())
    for leak in ("Beta", "b-api", "b-volume", "Beta secret", "b/api", "999.99"):
        assert leak not in text
    both = build_cto(tech, resolve_scope(tech, entity="all", period=202610), tz=LA, now=NOW)
    assert both.kpi("cloud_cost").value == 300 + 999.99
    assert both.kpi("critical_findings").value == 2
    with pytest.raises(Forbidden):
        resolve_scope(tech, entity="B", period=202610, allowed={"A"})


def test_json_email_and_text_render(tech: LedgerStore) -> None:
    report = build_scoped("cto", tech, resolve_scope(tech, entity="all", period=202610), tz=LA)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["report"] == "cto" and data["title"] == "CTO report" and data["period"] == "2026-10"
    assert set(data["kpis"][0]) >= {"id", "value", "unit", "direction", "status", "delta_mom"}
    email = render_email(report)
    assert email.subject.startswith("CTO report: All entities (consolidated), Oct 2026")
    assert "Security hardening roadmap" in email.html and "Open bucket" in email.html
    charts = [i for s in report.sections for i in s.items if i.type == "chart"]
    assert len(email.images) == len(charts) == 2
    assert "Stack inventory" in render_text(report)


def _dump(store: LedgerStore) -> list[list[tuple[Any, ...]]]:
    out = []
    with store.engine.connect() as conn:
        for model in TABLES:
            cols = [c for c in model.__table__.columns if c.name != "id"]  # type: ignore[attr-defined]
            out.append(sorted(tuple(r) for r in conn.execute(select(*cols))))
    return out


def test_demo_is_deterministic_covers_the_ledger_months_and_reseeds(tmp_path: Path) -> None:
    a, b = (LedgerStore(f"sqlite:///{tmp_path}/{n}.db") for n in "ab")
    for s in (a, b):
        s.create_all()
        seed_demo(s, months=14, today=TODAY)
    assert _dump(a) == _dump(b)
    with a.engine.connect() as conn:
        months = conn.execute(select(func.min(CloudCost.month), func.max(CloudCost.month))).one()
        last_deploy = conn.scalar(select(func.max(Deploy.deployed_at)))
        last_commit = conn.scalar(select(func.max(GitCommit.authored_at)))
    ledger_months = {r.month for r in a.monthly_rows([e.id for e in a.list_entities()])}
    assert tuple(months) == (min(ledger_months), max(ledger_months)) == (202510, 202611)
    assert last_deploy.astimezone(LA).date() <= TODAY
    assert last_commit.astimezone(LA).date() <= TODAY
    seed_demo(a, months=14, today=TODAY, force=True)  # replaces the demo rows, no duplicates
    assert _dump(a) == _dump(b)


def test_demo_report_has_something_in_every_section(tmp_path: Path) -> None:
    store = LedgerStore(f"sqlite:///{tmp_path}/demo.db")
    store.create_all()
    seed_demo(store, months=14, today=TODAY)
    now = datetime(2026, 11, 24, 12, tzinfo=LA)
    report = build_cto(store, resolve_scope(store, entity="all", period=202610), tz=LA, now=now)
    for k in report.kpis:
        assert k.value is not None and k.delta_mom is not None and k.delta_yoy is not None, k.id
    assert report.kpi("eol_services").value >= 1 and report.kpi("eol_soon_services").value >= 1
    assert report.kpi("critical_findings").value >= 1 and report.kpi("idle_cost").value > 0
    assert report.kpi("deploys_per_week").target is not None
    tables = ("stack_inventory", "security_roadmap", "cost_movers", "idle_resources", "repos")
    for table in (*tables, "authors"):
        assert rows(report, table), table
    kinds = {r["kind"] for r in rows(report, "stack_inventory")}
    assert kinds == {"web app", "Lambda", "database", "SaaS"}
    dump = build_cto(
        store, resolve_scope(store, entity="QuickDumpNow", period=202610), tz=LA, now=now
    )
    assert {r["entity"] for r in rows(dump, "stack_inventory")} == {"QuickDumpNow"}
    text = json.dumps(dump.to_dict())
    assert "Dangerous Centaur" not in text and "Queen of San Diego" not in text


def test_cli_prints_the_same_report(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed-demo", "--months", "14"]) == 0
    period = month_add(month_of(datetime.now(get_settings().tz).date()), -1)
    text = f"{period // 100}-{period % 100:02d}"
    capsys.readouterr()
    args = ["report", "cto", "--entity", "all", "--period", text, "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    store = open_ledger(get_settings().ledger_url)
    built = build_cto(store, resolve_scope(store, entity="all", period=period), tz=LA)
    assert {k["id"]: k["value"] for k in data["kpis"]} == {k.id: k.value for k in built.kpis}
    assert data["report"] == "cto"
