"""PUT/GET /api/me/availability on both stores: role x route, validation, replacement."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.lambda_app.conftest import Reply, sign_in_as

NOW = datetime.now(UTC).replace(microsecond=0)


def window(start_days: float, end_days: float, hours: int = -8) -> dict[str, str]:
    """A window from ``start_days`` to ``end_days`` after now, written in UTC``hours``."""
    zone = timezone(timedelta(hours=hours))
    return {
        "from": (NOW + timedelta(days=start_days)).astimezone(zone).isoformat(),
        "to": (NOW + timedelta(days=end_days)).astimezone(zone).isoformat(),
    }


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("captain", 200), ("crew", 200), ("guest", 403)]
)
def test_who_may_keep_availability(api: Callable[..., Reply], role: str, status: int) -> None:
    token, _ = sign_in_as(role)
    assert api("GET", "/api/me/availability", token=token).status == status
    put = api("PUT", "/api/me/availability", token=token, body={"unavailable": [window(1, 2)]})
    assert put.status == status


def test_the_list_is_replaced_and_read_back(api: Callable[..., Reply]) -> None:
    crew, _ = sign_in_as("crew")
    other, _ = sign_in_as("crew")
    assert api("GET", "/api/me/availability", token=crew).body == {"unavailable": []}
    first = [window(10, 12), window(1, 2, 2)]
    put = api("PUT", "/api/me/availability", token=crew, body={"unavailable": first})
    assert put.status == 200
    got = api("GET", "/api/me/availability", token=crew).body["unavailable"]
    assert got == put.body["unavailable"]
    starts = [datetime.fromisoformat(w["from"]) for w in got]
    assert starts == sorted(datetime.fromisoformat(w["from"]) for w in first)  # by start
    assert datetime.fromisoformat(got[0]["to"]) == datetime.fromisoformat(first[1]["to"])
    # another person's list is their own
    assert api("GET", "/api/me/availability", token=other).body == {"unavailable": []}
    # replaced, not added to
    api("PUT", "/api/me/availability", token=crew, body={"unavailable": [window(3, 4)]})
    assert len(api("GET", "/api/me/availability", token=crew).body["unavailable"]) == 1
    api("PUT", "/api/me/availability", token=crew, body={"unavailable": []})
    assert api("GET", "/api/me/availability", token=crew).body == {"unavailable": []}


BAD: list[tuple[Any, str]] = [
    ({}, "unavailable"),
    ({"unavailable": "soon"}, "unavailable"),
    ({"unavailable": [window(1, 2)] * 101}, "unavailable"),
    ({"unavailable": [5]}, "unavailable[0]"),
    (
        {"unavailable": [{"from": "2026-12-01T10:00", "to": "2026-12-02T10:00"}]},
        "unavailable[0].from",
    ),
    ({"unavailable": [{"from": window(1, 2)["from"]}]}, "unavailable[0].to"),
    ({"unavailable": [{"from": window(1, 2)["from"], "to": 7}]}, "unavailable[0].to"),
    ({"unavailable": [window(2, 1)]}, "unavailable[0].to"),  # to before from
    ({"unavailable": [window(1, 1)]}, "unavailable[0].to"),  # empty
    ({"unavailable": [window(1, 367)]}, "unavailable[0].to"),  # over 365 days
    ({"unavailable": [window(-10, -2)]}, "unavailable[0].to"),  # ended 2 days ago
    ({"unavailable": [window(1, 2), window(3, 2)]}, "unavailable[1].to"),
    (
        {"unavailable": [{"from": "2199-01-01T00:00:00+00:00", "to": "2199-01-02T00:00:00+00:00"}]},
        "unavailable[0].from",
    ),
]


@pytest.mark.parametrize(("payload", "field"), BAD)
def test_bad_windows_are_422_with_fields_and_change_nothing(
    api: Callable[..., Reply], payload: Any, field: str
) -> None:
    crew, _ = sign_in_as("crew")
    kept = [window(5, 6)]
    api("PUT", "/api/me/availability", token=crew, body={"unavailable": kept})
    reply = api("PUT", "/api/me/availability", token=crew, body=payload)
    assert reply.status == 422 and field in reply.body["fields"], reply.body
    assert len(api("GET", "/api/me/availability", token=crew).body["unavailable"]) == 1


def test_edges_that_are_accepted(api: Callable[..., Reply]) -> None:
    crew, _ = sign_in_as("crew")
    ok = [window(-1.5, -0.5), window(0, 365)] + [window(n, n + 0.5) for n in range(1, 99)]
    assert len(ok) == 100
    reply = api("PUT", "/api/me/availability", token=crew, body={"unavailable": ok})
    assert reply.status == 200 and len(reply.body["unavailable"]) == 100
