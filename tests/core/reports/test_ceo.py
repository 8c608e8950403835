"""The CEO report on a small hand-made portfolio: gaps, assets, AR, ops shortfalls, framework."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.assets.store import add_assets, add_usage
from core.ledger.models import Target
from core.ledger.models_assets import Asset, AssetUsage
from core.ledger.store import LedgerStore
from core.ops.service import OpsService
from core.ops.sqlite import SqliteOpsStore
from core.reports.ceo import build_ceo
from core.reports.email import render_email
from core.reports.scope import resolve_scope
from tests.conftest import BANK, entry

LA = ZoneInfo("America/Los_Angeles")
AR = "Assets:AccountsReceivable"
NOW = datetime(2026, 5, 20, 12, tzinfo=UTC)


@pytest.fixture
def books(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    store.post(
        [
            entry("A", date(2026, 1, 5), "sale", (BANK, 400), ("Income:Sales", -400)),
            entry("A", date(2026, 2, 5), "invoice 1", (AR, 900), ("Income:Sales", -900)),
            entry("A", date(2026, 3, 1), "part payment", (BANK, 600), (AR, -600)),
            entry("A", date(2026, 5, 3), "sale", (BANK, 1000), ("Income:Sales", -1000)),
            entry("A", date(2026, 5, 4), "rent", ("Expenses:Rent", 250), (BANK, -250)),
            entry("B", date(2026, 5, 6), "sale", (BANK, 500), ("Income:Sales", -500)),
            entry("B", date(2026, 5, 9), "invoice 2", (AR, 200), ("Income:Sales", -200)),
        ]
    )
    targets = [
        Target(entity_id="A", kpi_id="revenue", month=m, value=v)
        for m, v in (
            (202601, 500.0),
            (202602, 800.0),
            (202603, 0.0),
            (202604, 0.0),
            (202605, 1200.0),
        )
    ] + [Target(entity_id="B", kpi_id="revenue", month=202605, value=600.0)]
    store.set_targets(targets)
    boat, truck = add_assets(
        store,
        [
            Asset(entity_id="A", name="Boat", kind="vessel", value_cents=100_000_00,
                  revenue_account="Income:Sales", revenue_share=0.5),
            Asset(entity_id="B", name="Truck", kind="vehicle", value_cents=20_000_00,
                  revenue_account="Income:Sales"),
        ],
    )  # fmt: skip
    add_usage(
        store,
        [
            AssetUsage(
                asset_id=a.id or 0, month=202605, entity_id=e, used_days=d, available_days=31
            )
            for a, e, d in ((boat, "A", 10), (truck, "B", 21))
        ],
    )
    return store


def _ops(tmp_path: Path, entity: str) -> OpsService:
    store = SqliteOpsStore(tmp_path / "ops.db")
    store.init()
    ops = OpsService(store, tz=LA, lat=32.7, lon=-117.2)
    admin = ops.add_user(email="admin@example.com", name="Admin", role="admin")
    for days, ent in ((2, entity), (3, "B"), (30, entity)):
        ops.create_event(
            admin,
            {
                "entity": ent,
                "title": f"Trip in {days} days",
                "starts_at": (NOW + timedelta(days=days)).isoformat(),
                "duration_minutes": 120,
                "slots": {"captain": 1, "crew": 2},
                "guests_max": 4,
            },
        )
    return ops


def test_kpis_from_hand_computed_books(books: LedgerStore, tmp_path: Path) -> None:
    report = build_ceo(
        books,
        resolve_scope(books, entity="A", period=202605),
        tz=LA,
        now=NOW,
        ops=_ops(tmp_path, "A"),
    )
    k = {x.id: x for x in report.kpis}
    assert k["revenue"].value == 1000.0 and k["revenue"].target == 1200.0
    # 20 May: the month is under way, so the gap is to the target pro-rated to 20 of 31 days
    # (1200 * 20 / 31 = 774.19), and 1000 is ahead of it
    assert k["revenue"].pace is not None and k["revenue"].pace.target == 774.19
    assert k["revenue_gap"].value == 225.81
    assert k["revenue_gap"].status == k["revenue"].status == "good"
    assert k["net_income"].value == 750.0
    assert k["asset_utilization"].value == round(10 / 31 * 100, 1)
    # invoice 1 (Feb 5) is 300 still open and 115 days old at May 31; nothing else is owed by A
    assert k["ar_over_60"].value == 300.0
    # only the trip in 2 days is A's and within 14 days: 3 open slots, a full checklist to do
    assert k["unfilled_slots"].value == 3.0
    assert k["unfinished_checklists"].value == 1.0
    assert k["unfilled_slots"].delta_mom is None
    # YTD: 400 + 900 + 1000 = 2300 against 500 + 800 + 0 + 0 + 774.19 (May to date)
    assert report.ytd["revenue"].value == 2300.0
    assert report.ytd["revenue_gap"].value == 225.81


def test_a_completed_month_compares_whole_months(books: LedgerStore) -> None:
    after = datetime(2026, 6, 3, 12, tzinfo=UTC)
    report = build_ceo(books, resolve_scope(books, entity="A", period=202605), tz=LA, now=after)
    k = {x.id: x for x in report.kpis}
    assert k["revenue"].pace is None and k["revenue_gap"].pace is None
    assert k["revenue_gap"].value == -200.0
    assert k["revenue_gap"].status == k["revenue"].status == "bad"
    # YTD: 400 + 900 + 1000 = 2300 against 500 + 800 + 0 + 0 + 1200 = 2500
    assert report.ytd["revenue_gap"].value == -200.0


def test_gap_table_and_findings_state_facts(books: LedgerStore) -> None:
    report = build_ceo(books, resolve_scope(books, entity="all", period=202605), tz=LA, now=NOW)
    table = next(
        i for s in report.sections for i in s.items if getattr(i, "id", "") == "revenue_gaps"
    )
    rows = {r["entity"]: r for r in table.rows}
    assert rows["Alpha"]["gap"] == -200.0 and rows["Alpha"]["gap_pct"] == pytest.approx(-16.7)
    assert rows["Beta"]["gap"] == 100.0  # 500 + 200 invoiced against 600
    assert rows["Alpha"]["ytd_target"] == 2500.0
    assert rows["Beta"]["ytd_target"] is None  # no target for Beta's earlier months
    texts = [
        i.text for s in report.sections for i in s.items if getattr(i, "type", "") == "finding"
    ]
    assert "1 of 2 entities met their May 2026 revenue target." in texts
    assert any(
        t.startswith("Largest shortfall: Alpha took in $1,000 against a $1,200 target")
        for t in texts
    )
    assert "Charter operations are not connected to this report." in texts  # no ops passed


def test_assets_revenue_and_utilization(books: LedgerStore) -> None:
    report = build_ceo(books, resolve_scope(books, entity="all", period=202605), tz=LA, now=NOW)
    assets = next(i for s in report.sections for i in s.items if getattr(i, "id", "") == "assets")
    rows = {r["asset"]: r for r in assets.rows}
    assert rows["Boat"]["revenue"] == 500.0  # half of A's May income
    assert rows["Boat"]["ytd_revenue"] == 1150.0  # half of 400 + 900 + 1000
    assert rows["Truck"]["revenue"] == 700.0
    assert rows["Truck"]["utilization"] == round(21 / 31 * 100, 1)


def test_scope_keeps_other_entities_out(books: LedgerStore, tmp_path: Path) -> None:
    scope = resolve_scope(books, entity="B", period=202605, allowed={"B"})
    report = build_ceo(books, scope, tz=LA, now=NOW, ops=_ops(tmp_path, "A"))
    text = json.dumps(report.to_dict())
    assert "Alpha" not in text and "Boat" not in text
    assert report.kpi("ar_over_60").value == 0.0  # B's invoice is 22 days old
    assert report.kpi("unfilled_slots").value == 3.0  # B's own trip only


def test_framework_lists_every_persona_kpi(books: LedgerStore) -> None:
    report = build_ceo(books, resolve_scope(books, entity="all", period=202605), tz=LA, now=NOW)
    table = next(
        i for s in report.sections for i in s.items if getattr(i, "id", "") == "kpi_framework"
    )
    owners = {r["kpi"]: r["owner"] for r in table.rows}
    assert owners["Revenue"] == "CFO" and owners["Trial balance difference"] == "Accounting"
    assert owners["Asset utilization"] == "CEO"
    assert len(owners) == len(table.rows)  # each KPI once


def test_renders_as_email(books: LedgerStore) -> None:
    report = build_ceo(books, resolve_scope(books, entity="all", period=202605), tz=LA, now=NOW)
    email = render_email(report)
    assert "Revenue against target" in email.html


def test_build_report_opens_the_ops_store_only_for_a_report_that_reads_trips(
    books: LedgerStore, tmp_path: Path
) -> None:
    from core.reports.registry import build_scoped

    opened: list[OpsService] = []

    def open_ops() -> OpsService:
        opened.append(_ops(tmp_path, "A"))
        return opened[-1]

    scope = resolve_scope(books, entity="A", period=202605)
    build_scoped("cfo", books, scope, tz=LA, now=NOW, ops=open_ops)
    assert opened == []
    report = build_scoped("ceo", books, scope, tz=LA, now=NOW, ops=open_ops)
    assert len(opened) == 1
    assert {k.id: k.value for k in report.kpis}["unfilled_slots"] == 3  # the A trip in 2 days
