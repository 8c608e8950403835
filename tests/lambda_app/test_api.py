"""Every route's happy path, on both stores (CONTRACT section 6)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, outbox, sign_in_as

LA_OFFSET = "-08:00"


def trip(days: int = 5, **extra: Any) -> dict[str, Any]:
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return {
        "entity": "QueenofSanDiego",
        "title": "Sunset sail",
        "vessel": "JADA",
        "starts_at": f"{day.isoformat()}T16:30:00{LA_OFFSET}",
        "duration_minutes": 150,
        "slots": {"captain": 1, "crew": 2},
        "guests_max": 6,
        **extra,
    }


def test_health_and_me(api: Callable[..., Reply]) -> None:
    assert api("GET", "/api/health") == Reply(200, {"ok": True})
    token, uid = sign_in_as("crew", email="cora@example.com")
    me = api("GET", "/api/me", token=token)
    assert me.status == 200 and me.body == {
        "id": uid,
        "email": "cora@example.com",
        "name": "Crew",
        "role": "crew",
    }


def test_invite_claim_and_links(api: Callable[..., Reply], tmp_path: Path) -> None:
    admin, _ = sign_in_as("admin")
    inv = api(
        "POST",
        "/api/auth/invite",
        token=admin,
        body={
            "email": "Cap@Example.com",
            "name": "Cal",
            "role": "captain",
            "licence_expires": "2030-01-01",
        },
    )
    assert inv.status == 201
    assert inv.body["link"] == f"https://crew.example.com/#/claim?code={inv.body['code']}"
    assert len(inv.body["code"]) >= 8 and not set(inv.body["code"]) & set("01OI")
    mails = outbox(tmp_path)
    assert mails[-1]["to"] == ["cap@example.com"]
    claimed = api("POST", "/api/auth/claim", body={"code": inv.body["code"]})
    assert claimed.status == 200
    assert claimed.body["user"]["role"] == "captain"
    assert claimed.body["user"]["licence_expires"] == "2030-01-01"
    assert api("POST", "/api/auth/claim", body={"code": inv.body["code"]}).status == 401  # used


def test_login_link_is_the_same_for_unknown_emails(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    sign_in_as("crew", email="known@example.com")
    known = api("POST", "/api/auth/login-link", body={"email": "known@example.com"})
    unknown = api("POST", "/api/auth/login-link", body={"email": "nobody@example.com"})
    assert known == unknown and known.status == 202
    mails = outbox(tmp_path)
    assert [m["to"] for m in mails] == [["known@example.com"]]


def test_event_lifecycle_with_claims_checklist_guests(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    admin, _ = sign_in_as("admin")
    cap, cap_id = sign_in_as("captain")
    crew, crew_id = sign_in_as("crew")
    created = api("POST", "/api/events", token=admin, body=trip())
    assert created.status == 201
    eid = created.body["id"]
    assert created.body["timing"]["boarding_at"].endswith("16:00:00-08:00")
    assert set(created.body["timing"]) == {
        "boarding_at",
        "departure_at",
        "return_at",
        "sunset_at",
        "civil_dusk_at",
        "returns_after_dusk",
    }
    listed = api("GET", "/api/events", token=crew)
    assert [e["id"] for e in listed.body["events"]] == [eid]
    assert (
        api("PATCH", f"/api/events/{eid}", token=admin, body={"title": "Moonrise"}).body["title"]
        == "Moonrise"
    )

    assert (
        api("POST", f"/api/events/{eid}/claims", token=cap, body={"role": "captain"}).status == 201
    )
    assert api("POST", f"/api/events/{eid}/claims", token=crew, body={"role": "crew"}).status == 201
    got = api("GET", f"/api/events/{eid}", token=crew).body
    assert got["open_slots"] == {"captain": 0, "crew": 1}

    items = api("GET", f"/api/events/{eid}/checklist", token=crew).body["items"]
    assert len(items) == 11 and items[0]["phase"] == "pre_departure"
    ticked = api(
        "PUT", f"/api/events/{eid}/checklist/{items[0]['id']}", token=crew, body={"done": True}
    )
    assert ticked.status == 200 and ticked.body["done_by"] == crew_id

    guest = api(
        "POST",
        f"/api/events/{eid}/guests",
        token=admin,
        body={"email": "g@example.com", "name": "Gail"},
    )
    assert guest.status == 201 and guest.body["status"] == "on_hold"
    waiver_mail = outbox(tmp_path)[-1]
    assert waiver_mail["to"] == ["g@example.com"] and "waiver" in waiver_mail["subject"].lower()
    blocked = api("POST", f"/api/events/{eid}/guests/{guest.body['id']}/check-in", token=cap)
    assert blocked.status == 409 and blocked.body["error"] == "waiver_required"

    g_token, _ = sign_in_as("guest", email="g@example.com")
    form = {
        "full_name": "Gail Guest",
        "date_of_birth": "1990-01-01",
        "emergency_contact_name": "Gus",
        "emergency_contact_phone": "+1 619 555 0100",
        "signature": "Gail Guest",
        "accept": True,
    }
    signed = api("POST", f"/api/events/{eid}/waiver", token=g_token, body=form)
    assert signed.status == 200 and signed.body["status"] == "cleared"
    checked = api("POST", f"/api/events/{eid}/guests/{guest.body['id']}/check-in", token=cap)
    assert checked.status == 200 and checked.body["status"] == "checked_in"
    manifest = api("GET", f"/api/events/{eid}/manifest", token=cap)
    assert [g["status"] for g in manifest.body["guests"]] == ["checked_in"]

    assert api("DELETE", f"/api/events/{eid}/claims/me", token=crew).status == 204
    assert api("DELETE", f"/api/events/{eid}/claims/{cap_id}", token=admin).status == 204
    cancelled = api("DELETE", f"/api/events/{eid}", token=admin)
    assert cancelled.status == 200 and cancelled.body["status"] == "cancelled"


def test_minor_waiver_needs_a_guardian(api: Callable[..., Reply]) -> None:
    admin, _ = sign_in_as("admin")
    eid = api("POST", "/api/events", token=admin, body=trip()).body["id"]
    api(
        "POST",
        f"/api/events/{eid}/guests",
        token=admin,
        body={"email": "kid@example.com", "name": "Kit"},
    )
    kid, _ = sign_in_as("guest", email="kid@example.com")
    form = {
        "full_name": "Kit",
        "date_of_birth": "2015-05-05",
        "emergency_contact_name": "Pat",
        "emergency_contact_phone": "555",
        "signature": "Kit",
        "accept": True,
    }
    refused = api("POST", f"/api/events/{eid}/waiver", token=kid, body=form)
    assert refused.status == 422 and set(refused.body["fields"]) == {
        "guardian_name",
        "guardian_signature",
    }


def test_logout_all_revokes_earlier_tokens(api: Callable[..., Reply]) -> None:
    token, _ = sign_in_as("crew")
    assert api("POST", "/api/auth/logout-all", token=token).status == 204
    assert api("GET", "/api/me", token=token).status == 401


def test_nudges_go_out_once_however_often_the_schedule_fires(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    admin, _ = sign_in_as("admin")
    soon = (datetime.now(UTC) + timedelta(hours=20)).replace(microsecond=0).isoformat()
    eid = api("POST", "/api/events", token=admin, body=trip(starts_at=soon)).body["id"]
    api(
        "POST",
        f"/api/events/{eid}/guests",
        token=admin,
        body={"email": "late@example.com", "name": "Late"},
    )
    before = len(outbox(tmp_path))
    schedule = {
        "source": "aws.events",
        "detail-type": "Scheduled Event",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/ptb_nudge"],
    }
    results = [lambda_handler(schedule, None) for _ in range(3)]
    assert results[0]["nudges"] == 3 and results[1]["nudges"] == results[2]["nudges"] == 0
    subjects = [m["subject"] for m in outbox(tmp_path)[before:]]
    assert len(subjects) == 3
    assert any("open slots" in s for s in subjects) and any("waiver" in s for s in subjects)
    assert any("checklist" in s for s in subjects)
