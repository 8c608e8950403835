"""The since-yesterday strip: cash moved, new bookings, new uncategorized lines, trips ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.ledger.models_marketing import ChannelBooking, MarketingChannel
from core.ledger.store import LedgerStore
from core.marketing import store as marketing
from core.ops.service import OpsService
from core.ops.sqlite import SqliteOpsStore
from core.reports.ceo import build_ceo
from core.reports.scope import resolve_scope
from tests.conftest import BANK, entry

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 12, 1, 20, tzinfo=UTC)  # noon on 1 Dec in Los Angeles
YESTERDAY, TODAY = date(2026, 11, 30), date(2026, 12, 1)


@pytest.fixture
def books(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    store.post(
        [
            entry("A", date(2026, 11, 29), "sale", (BANK, 1000), ("Income:Sales", -1000)),
            entry("A", YESTERDAY, "sale", (BANK, 200), ("Income:Sales", -200)),
            entry("A", TODAY, "rent", ("Expenses:Rent", 50), (BANK, -50)),
            entry("A", TODAY, "mystery", ("Expenses:Uncategorized", 15), (BANK, -15)),
            entry(
                "A", date(2026, 11, 20), "old mystery", ("Expenses:Uncategorized", 9), (BANK, -9)
            ),
            entry("B", TODAY, "sale", (BANK, 30), ("Income:Sales", -30)),
            # A pays B: within the consolidated books nothing left the portfolio
            entry("A", TODAY, "to B", ("Expenses:Fees", 100), (BANK, -100), intercompany=True),
            entry("B", TODAY, "from A", (BANK, 100), ("Income:Fees", -100), intercompany=True),
        ]
    )
    marketing.save_channels(store, [MarketingChannel(id="direct", name="Direct", kind="direct")])
    booked = [("A", date(2026, 11, 28)), ("A", YESTERDAY), ("A", TODAY), ("B", TODAY)]
    marketing.add_rows(
        store,
        ChannelBooking,
        [
            {
                "entity_id": e,
                "channel_id": "direct",
                "booked_on": d,
                "month": d.year * 100 + d.month,
                "value_cents": 100_00,
            }
            for e, d in booked
        ],
    )
    return store


def _ops(tmp_path: Path) -> OpsService:
    store = SqliteOpsStore(tmp_path / "ops.db")
    store.init()
    ops = OpsService(store, tz=LA, lat=32.7, lon=-117.2)
    admin = ops.add_user(email="admin@example.com", name="Admin", role="admin")
    for days, ent in ((2, "A"), (6, "A"), (3, "B"), (9, "A")):
        ops.create_event(
            admin,
            {
                "entity": ent,
                "title": f"Trip in {days} days",
                "starts_at": (NOW + timedelta(days=days)).isoformat(),
                "duration_minutes": 120,
                "slots": {"captain": 1},
                "guests_max": 4,
            },
        )
    return ops


def test_the_strip_of_one_entity(books: LedgerStore, tmp_path: Path) -> None:
    # the 1st of the month: yesterday is in November, and still counts
    scope = resolve_scope(books, entity="A", period=202612)
    report = build_ceo(books, scope, tz=LA, now=NOW, ops=_ops(tmp_path))
    strip = {m.id: m for m in report.since_yesterday}
    assert list(strip) == ["cash_moved", "new_bookings", "new_uncategorized", "trips_next_7_days"]
    assert strip["cash_moved"].value == 200 - 50 - 15 - 100  # B's sale and the 29th left out
    assert strip["new_bookings"].value == 2.0
    assert strip["new_uncategorized"].value == 1.0
    assert strip["trips_next_7_days"].value == 2.0  # A's trips in 2 and 6 days, not 9
    # each links to where it is seen, for the same entity and today's month
    assert strip["new_uncategorized"].link == "/accounting?entity=A&period=2026-12"
    assert strip["new_bookings"].link == "/cmo?entity=A&period=2026-12"
    assert strip["trips_next_7_days"].link == "/operations?entity=A&period=2026-12"
    assert strip["cash_moved"].link == "/cfo?entity=A&period=2026-12"


def test_the_consolidated_strip_drops_intercompany(books: LedgerStore) -> None:
    report = build_ceo(books, resolve_scope(books, entity="all", period=202612), tz=LA, now=NOW)
    strip = {m.id: m for m in report.since_yesterday}
    assert strip["cash_moved"].value == 200 - 50 - 15 + 30  # A to B is not cash moved
    assert strip["new_bookings"].value == 3.0
    assert "trips_next_7_days" not in strip  # no ops service: no trips figure
    assert strip["cash_moved"].link == "/cfo?entity=all&period=2026-12"


def test_a_completed_month_has_no_strip(books: LedgerStore) -> None:
    report = build_ceo(books, resolve_scope(books, entity="A", period=202611), tz=LA, now=NOW)
    assert report.since_yesterday == []
