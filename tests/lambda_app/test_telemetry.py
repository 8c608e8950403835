"""The API's JSON log lines and EMF metrics, captured from stdout and parsed (Powertools
Logger and Metrics write there; CloudWatch Logs turns the EMF lines into metrics)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lambda_app.handler import lambda_handler
from tests.lambda_app import test_stripe_webhook as webhooks
from tests.lambda_app.conftest import Reply, api_event, outbox, sign_in_as
from tests.lambda_app.test_api import trip

SQLITE = pytest.mark.parametrize("api", ["sqlite"], indirect=True)
hook = webhooks.hook  # the signed-delivery fixture


def lines(out: str) -> list[dict[str, Any]]:
    """Every JSON object printed (log lines and EMF documents)."""
    found = []
    for text in out.splitlines():
        try:
            found.append(json.loads(text))
        except ValueError:
            continue
    return [x for x in found if isinstance(x, dict)]


def logs(out: str) -> list[dict[str, Any]]:
    """The Powertools log lines."""
    return [x for x in lines(out) if "level" in x and "message" in x]


def requests(out: str) -> list[dict[str, Any]]:
    """The one-per-request log lines."""
    return [x for x in logs(out) if x["message"] == "request"]


def metrics(out: str, service: str = "api") -> dict[str, float]:
    """EMF counters summed per name over every document of ``service``."""
    totals: dict[str, float] = {}
    for doc in lines(out):
        if "_aws" not in doc or doc.get("service") != service:
            continue
        (directive,) = doc["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == "ExecPlatform" and directive["Dimensions"] == [["service"]]
        for metric in directive["Metrics"]:
            value = doc[metric["Name"]]
            totals[metric["Name"]] = totals.get(metric["Name"], 0) + sum(
                value if isinstance(value, list) else [value]
            )
    return totals


@SQLITE
def test_one_json_line_per_request_with_route_status_duration_and_who(
    api: Callable[..., Reply], capsys: pytest.CaptureFixture[str]
) -> None:
    token, uid = sign_in_as("crew", email="cora@example.com")
    capsys.readouterr()
    event = api_event("GET", "/api/events/ev-123", token=token)
    assert lambda_handler(event, None)["statusCode"] == 404
    assert api("GET", "/api/health").status == 200
    (first, health) = requests(capsys.readouterr().out)
    assert first["route"] == "GET /api/events/<event_id>" and first["status"] == 404
    assert first["correlation_id"] == event["requestContext"]["requestId"]
    assert first["user_id"] == uid and first["role"] == "crew"
    assert first["service"] == "api" and first["duration_ms"] >= 0
    assert "ev-123" not in json.dumps(first)  # the route's pattern, not the path
    assert health["route"] == "GET /api/health" and "user_id" not in health
    no_route = lambda_handler(api_event("GET", "/api/nothing/here", token=token), None)
    assert no_route["statusCode"] == 404
    assert requests(capsys.readouterr().out)[0]["route"] == "(no route)"


@SQLITE
def test_claims_won_conflict_refused_and_failed_are_counted(
    api: Callable[..., Reply], capsys: pytest.CaptureFixture[str]
) -> None:
    admin, _ = sign_in_as("admin")
    crew, _ = sign_in_as("crew")
    other, _ = sign_in_as("crew")
    guest, _ = sign_in_as("guest")
    eid = api("POST", "/api/events", token=admin, body=trip(slots={"captain": 0, "crew": 1})).body[
        "id"
    ]
    capsys.readouterr()

    def claim(token: str, event_id: str = eid) -> int:
        return api(
            "POST", f"/api/events/{event_id}/claims", token=token, body={"role": "crew"}
        ).status

    assert [claim(crew), claim(other), claim(guest), claim(crew, "nope")] == [201, 409, 403, 404]
    counted = metrics(capsys.readouterr().out)
    assert counted["ClaimsWon"] == 1 and counted["ClaimsConflict"] == 1
    assert counted["ClaimsRefused"] == 1 and counted["ClaimsFailed"] == 1


@SQLITE
def test_failed_code_claims_429s_login_links_and_emails_are_counted(
    api: Callable[..., Reply], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sign_in_as("crew", email="known@example.com")
    capsys.readouterr()
    assert api("POST", "/api/auth/login-link", body={"email": "known@example.com"}).status == 202
    assert api("POST", "/api/auth/login-link", body={"email": "nobody@example.com"}).status == 202
    statuses = [
        api("POST", "/api/auth/claim", body={"code": f"WRONG{i}XYZ"}, ip="203.0.113.9").status
        for i in range(7)
    ]
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429
    counted = metrics(capsys.readouterr().out)
    assert counted["LoginLinksSent"] == 1 and counted["EmailsSent"] == 1
    assert len(outbox(tmp_path)) == 1
    assert counted["CodeClaimsFailed"] == 7 and counted["RateLimited"] == statuses.count(429)


@SQLITE
def test_an_unexpected_error_is_logged_with_its_stack_trace(
    api: Callable[..., Reply], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token, _ = sign_in_as("crew")
    from core.ops.service import OpsService

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the disk fell off")

    monkeypatch.setattr(OpsService, "upcoming", broken)
    capsys.readouterr()
    assert api("GET", "/api/events", token=token).status == 500
    out = logs(capsys.readouterr().out)
    (error,) = [x for x in out if x["level"] == "ERROR"]
    assert error["exception_name"] == "RuntimeError"
    assert "Traceback" in error["exception"] and "the disk fell off" in error["exception"]
    assert "in broken" in error["exception"]  # the frame that raised
    assert [x["status"] for x in out if x["message"] == "request"] == [500]


@SQLITE
def test_a_nudge_run_logs_one_line_and_counts_what_it_sent_and_skipped(
    api: Callable[..., Reply], capsys: pytest.CaptureFixture[str]
) -> None:
    admin, _ = sign_in_as("admin")
    api("POST", "/api/events", token=admin, body=trip(days=1))
    schedule = {
        "source": "aws.events",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/ptb_nudge"],
    }
    capsys.readouterr()
    first = lambda_handler(schedule, None)
    again = lambda_handler(schedule, None)
    assert first["nudges"] > 0 and again == {"nudges": 0, "skipped": first["nudges"], "failed": 0}
    out = capsys.readouterr().out
    runs = [x for x in logs(out) if x["message"] == "nudge run"]
    assert [(r["nudges_sent"], r["nudges_skipped"]) for r in runs] == [
        (first["nudges"], 0),
        (0, first["nudges"]),
    ]
    counted = metrics(out)
    assert counted["NudgesSent"] == first["nudges"] and counted["EmailsSent"] >= first["nudges"]


@SQLITE
def test_webhook_events_new_duplicate_and_bad_signature_are_counted(
    hook: Callable[..., Reply], capsys: pytest.CaptureFixture[str]
) -> None:
    payload = webhooks._event("evt_metrics")
    capsys.readouterr()
    assert hook(payload, webhooks._signed(payload)).status == 200
    assert hook(payload, webhooks._signed(payload)).status == 200
    assert hook(payload, "t=1,v1=" + "0" * 64).status == 400
    counted = metrics(capsys.readouterr().out)
    assert counted["WebhookEventsNew"] == 1 and counted["WebhookEventsDuplicate"] == 1
    assert counted["WebhookBadSignature"] == 1
