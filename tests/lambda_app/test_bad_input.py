"""Inputs that once broke the API (500s, some before sign-in), on both stores.

Each answer must be a 4xx with the JSON error body of the contract, never a 5xx.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, api_event, sign_in_as
from tests.lambda_app.test_api import trip

DEEP = "[" * 5000
HUGE_INT = "9" * 5000
PUBLIC_JSON_ROUTES = ("/api/auth/claim", "/api/auth/login-link")


def send(event: dict[str, Any]) -> Reply:
    """One raw event through the handler."""
    out = lambda_handler(event, None)
    text = out.get("body") or ""
    return Reply(out["statusCode"], json.loads(text) if text else None)


def binary_event(path: str, data: bytes, **kwargs: Any) -> dict[str, Any]:
    """A POST whose body API Gateway passes base64-encoded (it is not UTF-8 text)."""
    event = api_event("POST", path, **kwargs)
    event["body"] = base64.b64encode(data).decode()
    event["isBase64Encoded"] = True
    return event


@pytest.mark.parametrize("path", PUBLIC_JSON_ROUTES)
@pytest.mark.parametrize(
    "raw",
    [
        DEEP,
        HUGE_INT,
        '{"code": ' + HUGE_INT + "}",
        '{"email": NaN}',
        '{"code": Infinity}',
        "[-Infinity]",
    ],
    ids=["deep", "huge-int", "huge-int-field", "nan", "infinity", "minus-infinity"],
)
def test_bad_json_is_a_400(api: Callable[..., Reply], path: str, raw: str) -> None:
    reply = api("POST", path, raw=raw)
    assert reply.status == 400, reply
    assert reply.body["error"] == "bad_request" and reply.body["message"]


@pytest.mark.parametrize("path", PUBLIC_JSON_ROUTES)
@pytest.mark.parametrize(
    "data", [b"\xff\xfe{", b'{"code": "\xe9"}', b"\x80" * 100], ids=["bom", "latin1", "cont"]
)
def test_bodies_that_are_not_utf8_are_a_400(
    api: Callable[..., Reply], path: str, data: bytes
) -> None:
    reply = send(binary_event(path, data))
    assert reply.status == 400 and reply.body["error"] == "bad_request", reply


def test_a_body_that_is_not_base64_is_a_400(api: Callable[..., Reply]) -> None:
    event = binary_event("/api/auth/claim", b"")
    event["body"] = "%%% not base64 %%%"
    reply = send(event)
    assert reply.status == 400 and reply.body["error"] == "bad_request", reply


def test_bad_json_from_a_signed_in_admin_is_a_400(api: Callable[..., Reply]) -> None:
    admin, _ = sign_in_as("admin")
    for raw in (DEEP, HUGE_INT, '{"title": NaN}'):
        reply = api("POST", "/api/events", token=admin, raw=raw)
        assert reply.status == 400 and reply.body["error"] == "bad_request", reply


@pytest.mark.parametrize("signature", ["v1=\xe9", "t=1,v1=\xe9\xe9", "t=\u0661,v1=ab", "v1=\ud800"])
def test_odd_stripe_signatures_are_a_400(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch, signature: str
) -> None:
    with_webhook_secret(monkeypatch)
    event = api_event("POST", "/api/stripe/webhook", raw='{"id": "evt_1"}')
    event["headers"]["stripe-signature"] = signature
    reply = send(event)
    assert reply.status == 400 and reply.body["error"] == "bad_request", reply


def with_webhook_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Configure a Stripe webhook secret (the api fixture clears the caches afterwards)."""
    from core.config import get_settings
    from lambda_app.deps import deps

    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_test_secret")
    get_settings.cache_clear()
    deps.cache_clear()


