"""/api/events: events, claims, checklists, guests, waivers and check-in."""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from core.errors import Invalid
from core.instants import parse_instant
from core.ops.service import OpsService
from lambda_app.deps import deps
from lambda_app.http import body, json_response, require_str, user
from lambda_app.serializers import event_json, guest_json, item_json

router = Router()


def _ops() -> OpsService:
    return deps().ops


def _when(name: str) -> datetime | None:
    raw = router.current_event.get_query_string_value(name)
    return parse_instant(raw, name) if raw else None


@router.get("")
def list_events() -> Response[str]:
    """200 {events: [...]}: the caller's upcoming list, or ?from=&to= as asked."""
    events = _ops().upcoming(user(router), start=_when("from"), end=_when("to"))
    return json_response(200, {"events": [event_json(_ops().describe(e)) for e in events]})


@router.post("")
def create_event() -> Response[str]:
    """201 event (admin)."""
    event = _ops().create_event(user(router), body(router))
    return json_response(201, event_json(_ops().describe(event)))


@router.get("/<event_id>")
def get_event(event_id: str) -> Response[str]:
    """200 event with timing (404 for events the caller may not see)."""
    return json_response(200, event_json(_ops().view(user(router), event_id)))


@router.patch("/<event_id>")
def patch_event(event_id: str) -> Response[str]:
    """200 event (admin)."""
    event = deps().access.change_event(user(router), event_id, body(router))
    return json_response(200, event_json(_ops().describe(event)))


@router.delete("/<event_id>")
def cancel_event(event_id: str) -> Response[str]:
    """200 event, now cancelled (admin)."""
    event = deps().access.cancel_event(user(router), event_id)
    return json_response(200, event_json(_ops().describe(event)))


@router.post("/<event_id>/claims")
def claim_slot(event_id: str) -> Response[str]:
    """201 claim; 409 slot_full / already_claimed; 403 not_qualified."""
    role = require_str(body(router), "role")["role"]
    c = _ops().claim(user(router), event_id, role)
    return json_response(
        201, {"event_id": c.event_id, "role": c.role, "slot_no": c.slot_no, "user_id": c.user_id}
    )


@router.delete("/<event_id>/claims/me")
def release_mine(event_id: str) -> Response[str]:
    """204; 409 late_release within 24 h of departure."""
    _ops().release(user(router), event_id)
    return json_response(204)


@router.delete("/<event_id>/claims/<user_id>")
def remove_claim(event_id: str, user_id: str) -> Response[str]:
    """204 (admin)."""
    _ops().release(user(router), event_id, user_id)
    return json_response(204)


@router.get("/<event_id>/checklist")
def checklist(event_id: str) -> Response[str]:
    """200 {items: [...]} for the event's crew and admins."""
    items = _ops().checklist(user(router), event_id)
    return json_response(200, {"items": [item_json(i) for i in items]})


@router.put("/<event_id>/checklist/<item_id>")
def tick(event_id: str, item_id: str) -> Response[str]:
    """200 item."""
    done = body(router).get("done")
    if not isinstance(done, bool):
        raise Invalid("bad done", fields={"done": "true or false"})
    return json_response(200, item_json(_ops().tick(user(router), event_id, item_id, done)))


@router.post("/<event_id>/guests")
def add_guest(event_id: str) -> Response[str]:
    """201 guest, on hold; emails a waiver link (admin). 503 ``mail_not_sent`` if the mail
    fails: the guest stays on the manifest and the link can be resent."""
    fields = require_str(body(router), "email", "name")
    guest, _ = deps().access.add_guest(
        user(router), event_id, email=fields["email"], name=fields["name"]
    )
    return json_response(201, guest_json(guest))


@router.post("/<event_id>/guests/<guest_id>/resend")
def resend_waiver_link(event_id: str, guest_id: str) -> Response[str]:
    """202 {sent, expires_at}: a fresh waiver link emailed to the guest (admin)."""
    inv = deps().access.guest_link(user(router), event_id, guest_id)
    return json_response(202, {"sent": True, "expires_at": inv.expires_at.isoformat()})


@router.get("/<event_id>/manifest")
def manifest(event_id: str) -> Response[str]:
    """200 {guests: [...]} for admins and the event's captain."""
    guests = _ops().manifest(user(router), event_id)
    return json_response(200, {"guests": [guest_json(g) for g in guests]})


@router.post("/<event_id>/waiver")
def waiver(event_id: str) -> Response[str]:
    """200 guest, cleared; 422 for an under-18 without a guardian; 409 once signed."""
    return json_response(200, guest_json(_ops().sign_waiver(user(router), event_id, body(router))))


@router.post("/<event_id>/guests/<guest_id>/check-in")
def check_in(event_id: str, guest_id: str) -> Response[str]:
    """200 guest; 409 waiver_required while on hold."""
    return json_response(200, guest_json(_ops().check_in(user(router), event_id, guest_id)))
