"""Ops stores for the contract suite: embedded SQLite, and Amazon DynamoDB Local.

DynamoDB Local (installed by `make dynamodb-local`) is started once per test session on a
random free loopback port; each test gets its own table, so tests never see each other.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.ops.models import OpsUser
from core.ops.service import OpsService
from core.ops.store import OpsStore
from devtools.dynamodb_local import client

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


dynamodb_client = client


@pytest.fixture(params=["sqlite", "dynamodb"])
def ops_store(request: pytest.FixtureRequest, tmp_path: Path) -> OpsStore:
    """A fresh, initialized store of each backend."""
    if request.param == "sqlite":
        from core.ops.sqlite import SqliteOpsStore

        store: OpsStore = SqliteOpsStore(tmp_path / "ops.db")
    else:
        from core.ops.dynamodb import DynamoOpsStore

        endpoint = request.getfixturevalue("dynamodb_endpoint")
        store = DynamoOpsStore(f"ops-{uuid.uuid4().hex[:10]}", client=dynamodb_client(endpoint))
    store.init()
    return store


class Clock:
    """A settable clock for the service."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ops(ops_store: OpsStore, clock: Clock) -> OpsService:
    """The service over each backend, San Diego home port, a fixed clock."""
    return OpsService(ops_store, tz=LA, lat=32.7157, lon=-117.1611, clock=clock)


@pytest.fixture
def people(ops: OpsService) -> dict[str, OpsUser]:
    """An admin, two captains (one with an expired licence), two crew, a guest user."""
    return {
        "admin": ops.add_user(email="admin@example.com", name="Ada Admin", role="admin"),
        "cap": ops.add_user(
            email="cap@example.com",
            name="Cal Captain",
            role="captain",
            licence_expires=date(2027, 1, 1),
        ),
        "old_cap": ops.add_user(
            email="old@example.com",
            name="Olga Oldlicence",
            role="captain",
            licence_expires=date(2026, 6, 3),
        ),
        "crew1": ops.add_user(email="c1@example.com", name="Cora Crew", role="crew"),
        "crew2": ops.add_user(email="c2@example.com", name="Cy Crew", role="crew"),
        "guest": ops.add_user(email="g@example.com", name="Gail Guest", role="guest"),
    }


def trip(days: float = 5, hours: float = 18, duration: int = 180, **extra: Any) -> dict[str, Any]:
    """An event payload leaving ``days`` after NOW's date at ``hours`` local time."""
    day = (NOW + timedelta(days=days)).astimezone(LA).date()
    start = datetime(day.year, day.month, day.day, tzinfo=LA) + timedelta(hours=hours)
    return {
        "entity": "QueenofSanDiego",
        "title": "Sunset sail",
        "vessel": "JADA",
        "starts_at": start.isoformat(),
        "duration_minutes": duration,
        "slots": {"captain": 1, "crew": 2},
        "guests_max": 6,
        **extra,
    }
