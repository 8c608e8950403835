"""Float plans, shore contacts and the manifest's "on hold since" through the API, on both
ops stores: role x route, bad input, and the ptb_nudge run's overdue mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, outbox, sign_in_as
from tests.lambda_app.test_api import trip
from tests.lambda_app.test_ops_scopes import CENTAUR, claim, last_code, scoped_admin

QUEEN = "QueenofSanDiego"
SCHEDULE = {
    "source": "aws.events",
    "detail-type": "Scheduled Event",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/ptb_nudge"],
}


def soon(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(microsecond=0).isoformat()


def plan(hours: float = 3, souls: Any = 6) -> dict[str, Any]:
    return {"eta": soon(hours), "souls_on_board": souls}


@pytest.fixture
def cast(api: Callable[..., Reply], tmp_path: Path) -> dict[str, Any]:
    """A trip 2 h out with its captain and a crew member on their slots, a guest on the
    manifest (signed in from the waiver link), a spare captain and another entity's admin."""
    root, _ = sign_in_as("admin", email="root@example.com")
    event = api("POST", "/api/events", token=root, body=trip(starts_at=soon(2))).body["id"]
    captain, captain_id = sign_in_as("captain", email="cap@example.com")
    crew, _ = sign_in_as("crew")
    assert api("POST", f"/api/events/{event}/claims", token=captain, body={"role": "captain"})
    assert api("POST", f"/api/events/{event}/claims", token=crew, body={"role": "crew"})
    added = api(
        "POST",
        f"/api/events/{event}/guests",
        token=root,
        body={"email": "gail@example.com", "name": "Gail"},
    )
    assert added.status == 201, added.body
    guest = claim(api, last_code(tmp_path, "gail@example.com")).body["token"]
    return {
        "event": event,
        "admin": root,
        "captain": captain,
        "captain_id": captain_id,
        "crew": crew,
        "guest": guest,
        "spare_captain": sign_in_as("captain")[0],
        "other_admin": scoped_admin(api, root, "cent@example.com"),
    }


def float_plan_of(api: Callable[..., Reply], cast: dict[str, Any]) -> Any:
    got = api("GET", f"/api/events/{cast['event']}", token=cast["admin"])
    assert got.status == 200
    return got.body["float_plan"]


def test_departed_and_back_by_the_captain(api: Callable[..., Reply], cast: dict[str, Any]) -> None:
    event, captain = cast["event"], cast["captain"]
    assert float_plan_of(api, cast) is None
    early = api("POST", f"/api/events/{event}/returned", token=captain)
    assert (early.status, early.body["error"]) == (409, "not_departed")
    body = plan(3, 7)
    out = api("POST", f"/api/events/{event}/departed", token=captain, body=body)
    assert out.status == 200, out.body
    assert set(out.body) == {
        "event_id",
        "departed_at",
        "eta",
        "souls_on_board",
        "returned_at",
        "returned_by",
        "by",
    }
    assert out.body["event_id"] == event and out.body["by"] == cast["captain_id"]
    assert out.body["souls_on_board"] == 7 and out.body["returned_at"] is None
    assert datetime.fromisoformat(out.body["eta"]) == datetime.fromisoformat(body["eta"])
    assert float_plan_of(api, cast) == out.body
    twice = api("POST", f"/api/events/{event}/departed", token=cast["admin"], body=plan())
    assert (twice.status, twice.body["error"]) == (409, "already_departed")
    back = api("POST", f"/api/events/{event}/returned", token=captain)
    assert back.status == 200 and back.body["returned_at"] is not None
    assert float_plan_of(api, cast) == back.body
    again = api("POST", f"/api/events/{event}/returned", token=cast["admin"])
    assert (again.status, again.body["error"]) == (409, "already_returned")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("crew", 403),
        ("spare_captain", 403),
        ("guest", 403),
        ("other_admin", 404),
    ],
)
def test_others_cannot_depart_or_return(
    api: Callable[..., Reply], cast: dict[str, Any], who: str, status: int
) -> None:
    event = cast["event"]
    got = api("POST", f"/api/events/{event}/departed", token=cast[who], body=plan())
    assert got.status == status, got.body
    assert float_plan_of(api, cast) is None
    assert api("POST", f"/api/events/{event}/departed", token=cast["admin"], body=plan())
    got = api("POST", f"/api/events/{event}/returned", token=cast[who])
    assert got.status == status, got.body
    assert float_plan_of(api, cast)["returned_at"] is None
    assert api("POST", "/api/events/nope/departed", token=cast[who], body=plan()).status == 404
    assert api("POST", f"/api/events/{event}/departed", body=plan()).status == 401