@pytest.mark.parametrize("role", ["admin", "captain", "crew", "guest"])
@pytest.mark.parametrize(
    "query",
    [
        {"to": "9999-12-31T23:59:59-12:00"},
        {"from": "0001-01-01T00:00:00+14:00"},
        {"from": "1999-12-31T23:59:59+00:00"},
        {"to": "2101-01-01T00:00:00+00:00"},
        {"from": "2026-01-01T00:00:00"},
        {"to": "not a time"},
    ],
    ids=["to-9999", "from-0001", "from-1999", "to-2101", "naive", "garbage"],
)
def test_event_list_times_out_of_range_are_a_422(
    api: Callable[..., Reply], role: str, query: dict[str, str]
) -> None:
    token, _ = sign_in_as(role)
    reply = api("GET", "/api/events", token=token, query=query)
    assert reply.status == 422, reply
    assert reply.body["error"] == "invalid" and set(reply.body["fields"]) == set(query)


def test_times_at_the_edges_of_the_range_work(api: Callable[..., Reply]) -> None:
    admin, _ = sign_in_as("admin")
    crew, _ = sign_in_as("crew")
    near = api("POST", "/api/events", token=admin, body=trip()).body["id"]
    last = api(
        "POST",
        "/api/events",
        token=admin,
        body=trip(starts_at="2100-12-31T23:00:00-12:00", duration_minutes=14 * 24 * 60),
    )
    assert last.status == 201, last
    first = api("POST", "/api/events", token=admin, body=trip(starts_at="2000-01-01T00:00+14:00"))
    assert first.status == 201, first
    assert api("GET", f"/api/events/{last.body['id']}", token=crew).status == 200
    query = {"from": "2000-01-01T00:00:00+14:00", "to": "2100-12-31T23:59:59-12:00"}
    listed = api("GET", "/api/events", token=crew, query=query)
    assert listed.status == 200
    assert [e["id"] for e in listed.body["events"]] == [first.body["id"], near, last.body["id"]]


@pytest.mark.parametrize(
    "starts_at",
    ["9999-12-31T23:00Z", "0001-01-01T00:30+14:00", "2101-01-01T00:00Z", "1999-06-01T10:00Z"],
)
def test_event_start_out_of_range_is_a_422(api: Callable[..., Reply], starts_at: str) -> None:
    admin, _ = sign_in_as("admin")
    reply = api("POST", "/api/events", token=admin, body=trip(starts_at=starts_at))
    assert reply.status == 422, reply
    assert reply.body["error"] == "invalid" and list(reply.body["fields"]) == ["starts_at"]
    eid = api("POST", "/api/events", token=admin, body=trip()).body["id"]
    patched = api("PATCH", f"/api/events/{eid}", token=admin, body={"starts_at": starts_at})
    assert patched.status == 422 and "starts_at" in patched.body["fields"], patched


def test_bad_tokens_get_one_generic_message(api: Callable[..., Reply]) -> None:
    answers = {
        api("GET", "/api/me", token=token).body["message"]
        for token in ("not.a.token", "x", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "\u00e9" * 50)
    }
    assert len(answers) == 1
    (message,) = answers
    assert "pyjwt" not in message.lower() and "segment" not in message.lower()


