"""/api/offers and /api/events/{id}/offers: offer a slot, take it, cancel it, list them."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from lambda_app.deps import deps
from lambda_app.http import body, json_response, require_str, user
from lambda_app.serializers import offer_json

router = Router()


@router.post("/events/<event_id>/offers")
def offer_slot(event_id: str) -> Response[str]:
    """201 offer (the slot's holder); 403 not_holder; 409 offer_exists / event_closed."""
    role = require_str(body(router), "role")["role"]
    return json_response(201, offer_json(deps().ops.offer_slot(user(router), event_id, role)))


@router.get("/offers")
def list_offers() -> Response[str]:
    """200 {offers: [...]}: the open offers the caller could take, and their own, each with
    its trip's title, vessel and departure."""
    ops = deps().ops
    pairs = ops.open_offers(user(router))
    return json_response(
        200,
        {
            "offers": [
                {
                    **offer_json(o),
                    "event": {
                        "id": e.id,
                        "entity": e.entity,
                        "title": e.title,
                        "vessel": e.vessel,
                        "starts_at": e.starts_at.astimezone(ops.tz).isoformat(),
                    },
                }
                for o, e in pairs
            ]
        },
    )


@router.post("/offers/<offer_id>/take")
def take_offer(offer_id: str) -> Response[str]:
    """200 the new claim; 409 offer_taken / offer_closed; 403 not_qualified."""
    c = deps().ops.take_offer(user(router), offer_id)
    return json_response(
        200,
        {
            "offer_id": offer_id,
            "event_id": c.event_id,
            "role": c.role,
            "slot_no": c.slot_no,
            "user_id": c.user_id,
        },
    )


@router.delete("/offers/<offer_id>")
def cancel_offer(offer_id: str) -> Response[str]:
    """204 (who offered it, or an admin); 409 once taken or closed."""
    deps().ops.cancel_offer(user(router), offer_id)
    return json_response(204)
