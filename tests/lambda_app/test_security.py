"""The API's security, on both stores: roles x routes, tokens, codes, limits, bad bodies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from core.ops_access.tokens import AUDIENCE, ISSUER
from tests.lambda_app.conftest import SECRET, Reply, sign_in_as
from tests.lambda_app.test_api import trip

ROLES = ("admin", "captain", "crew", "guest", "anonymous")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_role_matrix(api: Callable[..., Reply]) -> None:
    tokens = {r: sign_in_as(r)[0] for r in ROLES if r != "anonymous"}
    tokens["anonymous"] = None  # type: ignore[assignment]
    admin = tokens["admin"]
    eid = api("POST", "/api/events", token=admin, body=trip()).body["id"]
    guest_row = api(
        "POST",
        f"/api/events/{eid}/guests",
        token=admin,
        body={"email": "x@example.com", "name": "X"},
    ).body["id"]
    # route -> expected status per role (admin, captain, crew, guest, anonymous); the guest
    # is on no event here, so event routes that need no role first answer 404 (the event's
    # existence stays private), as GET /api/events/{id} does
    matrix: list[tuple[str, str, dict | None, tuple[int, ...]]] = [
        ("GET", "/api/me", None, (200, 200, 200, 200, 401)),
        ("GET", "/api/events", None, (200, 200, 200, 200, 401)),
        ("POST", "/api/events", trip(), (201, 403, 403, 403, 401)),
        ("GET", f"/api/events/{eid}", None, (200, 200, 200, 404, 401)),
        ("PATCH", f"/api/events/{eid}", {"title": "T"}, (200, 403, 403, 403, 401)),
        ("GET", f"/api/events/{eid}/checklist", None, (200, 403, 403, 404, 401)),
        (
            "PUT",
            f"/api/events/{eid}/checklist/underway-1",
            {"done": True},
            (200, 403, 403, 404, 401),
        ),
        ("GET", f"/api/events/{eid}/manifest", None, (200, 403, 403, 404, 401)),
        (
            "POST",
            f"/api/events/{eid}/guests",
            {"email": "y@example.com", "name": "Y"},
            (201, 403, 403, 403, 401),
        ),
        ("POST", f"/api/events/{eid}/guests/{guest_row}/check-in", None, (409, 403, 403, 404, 401)),
        ("POST", f"/api/events/{eid}/guests/{guest_row}/resend", None, (202, 403, 403, 403, 401)),
        ("POST", f"/api/events/{eid}/waiver", {}, (403, 403, 403, 404, 401)),
        ("DELETE", f"/api/events/{eid}/claims/someone", None, (404, 403, 403, 403, 401)),
        (
            "POST",
            "/api/auth/invite",
            {"email": "n@example.com", "name": "N", "role": "crew"},
            (201, 403, 403, 403, 401),
        ),
    ]
    failures = []
    for method, path, body, expected in matrix:
        for role, want in zip(ROLES, expected, strict=True):
            got = api(method, path, token=tokens[role], body=body)
            if got.status != want:
                failures.append(f"{role} {method} {path}: {got.status} != {want} {got.body}")
    assert failures == []
    claims = {
        r: api("POST", f"/api/events/{eid}/claims", token=tokens[r], body={"role": "crew"})
        for r in ("admin", "guest", "anonymous")
    }
    assert {r: c.status for r, c in claims.items()} == {
        "admin": 403,
        "guest": 403,
        "anonymous": 401,
    }


@pytest.mark.parametrize(
    "kind", ["forged", "none", "expired", "audience", "issuer", "garbage", "hs512"]
)
def test_bad_tokens_are_refused(api: Callable[..., Reply], kind: str) -> None:
    _, uid = sign_in_as("admin")
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": uid,
        "role": "admin",
        "ver": 0,
        "iat": now,
        "exp": now + 3600,
    }
    if kind == "forged":
        token = jwt.encode(claims, "another-secret-that-is-32-bytes-long!!", algorithm="HS256")
    elif kind == "none":
        head = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        token = f"{head}.{b64(json.dumps(claims).encode())}."
    elif kind == "expired":
        token = jwt.encode(
            {**claims, "iat": now - 7200, "exp": now - 3600}, SECRET, algorithm="HS256"
        )
    elif kind == "audience":
        token = jwt.encode({**claims, "aud": "someone-else"}, SECRET, algorithm="HS256")
    elif kind == "issuer":
        token = jwt.encode({**claims, "iss": "evil"}, SECRET, algorithm="HS256")
    elif kind == "hs512":
        head = b64(json.dumps({"alg": "HS512", "typ": "JWT"}).encode())
        body = b64(json.dumps(claims).encode())
        sig = hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha512).digest()
        token = f"{head}.{body}.{b64(sig)}"
    else:
        token = "not.a.token"
    reply = api("GET", "/api/me", token=token)
    assert reply.status == 401 and reply.body["error"] == "unauthorized"


def test_a_valid_token_of_the_right_shape_works(api: Callable[..., Reply]) -> None:
    _, uid = sign_in_as("crew")
    now = int(time.time())
    good = jwt.encode(
        {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": uid,
            "role": "crew",
            "ver": 0,
            "iat": now,
            "exp": now + 60,
        },
        SECRET,
        algorithm="HS256",
    )
    assert api("GET", "/api/me", token=good).status == 200


def test_codes_are_single_use_and_five_failures_lock_an_address(api: Callable[..., Reply]) -> None:
    from lambda_app.deps import deps

    admin = deps().access.admin_link("boss@example.com")
    assert api("POST", "/api/auth/claim", body={"code": admin.code}).status == 200
    assert api("POST", "/api/auth/claim", body={"code": admin.code}).status == 401
    fresh = deps().access.admin_link("boss@example.com").code
    for _ in range(4):  # with the reuse above: five failures from this address
        assert api("POST", "/api/auth/claim", body={"code": "WRONGCODE2"}).status == 401
    locked = api("POST", "/api/auth/claim", body={"code": fresh})
    assert locked.status == 429 and locked.body["error"] == "rate_limited"
    other = api("POST", "/api/auth/claim", body={"code": fresh}, ip="203.0.113.9")
    assert other.status == 200  # another address is not locked out


def test_login_links_are_rate_limited_per_email(api: Callable[..., Reply], tmp_path: Path) -> None:
    from tests.lambda_app.conftest import outbox

    sign_in_as("crew", email="spam@example.com")
    for _ in range(6):
        assert api("POST", "/api/auth/login-link", body={"email": "spam@example.com"}).status == 202
    assert len([m for m in outbox(tmp_path) if m["to"] == ["spam@example.com"]]) == 3


def test_expired_codes_do_not_work(api: Callable[..., Reply]) -> None:
    from core.ops.login_codes import LoginCode
    from core.ops_access.codes import code_hash
    from lambda_app.deps import deps

    _, uid = sign_in_as("crew")
    old = datetime.now(UTC) - timedelta(seconds=1)
    deps().access.codes.put_code(LoginCode(code_hash("OLDCODE234"), uid, "login", old))
    assert api("POST", "/api/auth/claim", body={"code": "OLDCODE234"}).status == 401


def test_bodies_and_routes(api: Callable[..., Reply]) -> None:
    admin, _ = sign_in_as("admin")
    huge = api("POST", "/api/events", token=admin, raw='{"title": "' + "x" * (65 * 1024) + '"}')
    assert huge.status == 413 and huge.body["error"] == "too_large"
    bad = api("POST", "/api/events", token=admin, raw="{not json")
    assert bad.status == 400 and bad.body["error"] == "bad_request"
    listy = api("POST", "/api/events", token=admin, raw="[1, 2]")
    assert listy.status == 400
    invalid = api("POST", "/api/events", token=admin, body={"title": ""})
    assert invalid.status == 422 and "starts_at" in invalid.body["fields"]
    assert api("GET", "/api/events", token=admin).body["events"] == []  # nothing written
    missing = api("GET", "/api/nowhere", token=admin)
    assert missing.status == 404 and missing.body["error"] == "not_found"


def test_cross_event_access(api: Callable[..., Reply]) -> None:
    admin, _ = sign_in_as("admin")
    crew, _ = sign_in_as("crew")
    mine = api("POST", "/api/events", token=admin, body=trip(days=3)).body["id"]
    theirs = api("POST", "/api/events", token=admin, body=trip(days=4)).body["id"]
    api("POST", f"/api/events/{mine}/claims", token=crew, body={"role": "crew"})
    assert api("GET", f"/api/events/{mine}/checklist", token=crew).status == 200
    assert api("GET", f"/api/events/{theirs}/checklist", token=crew).status == 403
    assert (
        api(
            "PUT", f"/api/events/{theirs}/checklist/underway-1", token=crew, body={"done": True}
        ).status
        == 403
    )
    api(
        "POST",
        f"/api/events/{mine}/guests",
        token=admin,
        body={"email": "g@example.com", "name": "G"},
    )
    guest, _ = sign_in_as("guest", email="g@example.com")
    seen = api("GET", "/api/events", token=guest).body["events"]
    assert [e["id"] for e in seen] == [mine]
    assert api("GET", f"/api/events/{theirs}", token=guest).status == 404
    assert api("POST", f"/api/events/{theirs}/waiver", token=guest, body={}).status == 404
    assert api("GET", f"/api/events/{mine}/manifest", token=guest).status == 403
