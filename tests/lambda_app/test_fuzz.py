"""No input breaks the API: random requests at every route, as every role, on both stores.

In-process through ``lambda_handler`` (a few hundred cases per store), then over real HTTP
through ``lambda_app.serve`` (fewer), where a dropped connection would also be a failure.
Every answer must be one of the contract's statuses, and every 4xx a JSON error body.
"""

from __future__ import annotations

import http.client
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, seed, settings

from core.config import get_settings
from devtools.dynamodb_local import free_port
from lambda_app.deps import deps
from lambda_app.handler import lambda_handler
from lambda_app.serve import Handler, LocalServer
from tests.lambda_app.conftest import SECRET, Reply, sign_in_as
from tests.lambda_app.fuzzing import (
    ALLOWED,
    WEBHOOK_SECRET,
    World,
    problem,
    requests,
    routes,
    to_event,
    token_for,
)
from tests.lambda_app.test_api import trip

# CI runs a fixed sequence; FUZZ_CASES=5000 FUZZ_SEED=7 explores further (and differently)
IN_PROCESS_CASES = int(os.environ.get("FUZZ_CASES", "400"))
HTTP_CASES = max(40, IN_PROCESS_CASES // 10)
SEED = int(os.environ["FUZZ_SEED"]) if os.environ.get("FUZZ_SEED") else None


def fuzz_settings(cases: int) -> Callable[[Any], Any]:
    """Hypothesis settings: a fixed sequence unless FUZZ_SEED asks for another."""
    chosen = settings(
        max_examples=cases,
        deadline=None,
        derandomize=SEED is None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    return chosen if SEED is None else (lambda test: seed(SEED)(chosen(test)))


class Errors(logging.Handler):
    """Keeps the exceptions the API logs, to say why a 5xx happened."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1]:
            self.seen.append(record.exc_info[1])


@pytest.fixture
def world(api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """Users of every role, an event with claims, a checklist and guests, and their ids."""
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setattr("core.ops_access.access.LOGIN_LINK_MIN_SECONDS", 0.0)  # speed, not timing
    get_settings.cache_clear()
    deps.cache_clear()
    tokens, users = {}, {}
    for role in ("admin", "captain", "crew"):
        tokens[role], users[role] = sign_in_as(role)
    admin = tokens["admin"]
    events = [api("POST", "/api/events", token=admin, body=trip(days=d)).body["id"] for d in (3, 6)]
    guest = api(
        "POST",
        f"/api/events/{events[0]}/guests",
        token=admin,
        body={"email": "guest-fuzz@example.com", "name": "Guest"},
    ).body["id"]
    tokens["guest"], users["guest"] = sign_in_as("guest", email="guest-fuzz@example.com")
    api("POST", f"/api/events/{events[0]}/claims", token=tokens["crew"], body={"role": "crew"})
    api(
        "POST", f"/api/events/{events[0]}/claims", token=tokens["captain"], body={"role": "captain"}
    )
    items = [
        i["id"] for i in api("GET", f"/api/events/{events[0]}/checklist", token=admin).body["items"]
    ]
    yield World(
        users=users,
        ids={
            "event_id": events,
            "user_id": list(users.values()),
            "item_id": items[:3] + items[-2:],
            "guest_id": [guest],
        },
        secret=SECRET,
    )


def _describe(req: dict[str, Any]) -> str:
    body = req["body"]
    shown = None if body is None else body[:120]
    return (
        f"{req['method']} {req['path'][:80]!r} as {req['role']} query={str(req['query'])[:80]} "
        f"headers={list(req['headers'])[:6]} body={shown!r} base64={req['base64']}"
    )


def test_no_request_breaks_the_api(world: World, request: pytest.FixtureRequest) -> None:
    errors = Errors()
    logging.getLogger().addHandler(errors)
    statuses: Counter[int] = Counter()
    per_route: Counter[str] = Counter()
    failures: list[str] = []

    @fuzz_settings(IN_PROCESS_CASES)
    @given(req=requests(world))
    def one(req: dict[str, Any]) -> None:
        before = len(errors.seen)
        try:
            out = lambda_handler(to_event(world, req), None)
        except Exception as exc:  # Lambda itself would answer a bare 502 for this
            statuses[502] += 1
            failures.append(f"raised {exc!r:.200}: {_describe(req)}")
            return
        status = out["statusCode"]
        statuses[status] += 1
        per_route[f"{req['method']} {req['path'].split('/')[2] if '/' in req['path'] else ''}"] += 1
        wrong = problem(status, out.get("body") or "")
        if wrong:
            cause = errors.seen[before:] and repr(errors.seen[-1])[:200]
            failures.append(f"{wrong}: {_describe(req)} cause={cause}")

    try:
        one()
    finally:
        logging.getLogger().removeHandler(errors)
    total = sum(statuses.values())
    print(f"\nfuzz in-process: {total} cases, statuses {dict(sorted(statuses.items()))}")
    request.node.user_properties.append(("fuzz_cases", total))
    assert total >= IN_PROCESS_CASES
    assert len({s for s in statuses if s < 300}) >= 2  # the fuzz reached working answers too
    assert failures == [], "\n".join(sorted(set(failures))[:30])


@pytest.fixture
def local_server(world: World) -> Iterator[tuple[str, int]]:
    httpd = LocalServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def _over_http(host: str, port: int, world: World, req: dict[str, Any]) -> tuple[int, str]:
    """Send a drawn request to the local server; (status, body). A dropped connection raises."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    target = quote(req["path"], safe="/%") + ("?" + urlencode(req["query"]) if req["query"] else "")
    conn.putrequest(req["method"], target, skip_accept_encoding=True)
    headers = dict(req["headers"])
    token = token_for(world, req["role"])
    if token:
        headers["authorization"] = f"Bearer {token}"
    for name, value in headers.items():
        # header names and values travel as bytes: UTF-8 here, as a browser's would
        clean = "".join(c for c in name if (c.isascii() and c.isalnum()) or c == "-") or "x"
        data = value.encode("utf-8", "surrogatepass").replace(b"\r", b"").replace(b"\n", b"")
        conn.putheader(clean, data[:8000])
    body = req["body"] or b""
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    reply = conn.getresponse()
    text = reply.read().decode("utf-8", "replace")
    conn.close()
    return reply.status, text


def test_no_request_breaks_the_local_server(
    world: World, local_server: tuple[str, int], request: pytest.FixtureRequest
) -> None:
    host, port = local_server
    failures: list[str] = []
    count = Counter[int]()

    @fuzz_settings(HTTP_CASES)
    @given(req=requests(world))
    def one(req: dict[str, Any]) -> None:
        try:
            status, text = _over_http(host, port, world, req)
        except (OSError, http.client.HTTPException) as exc:
            failures.append(f"connection dropped ({exc!r}): {_describe(req)}")
            return
        count[status] += 1
        if req["method"] == "HEAD":  # no body comes back to check
            wrong = None if status in ALLOWED else f"status {status}"
        else:
            wrong = problem(status, text)
        if wrong:
            failures.append(f"{wrong}: {_describe(req)}")

    one()
    total = sum(count.values())
    print(f"\nfuzz over HTTP: {total} answered cases, statuses {dict(sorted(count.items()))}")
    request.node.user_properties.append(("fuzz_http_cases", total))
    assert failures == [], "\n".join(sorted(set(failures))[:30])


def test_every_route_is_fuzzed() -> None:
    """The route list comes from the app itself (a new route is covered without a change)."""
    found = routes()
    assert ("GET", "/api/events/<event_id>") in found and ("POST", "/api/auth/claim") in found
