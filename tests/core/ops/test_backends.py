"""Backend specifics: ops-init, TTL-expired items ignored, import isolation, timing facts."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from core.cli import main
from core.ops.dynamodb import DynamoOpsStore
from core.ops.sqlite import SqliteOpsStore
from core.ops.timing import trip_timing
from tests.core.ops.conftest import LA, dynamodb_client


def test_ops_init_is_idempotent_on_sqlite(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ops-init"]) == 0
    assert main(["ops-init"]) == 0
    assert "ops store ready (sqlite" in capsys.readouterr().out
    assert SqliteOpsStore(data_dir / "ops.db").list_users() == []


def test_ops_init_creates_the_dynamodb_table_with_gsi_and_ttl(
    dynamodb_endpoint: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = f"init-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("OPS_BACKEND", "dynamodb")
    monkeypatch.setenv("OPS_TABLE", table)
    monkeypatch.setenv("AWS_ENDPOINT_URL", dynamodb_endpoint)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    assert main(["ops-init"]) == 0
    assert main(["ops-init"]) == 0  # safe to run again
    client = dynamodb_client(dynamodb_endpoint)
    desc = client.describe_table(TableName=table)["Table"]
    assert {k["AttributeName"] for k in desc["KeySchema"]} == {"PK", "SK"}
    assert [g["IndexName"] for g in desc["GlobalSecondaryIndexes"]] == ["GSI1"]
    ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"


def test_expired_items_are_ignored_on_read(dynamodb_endpoint: str) -> None:
    client = dynamodb_client(dynamodb_endpoint)
    store = DynamoOpsStore(f"ttl-{uuid.uuid4().hex[:8]}", client=client)
    store.init()
    past, future = int(time.time()) - 60, int(time.time()) + 3600
    for email, expires in (("gone@example.com", past), ("here@example.com", future)):
        client.put_item(
            TableName=store.table,
            Item={
                "PK": {"S": f"EMAIL#{email}"},
                "SK": {"S": "USER"},
                "user_id": {"S": "u-" + email},
                "expires_at": {"N": str(expires)},
            },
        )
    assert store._get("EMAIL#gone@example.com", "USER") is None
    assert store._get("EMAIL#here@example.com", "USER") is not None


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [("core.ops.sqlite", "boto3"), ("core.ops.dynamodb", "sqlite3"), ("core.ops.service", "boto3")],
)
def test_importing_one_backend_never_imports_the_other(module: str, forbidden: str) -> None:
    code = f"import sys, {module}; print({forbidden!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_timing_matches_the_almanac_for_san_diego() -> None:
    summer = trip_timing(
        datetime(2026, 6, 21, 18, 0, tzinfo=LA), 150, tz=LA, lat=32.7157, lon=-117.1611
    )
    assert summer.sunset_at.isoformat() == "2026-06-21T19:59:32-07:00"
    assert summer.civil_dusk_at.isoformat() == "2026-06-21T20:28:42-07:00"
    assert summer.returns_after_dusk is True  # back at 20:30
    winter = trip_timing(
        datetime(2026, 12, 21, 14, 0, tzinfo=LA), 120, tz=LA, lat=32.7157, lon=-117.1611
    )
    assert winter.sunset_at.isoformat() == "2026-12-21T16:46:33-08:00"
    assert winter.returns_after_dusk is False
    assert winter.to_dict()["boarding_at"] == "2026-12-21T13:30:00-08:00"
