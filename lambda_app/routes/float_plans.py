"""Float plans: "Departed" and "Back" under /api/events, each entity's shore contact under
/api/entities. Two routers: ``router`` is included with the /api/events prefix beside the
events router, ``entities`` with /api/entities."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from core.ops.float_plan import ShoreContact, contact_to_json
from lambda_app.deps import deps
from lambda_app.http import body, json_response, user
from lambda_app.serializers import float_plan_json

router = Router()
entities = Router()


@router.post("/<event_id>/departed")
def departed(event_id: str) -> Response[str]:
    """200 float plan {eta, souls_on_board}; 409 already_departed / event_closed (captain,
    admin)."""
    ops = deps().ops
    plan = ops.depart(user(router), event_id, body(router))
    return json_response(200, float_plan_json(plan, ops.tz))


@router.post("/<event_id>/returned")
def returned(event_id: str) -> Response[str]:
    """200 float plan with returned_at; 409 not_departed / already_returned."""
    ops = deps().ops
    return json_response(200, float_plan_json(ops.mark_back(user(router), event_id), ops.tz))


def shore_contact_json(entity: str, c: ShoreContact | None) -> dict[str, Any]:
    """``{entity, email, name, phone, updated_by, updated_at}``; nulls when none is set."""
    if c is not None:
        return contact_to_json(c)
    return {
        "entity": entity,
        **dict.fromkeys(("email", "name", "phone", "updated_by", "updated_at")),
    }


@entities.get("/<entity>/shore-contact")
def get_shore_contact(entity: str) -> Response[str]:
    """200 the entity's shore contact (nulls when unset); admin over the entity."""
    contact = deps().ops.shore_contact(user(entities), entity)
    return json_response(200, shore_contact_json(entity, contact))


@entities.put("/<entity>/shore-contact")
def put_shore_contact(entity: str) -> Response[str]:
    """200 the saved contact {email, name?, phone?}; 422 on a bad email; admin only."""
    contact = deps().ops.set_shore_contact(user(entities), entity, body(entities))
    return json_response(200, shore_contact_json(contact.entity, contact))
