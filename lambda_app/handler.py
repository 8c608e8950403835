"""lambda_handler: the HTTP API (API Gateway HTTP API, payload v2) and scheduled nudges.

Imports no pandas, plotly, streamlit, sqlmodel or stripe: its cold start is a product feature.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from core.errors import DomainError, NotFound, Unauthorized
from lambda_app.deps import deps
from lambda_app.errors import TooLarge, error_body, status_of
from lambda_app.http import MAX_BODY, MAX_PATH, json_response
from lambda_app.routes import auth, events, stripe

INTERNAL = {"error": "internal", "message": "something went wrong on our side; try again"}
PUBLIC = {"/api/health", "/api/auth/login-link", "/api/auth/claim", "/api/stripe/webhook"}

logger = logging.getLogger(__name__)
app = APIGatewayHttpResolver()


def size_limit(router: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """404 for paths too long to name anything, 413 for bodies over 64 KiB, before anything
    reads them (a path's ids become store keys, which have size limits of their own)."""
    if len(router.current_event.path.encode("utf-8", "surrogatepass")) > MAX_PATH:
        raise NotFound("no such route")
    raw = router.current_event.body or ""
    if len(raw) > MAX_BODY * (4 / 3 if router.current_event.is_base64_encoded else 1):
        raise TooLarge(f"the body is over {MAX_BODY // 1024} KiB")
    return next_middleware(router)


def authenticate(router: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Every route but the public ones needs ``Authorization: Bearer <JWT>``."""
    if router.current_event.path not in PUBLIC:
        header = router.current_event.headers.get("authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("sign in first: Authorization: Bearer <token>")
        router.append_context(user=deps().access.authenticate(token.strip()))
    return next_middleware(router)


app.use(middlewares=[size_limit, authenticate])
app.include_router(auth.router, prefix="/api/auth")
app.include_router(events.router, prefix="/api/events")
app.include_router(stripe.router, prefix="/api/stripe")


@app.get("/api/health")
def health() -> Response[str]:
    """200 {"ok": true}."""
    return json_response(200, {"ok": True})


@app.get("/api/me")
def me() -> Response[str]:
    """200 the signed-in user."""
    from lambda_app.serializers import user_json

    return json_response(200, user_json(app.context["user"]))


@app.exception_handler(DomainError)
def domain_error(exc: DomainError) -> Response[str]:
    """Every core error, mapped in one place; a 5xx is logged with its cause."""
    status = status_of(exc)
    if status >= 500:
        logger.error("%s: %s", type(exc).__name__, exc.message, exc_info=exc)
    return json_response(status, error_body(exc))


@app.exception_handler(Exception)
def internal_error(exc: Exception) -> Response[str]:
    """Last resort: log the cause with its traceback; the client gets no detail."""
    event = app.current_event
    logger.error("unhandled error in %s %s", event.http_method, event.path, exc_info=exc)
    return json_response(500, INTERNAL)


@app.not_found
def not_found(_exc: Exception) -> Response[str]:
    """Unknown routes."""
    return json_response(404, {"error": "not_found", "message": "no such route"})


def is_nudge_schedule(event: dict[str, Any]) -> bool:
    """An EventBridge scheduled event from the ``ptb_nudge`` rule."""
    return event.get("source") == "aws.events" and any(
        str(r).rsplit("/", 1)[-1] == "ptb_nudge" for r in event.get("resources", [])
    )


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point."""
    if is_nudge_schedule(event):
        from lambda_app.nudges import send_nudges

        return {"nudges": send_nudges(deps())}
    try:
        return app.resolve(event, context)
    except Exception:  # outside a route (the event itself, the answer's building): still JSON
        logger.exception("unhandled error resolving an HTTP event")
        return {
            "statusCode": 500,
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps(INTERNAL),
            "isBase64Encoded": False,
        }
