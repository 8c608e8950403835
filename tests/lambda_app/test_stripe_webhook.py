"""POST /api/stripe/webhook through the Lambda handler, on each ops store."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.config import get_settings
from lambda_app.deps import deps
from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, api_event

SECRET = "whsec_" + "local" * 7


@pytest.fixture
def hook(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Reply]]:
    """Send a webhook delivery with the given signature header to the handler."""
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    get_settings.cache_clear()
    deps.cache_clear()

    def send(payload: bytes, header: str | None, *, b64: bool = False) -> Reply:
        event = api_event("POST", "/api/stripe/webhook")
        event["body"] = base64.b64encode(payload).decode() if b64 else payload.decode()
        event["isBase64Encoded"] = b64
        if header is not None:
            event["headers"]["stripe-signature"] = header
        out = lambda_handler(event, None)
        return Reply(out["statusCode"], json.loads(out["body"]) if out.get("body") else None)

    yield send


def _event(event_id: str, **extra: Any) -> bytes:
    body = {
        "id": event_id,
        "object": "event",
        "type": "payout.paid",
        "created": int(time.time()),
        "data": {"object": {"id": "po_1", "object": "payout"}},
        **extra,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _signed(payload: bytes, at: float | None = None) -> str:
    from core.sources.stripe_webhook import sign

    return sign(payload, SECRET, int(at if at is not None else time.time()))


def test_a_signed_event_is_kept_once(hook: Callable[..., Reply]) -> None:
    payload = _event("evt_a")
    first = hook(payload, _signed(payload))
    assert (first.status, first.body["duplicate"]) == (200, False)
    again = hook(payload, _signed(payload))  # Stripe retries the same event
    assert (again.status, again.body["duplicate"]) == (200, True)
    kept = deps().inbound.inbound_events("stripe", datetime.now(UTC) - timedelta(minutes=5))
    assert [(e.id, e.type, e.object_id) for e in kept] == [("evt_a", "payout.paid", "po_1")]


def test_base64_bodies_are_verified_over_their_raw_bytes(hook: Callable[..., Reply]) -> None:
    payload = _event("evt_b", note="caf\u00e9")
    assert hook(payload, _signed(payload), b64=True).status == 200


def test_bad_signatures_are_400_and_keep_nothing(hook: Callable[..., Reply]) -> None:
    payload = _event("evt_c")
    stale = hook(payload, _signed(payload, time.time() - 600))
    forged = hook(payload, _signed(payload).replace("v1=", "v1=ff"))
    missing = hook(payload, None)
    for reply in (stale, forged, missing):
        assert reply.status == 400 and reply.body["error"] == "bad_request"
    assert deps().inbound.inbound_events("stripe", datetime.now(UTC) - timedelta(hours=1)) == []


def test_no_jwt_is_needed_but_other_routes_still_want_one(hook: Callable[..., Reply]) -> None:
    payload = _event("evt_d")
    assert hook(payload, _signed(payload)).status == 200
    out = lambda_handler(api_event("GET", "/api/events"), None)
    assert out["statusCode"] == 401


def test_unconfigured_webhooks_answer_503(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    get_settings.cache_clear()
    deps.cache_clear()
    reply = api("POST", "/api/stripe/webhook", raw="{}")
    assert reply.status == 503


def test_the_secret_can_come_from_secrets_manager(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch, moto_endpoint: str
) -> None:
    from lambda_app import http
    from tests.conftest import aws

    arn = aws("secretsmanager", moto_endpoint).create_secret(
        Name=f"webhook-{time.time_ns()}", SecretString=SECRET
    )["ARN"]
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET_ARN", arn)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto_endpoint)
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    get_settings.cache_clear()
    deps.cache_clear()
    http.secret_reader.cache_clear()
    payload = _event("evt_arn")
    event = api_event("POST", "/api/stripe/webhook")
    event["body"] = payload.decode()
    event["headers"]["stripe-signature"] = _signed(payload)
    out = lambda_handler(event, None)
    assert out["statusCode"] == 200, out
    event["headers"]["stripe-signature"] = _signed(payload).replace("v1=", "v1=0")
    assert lambda_handler(event, None)["statusCode"] == 400
    http.secret_reader.cache_clear()