def test_an_unexpected_error_is_a_json_500_without_detail(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret detail: db password is hunter2")

    token, _ = sign_in_as("crew")
    monkeypatch.setattr("lambda_app.routes.events.OpsService.events", explode)
    with caplog.at_level(logging.ERROR):
        reply = api("GET", "/api/events", token=token)
    assert reply.status == 500
    assert reply.body["error"] == "internal" and set(reply.body) == {"error", "message"}
    assert "hunter2" not in json.dumps(reply.body)
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "hunter2" in str(logged[-1].exc_info[1])  # the cause, with its traceback


@pytest.mark.parametrize("param", ["x" * 3000, "\U0001f600" * 700, "%F0%9F%98%80" * 700])
def test_ids_too_long_to_exist_are_a_404(api: Callable[..., Reply], param: str) -> None:
    admin, _ = sign_in_as("admin")
    eid = api("POST", "/api/events", token=admin, body=trip()).body["id"]
    for path in (
        f"/api/events/{param}",
        f"/api/events/{eid}/guests/{param}/check-in",
        f"/api/events/{eid}/checklist/{param}",
    ):
        method = "PUT" if "checklist" in path else "POST" if "check-in" in path else "GET"
        reply = api(method, path, token=admin, body={"done": True})
        assert reply.status == 404 and reply.body["error"] == "not_found", (path[:40], reply)


def test_a_range_the_wrong_way_round_is_empty(api: Callable[..., Reply]) -> None:
    admin, _ = sign_in_as("admin")
    api("POST", "/api/events", token=admin, body=trip())
    query = {"from": "2030-01-01T00:00:00+00:00", "to": "2020-01-01T00:00:00+00:00"}
    reply = api("GET", "/api/events", token=admin, query=query)
    assert reply.status == 200 and reply.body == {"events": []}


def test_text_too_long_to_be_a_key_is_a_422(api: Callable[..., Reply]) -> None:
    admin, _ = sign_in_as("admin")
    eid = api("POST", "/api/events", token=admin, body=trip()).body["id"]
    long_email = "a" * 2000 + "@example.com"
    guest = api(
        "POST", f"/api/events/{eid}/guests", token=admin, body={"email": long_email, "name": "G"}
    )
    assert guest.status == 422 and "email" in guest.body["fields"], guest
    invite = {"email": long_email, "name": "N", "role": "crew"}
    assert api("POST", "/api/auth/invite", token=admin, body=invite).status == 422
    by_event = {"email": "n@example.com", "name": "N", "role": "guest", "event_id": "e" * 3000}
    reply = api("POST", "/api/auth/invite", token=admin, body=by_event)
    assert reply.status == 422 and "event_id" in reply.body["fields"], reply


def test_a_signed_webhook_with_an_odd_event_is_a_400(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from core.sources.stripe_webhook import sign

    with_webhook_secret(monkeypatch)
    for payload in (
        {"id": "evt_" + "x" * 3000},
        {"id": ""},
        {"id": 12},
    ):
        raw = json.dumps(payload)
        event = api_event("POST", "/api/stripe/webhook", raw=raw)
        event["headers"]["stripe-signature"] = sign(
            raw.encode(), "whsec_test_secret", int(time.time())
        )
        reply = send(event)
        assert reply.status == 400 and reply.body["error"] == "bad_request", reply
    raw = json.dumps({"id": "evt_far", "created": 10**20, "type": "x"})
    event = api_event("POST", "/api/stripe/webhook", raw=raw)
    event["headers"]["stripe-signature"] = sign(raw.encode(), "whsec_test_secret", int(time.time()))
    assert send(event).status == 200  # a created time out of range is ignored, not fatal


def test_a_store_failure_is_a_503_without_driver_detail(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from core.errors import Unavailable

    token, _ = sign_in_as("crew")

    def down(*_args: Any, **_kwargs: Any) -> None:
        try:
            raise OSError("table exec-ops-secret-name: key too large for index GSI1")
        except OSError as exc:
            raise Unavailable(f"DynamoDB query failed: {exc}") from exc

    monkeypatch.setattr("lambda_app.routes.events.OpsService.events", down)
    reply = api("GET", "/api/events", token=token)
    assert reply.status == 503 and reply.body["error"] == "unavailable"
    assert "exec-ops" not in reply.body["message"] and "GSI1" not in reply.body["message"]
    assert any("GSI1" in r.getMessage() for r in caplog.records)  # the log has the detail


def test_a_failure_outside_any_route_is_still_a_json_500(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from lambda_app.handler import app

    def broken(*_args: Any) -> dict[str, Any]:
        raise KeyError("requestContext")  # e.g. an event the resolver cannot read

    monkeypatch.setattr(app, "resolve", broken)
    reply = api("GET", "/api/health")
    assert reply.status == 500 and reply.body["error"] == "internal"
    # the API logs through its Powertools Logger, named after its service
    assert any(r.exc_info for r in caplog.records if r.name == "api")
