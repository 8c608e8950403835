"""Runs inside the unpacked Lambda artifact, under the runtime's Python (not a pytest module).

`python3.13 -I -S -B lambda_zip_probe.py TASK_DIR RUNTIME_DIR`: TASK_DIR is the unpacked zip
(Lambda's /var/task), RUNTIME_DIR the boto3 that Lambda's runtime provides. Only the standard
library and those two folders are importable, as on Lambda. The settings come from the
environment (OPS_BACKEND=dynamodb, ...). Prints one JSON line for tests/test_lambda_zip.py.
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

TASK, RUNTIME = sys.argv[1], sys.argv[2]
sys.path[:0] = [TASK, RUNTIME]  # Lambda's order: the function's code, then the runtime's SDK

from lambda_app import handler  # noqa: E402  (only importable once the path is set)
from lambda_app.deps import deps  # noqa: E402


def call(method: str, path: str, body: Any = None, token: str = "") -> tuple[int, Any]:
    """One API Gateway HTTP API (payload 2.0) request through the handler: (status, JSON)."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "http": {"method": method, "path": path, "sourceIp": "198.51.100.7"},
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }
    out = handler.lambda_handler(event, None)
    return out["statusCode"], json.loads(out["body"]) if out.get("body") else None


def main() -> None:
    """Health, then an admin's sign-in, an event written and listed, and a login link."""
    email = sys.argv[3]
    health = call("GET", "/api/health")
    # what `python -m core ops-admin` does: the admin and a one-time code, in the ops table
    code = deps().access.admin_link(email).code
    status, claimed = call("POST", "/api/auth/claim", {"code": code})
    token = claimed["token"] if status == 200 else ""
    day = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    trip = {
        "entity": "QueenofSanDiego",
        "title": "Sunset sail",
        "vessel": "JADA",
        "starts_at": f"{day}T23:30:00+00:00",
        "duration_minutes": 150,
        "slots": {"captain": 1, "crew": 2},
        "guests_max": 6,
    }
    created = call("POST", "/api/events", trip, token)
    listed = call("GET", "/api/events", token=token)
    login = call("POST", "/api/auth/login-link", {"email": email})
    print(
        json.dumps(
            {
                "python": list(sys.version_info[:2]),
                "handler_file": handler.__file__,
                "store": type(deps().access.codes).__name__,
                "health": health,
                "claim": status,
                "created": created,
                "listed": listed,
                "login_link": login[0],
            }
        )
    )


main()
