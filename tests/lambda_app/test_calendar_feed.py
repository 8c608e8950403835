"""The calendar feed over HTTP, on both stores: the link, rotation, the public .ics route,
what a feed holds (parsed back with icalendar) and the late-change emails."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from lambda_app.deps import deps
from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, api_event, ops_records, outbox, sign_in_as
from tests.lambda_app.test_api import trip
from tests.lambda_app.test_ops_scopes import CENTAUR, scoped_admin


def fetch(url: str, ip: str = "198.51.100.9") -> tuple[int, str, dict[str, Any]]:
    """GET a feed URL through the handler, without a token: (status, body, headers)."""
    path = url.removeprefix("https://crew.example.com")
    out = lambda_handler(api_event("GET", path, ip=ip), None)
    return out["statusCode"], out.get("body") or "", out.get("headers") or {}


def events_of(body: str) -> dict[str, Any]:
    """The VEVENTs of an .ics body by UID."""
    cal = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def new_trip(api: Callable[..., Reply], admin: str, **extra: Any) -> str:
    reply = api("POST", "/api/events", token=admin, body=trip(**extra))
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def test_the_link_is_stable_and_rotation_retires_the_old_one(api: Callable[..., Reply]) -> None:
    crew, _ = sign_in_as("crew")
    first = api("GET", "/api/me/calendar", token=crew)
    assert first.status == 200
    url = first.body["url"]
    assert url.startswith("https://crew.example.com/api/calendar/") and url.endswith(".ics")
    assert api("GET", "/api/me/calendar", token=crew).body["url"] == url  # stable
    assert fetch(url)[0] == 200
    rotated = api("POST", "/api/me/calendar", token=crew)
    assert rotated.status == 200 and rotated.body["url"] != url
    assert api("GET", "/api/me/calendar", token=crew).body["url"] == rotated.body["url"]
    assert fetch(rotated.body["url"])[0] == 200
    old = fetch(url)
    unknown = fetch("https://crew.example.com/api/calendar/" + "a" * 32 + ".ics")
    malformed = fetch("https://crew.example.com/api/calendar/%00..!.ics")
    assert old[0] == unknown[0] == malformed[0] == 404
    assert old[1] == unknown[1] == malformed[1]  # one body for every bad token


def test_only_the_token_hash_is_stored(api: Callable[..., Reply]) -> None:
    crew, uid = sign_in_as("crew")
    url = api("GET", "/api/me/calendar", token=crew).body["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    store = ops_records()
    if store.backend == "sqlite":
        raw = Path(store.path).read_bytes()  # type: ignore[attr-defined]
    else:
        items = store.client.scan(TableName=store.table)["Items"]  # type: ignore[attr-defined]
        raw = json.dumps(items).encode()
    assert token.encode() not in raw
    key = store.feed_key(uid)
    assert key is not None and store.feed_user(key.token_hash) == uid


@pytest.mark.parametrize("role", ["admin", "captain", "crew", "guest"])
def test_every_role_gets_a_feed_link(api: Callable[..., Reply], role: str) -> None:
    token, _ = sign_in_as(role)
    reply = api("GET", "/api/me/calendar", token=token)
    assert reply.status == 200 and reply.body["url"].endswith(".ics")
    status, body, headers = fetch(reply.body["url"])
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert Calendar.from_ical(body)["VERSION"] == "2.0"


def test_only_the_feed_prefix_is_public(api: Callable[..., Reply]) -> None:
    assert api("GET", "/api/me/calendar").status == 401
    assert api("POST", "/api/me/calendar").status == 401
    assert api("GET", "/api/me/availability").status == 401
    assert api("GET", "/api/calendar").status == 401  # not under the prefix
    assert api("GET", "/api/calendars/x.ics").status == 401
    assert api("GET", "/api/calendarx.ics").status == 401
    assert api("GET", "/api/events").status == 401
    # under the prefix only the feed route answers: anything else is an unknown route
    assert api("POST", "/api/calendar/abc.ics").status in (404, 405)
    assert api("GET", "/api/calendar/abc/../../events").status == 404


def test_a_feed_holds_the_persons_trips_parsed_back(api: Callable[..., Reply]) -> None:
    admin, _ = sign_in_as("admin")
    cap, _ = sign_in_as("captain")
    crew, _ = sign_in_as("crew")
    sail = new_trip(api, admin, days=3, title="Sunset sail", vessel="JADA")
    dinner = new_trip(api, admin, days=6, title="Dinner cruise", vessel="Queen")
    new_trip(api, admin, days=8, title="Not mine")
    assert (
        api("POST", f"/api/events/{sail}/claims", token=cap, body={"role": "captain"}).status == 201
    )
    assert (
        api("POST", f"/api/events/{dinner}/claims", token=crew, body={"role": "crew"}).status == 201
    )
    assert (
        api("POST", f"/api/events/{sail}/claims", token=crew, body={"role": "crew"}).status == 201
    )
    url = api("GET", "/api/me/calendar", token=crew).body["url"]
    first = events_of(fetch(url)[1])
    assert set(first) == {f"{sail}@crew.example.com", f"{dinner}@crew.example.com"}
    entry = first[f"{sail}@crew.example.com"]
    timing = api("GET", f"/api/events/{sail}", token=crew).body["timing"]
    assert entry.decoded("DTSTART") == datetime.fromisoformat(timing["boarding_at"])
    assert entry.decoded("DTEND") == datetime.fromisoformat(timing["return_at"])
    assert str(entry["SUMMARY"]) == "Sunset sail" and str(entry["LOCATION"]) == "JADA"
    assert "Role: crew" in str(entry["DESCRIPTION"]) and "Vessel: JADA" in str(entry["DESCRIPTION"])
    assert str(entry["STATUS"]) == "CONFIRMED" and int(entry["SEQUENCE"]) == 0
    assert "DTSTAMP" in entry
    # a change and a cancellation: same UIDs, SEQUENCE grows, STATUS:CANCELLED
    assert api("PATCH", f"/api/events/{dinner}", token=admin, body={"vessel": "JADA"}).status == 200
    assert api("DELETE", f"/api/events/{sail}", token=admin).status == 200
    second = events_of(fetch(url)[1])
    assert set(second) == set(first)
    assert str(second[f"{sail}@crew.example.com"]["STATUS"]) == "CANCELLED"
    assert int(second[f"{sail}@crew.example.com"]["SEQUENCE"]) == 1
    assert str(second[f"{dinner}@crew.example.com"]["LOCATION"]) == "JADA"
    assert int(second[f"{dinner}@crew.example.com"]["SEQUENCE"]) == 1
    # the captain's feed: only the sail, as captain
    cap_feed = events_of(fetch(api("GET", "/api/me/calendar", token=cap).body["url"])[1])
    assert list(cap_feed) == [f"{sail}@crew.example.com"]
    assert "Role: captain" in str(cap_feed[f"{sail}@crew.example.com"]["DESCRIPTION"])


def test_a_guest_feed_has_only_their_trips(api: Callable[..., Reply], tmp_path: Path) -> None:
    from tests.lambda_app.test_ops_scopes import last_code

    admin, _ = sign_in_as("admin")
    theirs = new_trip(api, admin, days=4, title="Birthday sail")
    new_trip(api, admin, days=5, title="Someone else's sail")
    added = api(
        "POST",
        f"/api/events/{theirs}/guests",
        token=admin,
        body={"email": "gail@example.com", "name": "Gail"},
    )
    assert added.status == 201
    code = last_code(tmp_path, "gail@example.com")
    guest = api("POST", "/api/auth/claim", body={"code": code}).body["token"]
    url = api("GET", "/api/me/calendar", token=guest).body["url"]
    feed = events_of(fetch(url)[1])
    assert list(feed) == [f"{theirs}@crew.example.com"]
    assert "Role: guest" in str(feed[f"{theirs}@crew.example.com"]["DESCRIPTION"])


def test_another_entitys_trips_never_appear(api: Callable[..., Reply]) -> None:
    root, _ = sign_in_as("admin")
    centaur_admin = scoped_admin(api, root, "cent@example.com")
    crew, uid = sign_in_as("crew")  # invited by root: every entity at first
    ours = new_trip(api, root, days=3)
    theirs = new_trip(api, centaur_admin, days=4, entity=CENTAUR)
    for event in (ours, theirs):
        assert (
            api("POST", f"/api/events/{event}/claims", token=crew, body={"role": "crew"}).status
            == 201
        )
    # the person is narrowed to QueenofSanDiego afterwards: their old Centaur slot stays stored
    d = deps()
    from dataclasses import replace

    d.ops.save_user(replace(d.ops.user(uid), entities=frozenset({"QueenofSanDiego"})))
    url = api("GET", "/api/me/calendar", token=crew).body["url"]
    assert list(events_of(fetch(url)[1])) == [f"{ours}@crew.example.com"]
    # and the Centaur admin's own feed link does not open anyone else's
    other = api("GET", "/api/me/calendar", token=centaur_admin).body["url"]
    assert events_of(fetch(other)[1]) == {}


def test_a_late_change_emails_everyone_on_the_trip(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    admin, _ = sign_in_as("admin")
    crew, _ = sign_in_as("crew", email="cora@example.com")
    start = (datetime.now(UTC) + timedelta(hours=30)).replace(microsecond=0)
    soon = new_trip(api, admin, starts_at=start.isoformat())
    later = new_trip(api, admin, days=9)
    for event in (soon, later):
        assert (
            api("POST", f"/api/events/{event}/claims", token=crew, body={"role": "crew"}).status
            == 201
        )
    api(
        "POST",
        f"/api/events/{soon}/guests",
        token=admin,
        body={"email": "g@example.com", "name": "G"},
    )
    before = len(outbox(tmp_path))
    moved = (start + timedelta(hours=1)).isoformat()
    assert api("PATCH", f"/api/events/{soon}", token=admin, body={"starts_at": moved}).status == 200
    assert api("PATCH", f"/api/events/{later}", token=admin, body={"vessel": "Queen"}).status == 200
    mails = outbox(tmp_path)[before:]
    assert sorted(m["to"][0] for m in mails) == ["cora@example.com", "g@example.com"]
    assert all(m["subject"].startswith("Changed: Sunset sail") for m in mails)
    # a title change alone is no reason to email
    assert (
        api("PATCH", f"/api/events/{soon}", token=admin, body={"title": "Sunset sail!"}).status
        == 200
    )
    assert len(outbox(tmp_path)) == before + 2
    assert api("DELETE", f"/api/events/{soon}", token=admin).status == 200
    cancelled = outbox(tmp_path)[before + 2 :]
    assert sorted(m["to"][0] for m in cancelled) == ["cora@example.com", "g@example.com"]
    assert all(m["subject"].startswith("Cancelled:") for m in cancelled)


def test_a_failed_change_email_keeps_the_change(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin, _ = sign_in_as("admin")
    crew, _ = sign_in_as("crew")
    start = (datetime.now(UTC) + timedelta(hours=20)).replace(microsecond=0)
    event = new_trip(api, admin, starts_at=start.isoformat())
    assert (
        api("POST", f"/api/events/{event}/claims", token=crew, body={"role": "crew"}).status == 201
    )

    def refuse(*_: object, **__: object) -> None:
        raise RuntimeError("SES says no")

    monkeypatch.setattr(deps().sender, "send", refuse)
    reply = api("DELETE", f"/api/events/{event}", token=admin)
    assert reply.status == 200 and reply.body["status"] == "cancelled"
    assert api("GET", f"/api/events/{event}", token=admin).body["status"] == "cancelled"


def test_the_request_log_names_the_route_never_the_token(
    api: Callable[..., Reply], capsys: pytest.CaptureFixture[str]
) -> None:
    crew, _ = sign_in_as("crew")
    url = api("GET", "/api/me/calendar", token=crew).body["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    capsys.readouterr()
    assert fetch(url)[0] == 200
    logged = capsys.readouterr().out
    assert "GET /api/calendar/<token>.ics" in logged and token not in logged
