"""The CMO report on hand-made marketing rows: KPIs, matrix, sequencing, campaigns, scope."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.cli import main
from core.errors import Forbidden
from core.ledger.models import Target
from core.ledger.models_marketing import (
    Campaign,
    ChannelBooking,
    ChannelListing,
    MarketingChannel,
)
from core.ledger.store import LedgerStore
from core.marketing import store as marketing
from core.reports.cmo import CMO_KPIS, build_cmo
from core.reports.email import render_email
from core.reports.formatting import format_value
from core.reports.model import Chart, Report, Table
from core.reports.scope import resolve_scope
from core.reports.text import render_text

LA = ZoneInfo("America/Los_Angeles")
EVER = date(2025, 1, 1)


def _booking(eid: str, cid: str, day: date, dollars: int, pct: float = 0) -> dict[str, object]:
    cents = dollars * 100
    return {
        "entity_id": eid,
        "channel_id": cid,
        "booked_on": day,
        "month": day.year * 100 + day.month,
        "value_cents": cents,
        "commission_cents": round(cents * pct / 100),
    }


@pytest.fixture
def mk(store: LedgerStore) -> LedgerStore:
    """A (sailing charters) and B (junk removal) with a few bookings and two campaigns."""
    store.add_entity(id="A", name="Alpha", kind="sailing-charters")
    store.add_entity(id="B", name="Beta", kind="junk-removal")
    ch = MarketingChannel
    marketing.save_channels(
        store,
        [
            ch(id="direct", name="Direct website", kind="direct", fits="*", sort=0),
            ch(id="viator", name="Viator", kind="ota", fits="sailing-charters",
               commission_pct=25, reach_factor=1.0, conversion=0.5, cannibalization_pct=20,
               sort=1),
            ch(id="yelp", name="Yelp", kind="listing", fits="junk-removal,sailing-charters",
               reach_factor=0.4, conversion=0.3, cannibalization_pct=30,
               monthly_fee_cents=100_00, sort=2),
            ch(id="thumbtack", name="Thumbtack", kind="marketplace", fits="junk-removal",
               commission_pct=10, reach_factor=0.5, conversion=0.5, sort=3),
            ch(id="angi", name="Angi", kind="marketplace", fits="junk-removal",
               commission_pct=15, reach_factor=0.6, conversion=0.5, cannibalization_pct=10,
               monthly_fee_cents=20_00, sort=4),
        ],
    )  # fmt: skip
    marketing.add_rows(
        store,
        ChannelListing,
        [
            {"entity_id": "A", "channel_id": "direct", "listed_on": EVER},
            {"entity_id": "A", "channel_id": "yelp", "listed_on": date(2026, 6, 1)},  # later
            {"entity_id": "B", "channel_id": "direct", "listed_on": EVER},
            {"entity_id": "B", "channel_id": "yelp", "listed_on": EVER},
            {"entity_id": "B", "channel_id": "thumbtack", "listed_on": date(2026, 5, 10)},
        ],
    )
    marketing.add_rows(
        store,
        ChannelBooking,
        [
            _booking("A", "direct", date(2026, 4, 9), 1000),
            _booking("A", "direct", date(2026, 5, 2), 1000),
            _booking("A", "direct", date(2026, 5, 20), 1000),
            _booking("B", "direct", date(2026, 5, 3), 200),
            _booking("B", "yelp", date(2026, 5, 4), 100),
            _booking("B", "yelp", date(2026, 5, 5), 100),
            _booking("B", "thumbtack", date(2026, 5, 30), 300, 10),
        ],
    )
    camp = {"medium": "email", "month": 202605}
    marketing.add_rows(
        store,
        Campaign,
        [
            {**camp, "entity_id": "A", "name": "Alpha May news", "sent_on": date(2026, 5, 6),
             "cost_cents": 100_00, "sends": 1000, "opens": 300, "clicks": 50, "bookings": 2,
             "revenue_cents": 600_00},
            {**camp, "entity_id": "B", "name": "Beta May SMS", "medium": "sms",
             "sent_on": date(2026, 5, 8), "cost_cents": 50_00, "sends": 500, "opens": 0,
             "clicks": 20, "bookings": 0, "revenue_cents": 0},
        ],
    )  # fmt: skip
    store.set_targets([Target(entity_id="all", kpi_id="direct_share", month=202605, value=60.0)])
    return store


def build(store: LedgerStore, entity: str, allowed: set[str] | None = None) -> Report:
    scope = resolve_scope(store, entity=entity, period=202605, allowed=allowed)
    return build_cmo(store, scope, tz=LA, now=datetime(2026, 6, 2, 9, 30, tzinfo=LA))


def item(report: Report, item_id: str, kind: type) -> Table | Chart:
    found = [i for s in report.sections for i in s.items if isinstance(i, kind) and i.id == item_id]
    assert len(found) == 1, item_id
    return found[0]


def test_kpis_by_hand(mk: LedgerStore) -> None:
    r = build(mk, "all")
    assert [k.id for k in r.kpis] == [d[0] for d in CMO_KPIS]
    assert r.kpi("bookings").value == 6
    assert r.kpi("channel_revenue").value == 2700.0  # 2 x 1000 + 200 + 2 x 100 + 300
    assert r.kpi("ota_commission").value == 30.0  # 10% of the Thumbtack 300
    assert r.kpi("direct_share").value == 50.0  # 3 of 6
    assert (r.kpi("direct_share").target, r.kpi("direct_share").status) == (60.0, "bad")
    assert r.kpi("campaign_roi").value == 300.0  # (600 - 150) / 150
    assert r.kpi("cost_per_acquisition").value == 75.0  # 150 / 2
    assert r.kpi("bookings").delta_mom == 5  # April: 1 booking
    assert r.kpi("channel_revenue").delta_mom == 1700.0
    assert r.kpi("bookings").delta_yoy == 6  # May 2025: none
    assert r.kpi("direct_share").delta_yoy is None  # no bookings a year ago: no share
    assert r.kpi("campaign_roi").delta_mom is None  # no campaign in April


def test_matrix_and_detail(mk: LedgerStore) -> None:
    r = build(mk, "all")
    matrix = {row["channel"]: row for row in item(r, "channel_matrix", Table).rows}
    assert list(matrix) == ["Direct website", "Viator", "Yelp", "Thumbtack", "Angi"]
    assert (matrix["Yelp"]["A"], matrix["Yelp"]["B"]) == ("—", "✓")  # A lists in June
    assert (matrix["Viator"]["A"], matrix["Viator"]["B"]) == ("—", "")  # B: not plausible
    assert matrix["Thumbtack"]["B"] == "✓"
    labels = [c.label for c in item(r, "channel_matrix", Table).columns]
    assert "Alpha" in labels and "Beta" in labels and "A" not in labels  # names, not ids
    yelp = matrix["Yelp"]
    # 200 of revenue less B's $100 monthly fee, over 2 bookings
    assert (yelp["bookings"], yelp["revenue"], yelp["net_per_booking"]) == (2, 200.0, 50.0)
    assert matrix["Thumbtack"]["commission_pct"] == 10.0
    assert matrix["Thumbtack"]["net_per_booking"] == 270.0
    assert matrix["Direct website"]["net_per_booking"] == pytest.approx(2200 / 3, abs=0.01)
    assert matrix["Angi"]["net_per_booking"] is None
    detail = item(r, "channel_detail", Table).rows
    pairs = {(row["entity"], row["channel"]): row for row in detail}
    assert pairs[("Alpha", "Yelp")]["listed"] == "No"
    assert pairs[("Beta", "Thumbtack")]["listed"] == "Yes"
    assert ("Beta", "Viator") not in pairs
    chart = item(r, "net_by_channel", Chart)
    assert chart.x[0] == "Direct website" and chart.series[0].values[0] == 2200.0


def test_ota_sequencing_by_hand(mk: LedgerStore) -> None:
    rows = item(build(mk, "all"), "ota_ranking", Table).rows
    ranked = item(build(mk, "all"), "ota_ranking", Chart).x
    assert ranked and all(x.startswith(("Alpha · ", "Beta · ")) for x in ranked)
    got = [(row["entity"], row["channel"], row["net"]) for row in rows]
    # Alpha: 3 bookings Mar-May -> 1/month, $1,000 each. Viator: 1 x 1.0 x 0.5 = 0.5 bookings,
    #   $500 gross - 25% ($125) - 20% cannibalized ($100) = $275.
    # Beta: 4 bookings -> 4/3 a month, $175 each. Angi: 4/3 x 0.6 x 0.5 = 0.4 bookings, $70
    #   gross - 15% ($10.50) - 10% ($7) - $20 fee = $32.50.
    # Alpha on Yelp (listed only from June): 1 x 0.4 x 0.3 = 0.12 bookings, $120 gross, no
    #   commission, 30% cannibalized ($36), $100 fee -> -$16.
    assert got == [("Alpha", "Viator", 275.0), ("Beta", "Angi", 32.5), ("Alpha", "Yelp", -16.0)]
    top = rows[0]
    assert (top["rank"], top["bookings"], top["avg_value"], top["gross"]) == (1, 0.5, 1000.0, 500.0)
    assert (top["commission"], top["cannibalized"], top["fee"]) == (125.0, 100.0, 0.0)
    assumptions = {
        row["channel"]: row for row in item(build(mk, "all"), "ota_assumptions", Table).rows
    }
    assert "Direct website" not in assumptions
    assert assumptions["Angi"] == {
        "channel": "Angi",
        "kind": "Marketplace",
        "fits": "junk-removal",
        "commission_pct": 15.0,
        "reach": 0.6,
        "conversion": 50.0,
        "cannibalization_pct": 10.0,
        "fee": 20.0,
    }


def test_campaign_rows(mk: LedgerStore) -> None:
    r = build(mk, "all")
    rows = {row["campaign"]: row for row in item(r, "campaigns", Table).rows}
    a, b = rows["Alpha May news"], rows["Beta May SMS"]
    assert (a["roi"], a["cpa"], a["open_rate"], a["click_rate"]) == (500.0, 50.0, 30.0, 5.0)
    assert (b["roi"], b["cpa"], b["open_rate"], b["click_rate"]) == (-100.0, None, None, 4.0)
    assert item(r, "campaign_roi", Chart).series[0].values == [500.0, -100.0]
    texts = [i.text for s in r.sections for i in s.items if i.type == "finding"]
    assert any("Beta May SMS (Beta) cost $50 and brought no attributed booking" in t for t in texts)


def test_scoped_report_holds_no_other_entity(mk: LedgerStore) -> None:
    r = build(mk, "B")
    dumped = json.dumps(r.to_dict(), ensure_ascii=False)
    assert "Alpha" not in dumped
    assert r.kpi("bookings").value == 4
    assert r.kpi("campaign_roi").value == -100.0
    matrix = item(r, "channel_matrix", Table)
    assert [c.key for c in matrix.columns if c.key in ("A", "B")] == ["B"]
    assert marketing.booking_totals(mk, ["B"]) and all(
        t.entity_id == "B" for t in marketing.booking_totals(mk, ["B"])
    )
    assert all(c.entity_id == "B" for c in marketing.campaigns(mk, ["B"]))
    assert all(li.entity_id == "B" for li in marketing.listings(mk, ["B"]))
    with pytest.raises(Forbidden):
        build(mk, "A", allowed={"B"})
    mine = build(mk, "all", allowed={"B"})
    assert "Alpha" not in json.dumps(mine.to_dict(), ensure_ascii=False)


def test_empty_month_and_email(mk: LedgerStore) -> None:
    scope = resolve_scope(mk, entity="all", period=202301)
    r = build_cmo(mk, scope, tz=LA)
    assert r.kpi("bookings").value == 0 and r.kpi("direct_share").value is None
    email = render_email(build(mk, "all"), demo=False)
    for k in build(mk, "all").kpis:
        assert k.label in email.html and format_value(k.value, k.unit) in email.html
    assert len(email.images) == 4
    assert "CMO report: Alpha, May 2026" in render_text(build(mk, "A"))


def test_demo_is_deterministic_and_deleted_with_entities(store: LedgerStore) -> None:
    from core.demo import seed_demo

    today = date(2026, 11, 24)
    seed_demo(store, months=14, today=today)
    first = build_cmo(store, resolve_scope(store, entity="all", period=202610), tz=LA)
    seed_demo(store, months=14, today=today, force=True)
    again = build_cmo(store, resolve_scope(store, entity="all", period=202610), tz=LA)
    assert [k.value for k in first.kpis] == [k.value for k in again.kpis]
    assert first.kpi("bookings").value and first.kpi("campaign_roi").value is not None
    months = {t.month for t in marketing.booking_totals(store, ["QuickDumpNow"])}
    assert min(months) == 202510 and max(months) == 202611
    store.delete_entities(["QuickDumpNow"])
    assert marketing.booking_totals(store, ["QuickDumpNow"]) == []


def test_cli_prints_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed-demo", "--months", "14"]) == 0
    capsys.readouterr()
    assert (
        main(["report", "cmo", "--entity", "all", "--period", "2026-01", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert (data["report"], data["period"]) == ("cmo", "2026-01")
    assert {k["id"] for k in data["kpis"]} == {d[0] for d in CMO_KPIS}