def test_bad_float_plans_are_422_with_fields(
    api: Callable[..., Reply], cast: dict[str, Any]
) -> None:
    path, captain = f"/api/events/{cast['event']}/departed", cast["captain"]
    for body, fields in [
        ({}, {"eta", "souls_on_board"}),
        ({"eta": "soon", "souls_on_board": "six"}, {"eta", "souls_on_board"}),
        (plan(-1), {"eta"}),
        (plan(73), {"eta"}),
        (plan(3, 0), {"souls_on_board"}),
        (plan(3, 1000), {"souls_on_board"}),
        (plan(3, True), {"souls_on_board"}),
        ({"eta": [1], "souls_on_board": {"n": 1}}, {"eta", "souls_on_board"}),
    ]:
        got = api("POST", path, token=captain, body=body)
        assert got.status == 422, (body, got.body)
        assert set(got.body["fields"]) == fields
    assert api("POST", path, token=captain, raw="[1]").status == 400
    assert float_plan_of(api, cast) is None


def test_departed_a_day_early_is_refused(api: Callable[..., Reply], cast: dict[str, Any]) -> None:
    later = api("POST", "/api/events", token=cast["admin"], body=trip(starts_at=soon(26)))
    got = api("POST", f"/api/events/{later.body['id']}/departed", token=cast["admin"], body=plan())
    assert (got.status, got.body["error"]) == (409, "too_early")


def test_a_cancelled_trip_does_not_depart(api: Callable[..., Reply], cast: dict[str, Any]) -> None:
    event = cast["event"]
    assert api("DELETE", f"/api/events/{event}", token=cast["admin"]).status == 200
    got = api("POST", f"/api/events/{event}/departed", token=cast["captain"], body=plan())
    assert (got.status, got.body["error"]) == (409, "event_closed")


def test_shore_contact_routes(api: Callable[..., Reply], cast: dict[str, Any]) -> None:
    path = f"/api/entities/{QUEEN}/shore-contact"
    unset = api("GET", path, token=cast["admin"])
    assert unset.status == 200 and unset.body["entity"] == QUEEN and unset.body["email"] is None
    saved = api(
        "PUT",
        path,
        token=cast["admin"],
        body={"email": "Sam@Example.com", "name": "Sam Shore", "phone": "+1 619 555 0100"},
    )
    assert saved.status == 200, saved.body
    assert saved.body["email"] == "sam@example.com" and saved.body["name"] == "Sam Shore"
    assert api("GET", path, token=cast["admin"]).body == saved.body
    for who in ("captain", "crew", "guest", "other_admin"):
        assert api("GET", path, token=cast[who]).status == 403, who
        changed = api("PUT", path, token=cast[who], body={"email": "x@example.com"})
        assert changed.status == 403, who
    own = api("PUT", f"/api/entities/{CENTAUR}/shore-contact", token=cast["other_admin"])
    assert own.status == 422 and set(own.body["fields"]) == {"email"}
    bad = api("PUT", path, token=cast["admin"], body={"email": "sam@", "phone": "1\n2"})
    assert bad.status == 422 and set(bad.body["fields"]) == {"email", "phone"}
    assert api("GET", path, token=cast["admin"]).body == saved.body
    assert api("GET", path).status == 401


def test_the_manifest_shows_who_is_unsigned_since_when(
    api: Callable[..., Reply], cast: dict[str, Any]
) -> None:
    got = api("GET", f"/api/events/{cast['event']}/manifest", token=cast["captain"])
    assert got.status == 200
    [gail] = got.body["guests"]
    assert gail["status"] == "on_hold" and gail["on_hold_since"] == gail["added_at"]
    age = datetime.now(UTC) - datetime.fromisoformat(gail["added_at"])
    assert timedelta(0) <= age < timedelta(minutes=5)


def test_the_nudge_run_mails_an_overdue_trip_once(
    api: Callable[..., Reply],
    cast: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = cast["event"]
    api(
        "PUT",
        f"/api/entities/{QUEEN}/shore-contact",
        token=cast["admin"],
        body={"email": "shore@example.com"},
    )
    assert api("POST", f"/api/events/{event}/departed", token=cast["captain"], body=plan(1))
    later = datetime.now(UTC) + timedelta(hours=1, minutes=31)
    monkeypatch.setattr("lambda_app.nudges.utcnow", lambda: later)
    before = len(outbox(tmp_path))
    lambda_handler(SCHEDULE, None)
    lambda_handler(SCHEDULE, None)
    mails = [m for m in outbox(tmp_path)[before:] if m["subject"].startswith("OVERDUE")]
    # each recipient alone; cent@ (an admin of DangerousCentaur only) is not told
    assert sorted(m["to"][0] for m in mails) == ["root@example.com", "shore@example.com"]
    assert all("Sunset sail (JADA) not back, 31 min past its ETA" in m["subject"] for m in mails)
