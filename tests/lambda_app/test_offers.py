"""Offering and taking a slot through the API, on both ops stores: role x route, cross-entity
attempts, bad input, the late-release exemption, cancel, the offers list and the nudges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, ops_records, outbox, sign_in_as
from tests.lambda_app.test_api import trip
from tests.lambda_app.test_ops_scopes import CENTAUR, claim, scoped_admin

NUDGE_RUN = {
    "source": "aws.events",
    "detail-type": "Scheduled Event",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/ptb_nudge"],
}


def _setup(api: Callable[..., Reply], **extra: Any) -> dict[str, Any]:
    """An admin, a trip, a captain and a crew member holding slots on it, a second crew."""
    admin, _ = sign_in_as("admin", email="root@example.com")
    cap, cap_id = sign_in_as("captain")
    crew, crew_id = sign_in_as("crew")
    crew2, crew2_id = sign_in_as("crew")
    eid = api("POST", "/api/events", token=admin, body=trip(**extra)).body["id"]
    assert (
        api("POST", f"/api/events/{eid}/claims", token=cap, body={"role": "captain"}).status == 201
    )
    assert api("POST", f"/api/events/{eid}/claims", token=crew, body={"role": "crew"}).status == 201
    return {
        "admin": admin,
        "cap": cap,
        "cap_id": cap_id,
        "crew": crew,
        "crew_id": crew_id,
        "crew2": crew2,
        "crew2_id": crew2_id,
        "eid": eid,
    }


def _holders(eid: str) -> dict[tuple[str, int], str]:
    return {(c.role, c.slot_no): c.user_id for c in ops_records().claims(eid)}


def test_offer_then_take_moves_the_slot(api: Callable[..., Reply]) -> None:
    s = _setup(api)
    eid = s["eid"]
    made = api("POST", f"/api/events/{eid}/offers", token=s["crew"], body={"role": "crew"})
    assert made.status == 201, made.body
    offer = made.body
    assert set(offer) == {
        "id",
        "event_id",
        "role",
        "slot_no",
        "offered_by",
        "status",
        "created_at",
        "closes_at",
    }
    assert (offer["event_id"], offer["role"], offer["slot_no"], offer["status"]) == (
        eid,
        "crew",
        1,
        "open",
    )
    assert offer["offered_by"] == s["crew_id"]
    again = api("POST", f"/api/events/{eid}/offers", token=s["crew"], body={"role": "crew"})
    assert again.status == 409 and again.body["error"] == "offer_exists"

    shown = api("GET", f"/api/events/{eid}", token=s["crew2"]).body
    assert [o["id"] for o in shown["offers"]] == [offer["id"]]
    listed = api("GET", "/api/offers", token=s["crew2"])
    assert listed.status == 200
    assert [o["id"] for o in listed.body["offers"]] == [offer["id"]]
    assert listed.body["offers"][0]["event"]["title"] == "Sunset sail"
    own = api("GET", "/api/offers", token=s["crew"]).body["offers"]
    assert [o["id"] for o in own] == [offer["id"]]  # their own open offer
    assert api("GET", "/api/offers", token=s["cap"]).body["offers"] == []  # already on the trip

    took = api("POST", f"/api/offers/{offer['id']}/take", token=s["crew2"])
    assert took.status == 200, took.body
    assert took.body == {
        "offer_id": offer["id"],
        "event_id": eid,
        "role": "crew",
        "slot_no": 1,
        "user_id": s["crew2_id"],
    }
    assert _holders(eid) == {("captain", 1): s["cap_id"], ("crew", 1): s["crew2_id"]}
    assert [c.event_id for c in ops_records().user_claims(s["crew_id"])] == []
    assert [c.event_id for c in ops_records().user_claims(s["crew2_id"])] == [eid]
    second = api("POST", f"/api/offers/{offer['id']}/take", token=s["crew"])
    assert second.status == 409 and second.body["error"] == "offer_taken"
    assert api("GET", f"/api/events/{eid}", token=s["crew2"]).body["offers"] == []
    assert api("GET", "/api/offers", token=s["crew"]).body["offers"] == []


def test_who_may_offer_take_and_cancel(api: Callable[..., Reply]) -> None:
    s = _setup(api)
    eid = s["eid"]
    guest, _ = sign_in_as("guest")
    for token in (s["admin"], s["crew2"], guest):  # not the holder of a crew slot
        no = api("POST", f"/api/events/{eid}/offers", token=token, body={"role": "crew"})
        assert no.status in (403, 404), no.body
    wrong_role = api("POST", f"/api/events/{eid}/offers", token=s["crew"], body={"role": "captain"})
    assert wrong_role.status == 403 and wrong_role.body["error"] == "not_holder"
    offer = api("POST", f"/api/events/{eid}/offers", token=s["cap"], body={"role": "captain"}).body
    oid = offer["id"]
    # a crew member cannot take a captain's slot; an admin or a guest cannot take any
    for token in (s["crew2"], s["admin"]):
        assert api("POST", f"/api/offers/{oid}/take", token=token).status == 403
    assert api("POST", f"/api/offers/{oid}/take", token=guest).status == 404  # not their trip
    assert api("DELETE", f"/api/offers/{oid}", token=guest).status == 404
    # someone else's offer cannot be cancelled by crew; the offerer's own can
    assert api("DELETE", f"/api/offers/{oid}", token=s["crew2"]).status == 403
    assert api("DELETE", f"/api/offers/{oid}", token=s["cap"]).status == 204
    gone = api("POST", f"/api/offers/{oid}/take", token=s["crew2"])
    assert gone.status == 409 and gone.body["error"] == "offer_closed"
    again = api("DELETE", f"/api/offers/{oid}", token=s["cap"])
    assert again.status == 409 and again.body["error"] == "offer_closed"
    # an admin cancels a crew member's offer
    crew_offer = api("POST", f"/api/events/{eid}/offers", token=s["crew"], body={"role": "crew"})
    assert api("DELETE", f"/api/offers/{crew_offer.body['id']}", token=s["admin"]).status == 204
    assert _holders(eid) == {("captain", 1): s["cap_id"], ("crew", 1): s["crew_id"]}
    assert api("POST", "/api/offers/nope/take", token=s["crew2"]).status == 404
    assert api("DELETE", "/api/offers/nope", token=s["admin"]).status == 404


def test_another_entitys_people_get_404_and_change_nothing(api: Callable[..., Reply]) -> None:
    s = _setup(api)
    eid = s["eid"]
    oid = api("POST", f"/api/events/{eid}/offers", token=s["crew"], body={"role": "crew"}).body[
        "id"
    ]
    cent_admin = scoped_admin(api, s["admin"], "cent@example.com")
    inv = api(
        "POST",
        "/api/auth/invite",
        token=cent_admin,
        body={"email": "centcrew@example.com", "name": "Cent Crew", "role": "crew"},
    )
    cent_crew = claim(api, inv.body["code"]).body["token"]
    for token in (cent_admin, cent_crew):
        assert api("POST", f"/api/offers/{oid}/take", token=token).status == 404
        assert api("DELETE", f"/api/offers/{oid}", token=token).status == 404
        made = api("POST", f"/api/events/{eid}/offers", token=token, body={"role": "crew"})
        assert made.status == 404
        assert api("GET", "/api/offers", token=token).body["offers"] == []
    assert ops_records().get_offer(oid).status == "open"
    assert _holders(eid)[("crew", 1)] == s["crew_id"]
    assert CENTAUR  # the scoped admin's entity, not the trip's


def test_bad_input_is_422_with_fields(api: Callable[..., Reply]) -> None:
    s = _setup(api)
    for payload in ({}, {"role": ""}, {"role": 3}):
        bad = api("POST", f"/api/events/{s['eid']}/offers", token=s["crew"], body=payload)
        assert bad.status == 422 and "role" in bad.body["fields"]
    odd = api("POST", f"/api/events/{s['eid']}/offers", token=s["crew"], body={"role": "cook"})
    assert odd.status == 422 and "role" in odd.body["fields"]
    raw = api("POST", f"/api/events/{s['eid']}/offers", token=s["crew"], raw="[1]")
    assert raw.status == 400
    assert api("GET", "/api/offers").status == 401


def test_taking_within_24h_releases_the_offerer_without_late_release(
    api: Callable[..., Reply],
) -> None:
    soon = (datetime.now(UTC) + timedelta(hours=6)).replace(microsecond=0).isoformat()
    s = _setup(api, starts_at=soon)
    late = api("DELETE", f"/api/events/{s['eid']}/claims/me", token=s["crew"])
    assert late.status == 409 and late.body["error"] == "late_release"
    oid = api(
        "POST", f"/api/events/{s['eid']}/offers", token=s["crew"], body={"role": "crew"}
    ).body["id"]
    assert api("POST", f"/api/offers/{oid}/take", token=s["crew2"]).status == 200
    assert _holders(s["eid"])[("crew", 1)] == s["crew2_id"]


def test_a_cancelled_trip_refuses_offers(api: Callable[..., Reply]) -> None:
    s = _setup(api)
    oid = api(
        "POST", f"/api/events/{s['eid']}/offers", token=s["crew"], body={"role": "crew"}
    ).body["id"]
    assert api("DELETE", f"/api/events/{s['eid']}", token=s["admin"]).status == 200
    made = api("POST", f"/api/events/{s['eid']}/offers", token=s["cap"], body={"role": "captain"})
    assert made.status == 409 and made.body["error"] == "event_closed"
    took = api("POST", f"/api/offers/{oid}/take", token=s["crew2"])
    assert took.status == 409 and took.body["error"] == "event_closed"


def test_nudges_mention_offers_and_mail_the_qualified_once(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    soon = (datetime.now(UTC) + timedelta(hours=30)).replace(microsecond=0).isoformat()
    s = _setup(api, starts_at=soon)
    other_cap, _ = sign_in_as("captain", email="other-cap@example.com")
    sign_in_as("crew", email="spare@example.com")
    oid = api(
        "POST", f"/api/events/{s['eid']}/offers", token=s["crew"], body={"role": "crew"}
    ).body["id"]
    before = len(outbox(tmp_path))
    assert lambda_handler(NUDGE_RUN, None)["nudges"] >= 2
    mails = outbox(tmp_path)[before:]
    offered = [m for m in mails if m["subject"].startswith("A slot is offered on Sunset sail")]
    to = sorted(m["to"][0] for m in offered)
    # crew and captains not on the trip hear; the people on it and the admin do not
    assert "spare@example.com" in to and "other-cap@example.com" in to
    assert "root@example.com" not in to and len(to) == 3  # spare, other captain, crew2
    unfilled = [m for m in mails if "open offers: 1 crew" in m["subject"]]
    assert unfilled, [m["subject"] for m in mails]
    before = len(outbox(tmp_path))
    assert lambda_handler(NUDGE_RUN, None)["nudges"] == 0  # once per offer, once per day
    assert len(outbox(tmp_path)) == before
    assert ops_records().get_offer(oid).status == "open"
    assert other_cap
