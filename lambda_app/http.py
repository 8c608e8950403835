"""Request helpers shared by the routers: JSON bodies, the signed-in user, JSON responses."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from core.errors import Invalid
from core.ops.models import OpsUser
from lambda_app.errors import BadRequest

MAX_BODY = 64 * 1024


def body(router: BaseRouter) -> dict[str, Any]:
    """The JSON object sent; BadRequest if it is not one."""
    raw = router.current_event.decoded_body or ""
    try:
        data = json.loads(raw) if raw.strip() else {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest("the body is not valid JSON") from exc
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data


def user(router: BaseRouter) -> OpsUser:
    """The signed-in user (set by the auth middleware)."""
    return router.context["user"]


def client_address(router: BaseRouter) -> str:
    """The caller's address as API Gateway saw it."""
    ctx = router.current_event.raw_event.get("requestContext", {})
    return str(ctx.get("http", {}).get("sourceIp", "unknown"))


def json_response(status: int, payload: Any = None) -> Response[str]:
    """A JSON response (no body for 204)."""
    return Response(
        status_code=status,
        content_type="application/json",
        body="" if status == 204 else json.dumps(payload, default=str),
    )


def require_str(data: dict[str, Any], *names: str) -> dict[str, str]:
    """The named fields as non-empty strings; Invalid naming each bad one."""
    fields = {
        n: "required text" for n in names if not isinstance(data.get(n), str) or not data[n].strip()
    }
    if fields:
        raise Invalid("missing or bad fields", fields=fields)
    return {n: data[n].strip() for n in names}
