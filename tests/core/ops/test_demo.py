"""The demo trips make sense at the home port in June and in December."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.ops.demo import seed_ops_demo
from core.ops.rules.events import EventView
from core.ops.service import OpsService
from core.ops.sqlite import SqliteOpsStore
from tests.core.ops.conftest import LA, Clock

SEEDS = [
    datetime(2026, 6, 14, 16, 0, tzinfo=UTC),  # around the longest day
    datetime(2026, 12, 14, 16, 0, tzinfo=UTC),  # around the shortest day
    datetime(2026, 3, 5, 16, 0, tzinfo=UTC),  # the week daylight saving time begins
    datetime(2026, 10, 28, 16, 0, tzinfo=UTC),  # the week it ends
]


def _seeded(tmp_path: Path, now: datetime) -> list[EventView]:
    store = SqliteOpsStore(tmp_path / "ops.db")
    store.init()
    ops = OpsService(store, tz=LA, lat=32.7157, lon=-117.1611, clock=Clock(now))
    assert seed_ops_demo(ops, now=now) == 5
    admin = store.find_user("owner@example.com")
    assert admin is not None
    events = ops.events(admin, now, now + timedelta(days=30))
    return [ops.view(admin, e.id) for e in events]


@pytest.mark.parametrize("now", SEEDS, ids=lambda d: d.strftime("%b"))
def test_sunset_sails_leave_before_sunset_and_return_around_dusk(
    tmp_path: Path, now: datetime
) -> None:
    views = [v for v in _seeded(tmp_path, now) if "sunset" in v.event.title.lower()]
    assert len(views) == 2
    for v in views:
        t = v.timing
        assert t.departure_at < t.sunset_at - timedelta(minutes=30), v.event.title
        assert abs(t.return_at - t.civil_dusk_at) <= timedelta(minutes=30), v.event.title
        assert not t.returns_after_dusk, v.event.title
    sail = next(v for v in views if v.event.title == "Sunset sail")
    lead = sail.timing.sunset_at - sail.timing.departure_at
    assert timedelta(minutes=90) <= lead < timedelta(minutes=105)


@pytest.mark.parametrize("now", SEEDS, ids=lambda d: d.strftime("%b"))
def test_day_trips_are_back_in_daylight_and_dinner_sees_the_sunset(
    tmp_path: Path, now: datetime
) -> None:
    by_title = {v.event.title: v.timing for v in _seeded(tmp_path, now)}
    for title in ("Whale watching", "Coronado day sail"):
        t = by_title[title]
        assert t.departure_at.hour >= 8, title
        assert t.return_at <= t.sunset_at - timedelta(minutes=30), title
    dinner = by_title["Anniversary dinner cruise"]
    assert dinner.departure_at < dinner.sunset_at < dinner.return_at
    assert dinner.returns_after_dusk  # dinner under the stars: the page warns about lights
