"""The local server: real HTTP on loopback through the same handler; imports stay lean."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest

from devtools.dynamodb_local import free_port
from lambda_app.serve import Handler, LocalServer
from tests.lambda_app.conftest import Reply


@pytest.fixture
def server(api: Callable[..., Reply]) -> Iterator[str]:
    httpd = LocalServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def request(url: str, method: str = "GET", body: object = None) -> tuple[int, object]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def test_http_requests_reach_the_handler(server: str) -> None:
    assert request(f"{server}/api/health") == (200, {"ok": True})
    status, body = request(f"{server}/api/auth/claim", "POST", {"code": "NOPE234567"})
    assert status == 401 and body["error"] == "unauthorized"  # type: ignore[index]
    status, body = request(f"{server}/api/events")
    assert status == 401


def test_the_api_imports_nothing_heavy() -> None:
    heavy = ["pandas", "plotly", "streamlit", "sqlmodel", "sqlalchemy", "stripe", "matplotlib"]
    code = (
        "import sys, lambda_app.handler, lambda_app.deps, lambda_app.nudges;"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_concurrent_requests_each_get_their_own_answer(
    server: str, api: Callable[..., Reply]
) -> None:
    """Threads of the local server never see another request's route arguments or user."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.lambda_app.conftest import sign_in_as
    from tests.lambda_app.test_api import trip

    admin, admin_id = sign_in_as("admin")
    crew, crew_id = sign_in_as("crew")
    ids = [
        api("POST", "/api/events", token=admin, body=trip(days=3 + i)).body["id"] for i in range(4)
    ]
    calls = [(f"/api/events/{eid}", admin, eid) for eid in ids] + [
        ("/api/me", admin, admin_id),
        ("/api/me", crew, crew_id),
    ]

    def one(call: tuple[str, str, str]) -> tuple[str, int, object]:
        path, token, expected = call
        req = urllib.request.Request(server + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return expected, r.status, json.loads(r.read())

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(one, calls * 8))
    assert all(status == 200 and body["id"] == expected for expected, status, body in results)
