"""The API on each ops store: API Gateway v2 events into lambda_handler, real stores."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.config import get_settings
from core.ops.factory import open_ops_store
from core.ops.store import OpsStore
from lambda_app.deps import deps
from lambda_app.handler import lambda_handler

SECRET = "test-secret-that-is-at-least-32-bytes-long!"


@dataclass
class Reply:
    """A decoded HTTP answer."""

    status: int
    body: Any


def api_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    token: str | None = None,
    ip: str = "198.51.100.7",
    query: dict[str, str] | None = None,
    raw: str | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    text = raw if raw is not None else (None if body is None else json.dumps(body))
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": headers,
        "queryStringParameters": query or None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "localhost",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": ip,
                "userAgent": "pytest",
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "time": "24/Nov/2026:12:00:00 +0000",
            "timeEpoch": 0,
        },
        "body": text,
        "isBase64Encoded": False,
    }


def call(method: str, path: str, **kwargs: Any) -> Reply:
    """Send one request through the Lambda handler."""
    out = lambda_handler(api_event(method, path, **kwargs), None)
    text = out.get("body") or ""
    return Reply(out["statusCode"], json.loads(text) if text else None)


@pytest.fixture(params=["sqlite", "dynamodb"])
def api(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Reply]]:
    """The handler wired to a fresh store of each backend, mail to a temp outbox."""
    monkeypatch.setenv("EXEC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JWT_SECRET", SECRET)
    monkeypatch.setenv("APP_URL", "https://crew.example.com")
    monkeypatch.delenv("MAIL_BACKEND", raising=False)
    if request.param == "dynamodb":
        endpoint = request.getfixturevalue("dynamodb_endpoint")
        monkeypatch.setenv("OPS_BACKEND", "dynamodb")
        monkeypatch.setenv("OPS_TABLE", f"api-{uuid.uuid4().hex[:8]}")
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
            monkeypatch.setenv(name, "us-east-1")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    else:
        monkeypatch.setenv("OPS_BACKEND", "sqlite")
    get_settings.cache_clear()
    deps.cache_clear()
    yield call
    get_settings.cache_clear()
    deps.cache_clear()


def ops_records() -> OpsStore:
    """The API's ops store opened on its own: the records behind what the routes show."""
    return open_ops_store(get_settings())


def sign_in_as(role: str, *, email: str | None = None, licence_days: int = 400) -> tuple[str, str]:
    """A user of ``role`` with a session token: (token, user id)."""
    d = deps()
    email = email or f"{role}-{uuid.uuid4().hex[:6]}@example.com"
    if role == "admin":
        code = d.access.admin_link(email).code
    else:
        admin = d.ops.find_user("root@example.com") or d.access.admin_link("root@example.com").user
        licence = (
            (datetime.now(UTC) + timedelta(days=licence_days)).date() if role == "captain" else None
        )
        code = d.access.invite(
            admin, email=email, name=role.title(), role=role, licence_expires=licence, send=False
        ).code
    reply = call("POST", "/api/auth/claim", body={"code": code})
    assert reply.status == 200, reply.body
    return reply.body["token"], reply.body["user"]["id"]


def outbox(tmp: Path) -> list[dict[str, Any]]:
    """What the outbox sender wrote."""
    index = tmp / "outbox" / "index.jsonl"
    return [json.loads(x) for x in index.read_text().splitlines()] if index.exists() else []
