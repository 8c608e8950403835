"""lambda_handler: the HTTP API (API Gateway HTTP API, payload v2) and scheduled nudges.

Imports no pandas, plotly, streamlit, sqlmodel or stripe: its cold start is a product feature.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from core.errors import DomainError, NotFound, Unauthorized
from lambda_app.deps import deps
from lambda_app.errors import TooLarge, error_body, status_of
from lambda_app.http import MAX_BODY, MAX_PATH, json_response
from lambda_app.routes import auth, calendar, events, float_plans, me, offers, stripe
from lambda_app.telemetry import (
    CLAIMS_CONFLICT,
    CLAIMS_FAILED,
    CLAIMS_REFUSED,
    CLAIMS_WON,
    CODE_CLAIMS_FAILED,
    EMAILS_FAILED,
    EMAILS_SENT,
    LOGIN_LINKS_SENT,
    NUDGES_FAILED,
    NUDGES_SENT,
    RATE_LIMITED,
    WEBHOOK_BAD_SIGNATURE,
    MeteredSender,
    count,
    flush,
    make_logger,
    make_metrics,
    wire_core,
)

INTERNAL = {"error": "internal", "message": "something went wrong on our side; try again"}
PUBLIC = {"/api/health", "/api/auth/login-link", "/api/auth/claim", "/api/stripe/webhook"}
PUBLIC_PREFIXES = ("/api/calendar/",)  # calendar feeds: the token in the path is the credential

CLAIM_ROUTE = "POST /api/events/<event_id>/claims"
# (route, status) -> counter; every other status of the claim route is a failed claim
STATUS_METRICS = {
    (CLAIM_ROUTE, 201): CLAIMS_WON,
    (CLAIM_ROUTE, 409): CLAIMS_CONFLICT,
    (CLAIM_ROUTE, 403): CLAIMS_REFUSED,
    ("POST /api/auth/claim", 401): CODE_CLAIMS_FAILED,
    ("POST /api/auth/claim", 429): CODE_CLAIMS_FAILED,
    ("POST /api/stripe/webhook", 400): WEBHOOK_BAD_SIGNATURE,
}

logger = make_logger("api")
metrics = make_metrics("api")
app = APIGatewayHttpResolver()
_local = threading.local()


def _seen() -> dict[str, Any]:
    """The matched route and the signed-in user of this thread's request in flight
    (one request at a time on Lambda; lambda_app.serve answers on several threads)."""
    if not hasattr(_local, "seen"):
        _local.seen = {}
    return _local.seen


def observe(router: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Note the route's pattern (never the raw path: ids and tokens) and, once the
    authentication middleware has run, who asked, for the request's log line."""
    route = router.context.get("_route")
    # an unknown path runs the chain too, as a stand-in route named after the raw path
    known = route is not None and getattr(route.func, "__name__", "") != "not_found_handler"
    _seen()["route"] = f"{route.method} {route.path}" if known else None
    try:
        return next_middleware(router)
    finally:
        _seen()["user"] = router.context.get("user")


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
    path = router.current_event.path
    if path not in PUBLIC and not path.startswith(PUBLIC_PREFIXES):
        header = router.current_event.headers.get("authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("sign in first: Authorization: Bearer <token>")
        router.append_context(user=deps().access.authenticate(token.strip()))
    return next_middleware(router)


app.use(middlewares=[observe, size_limit, authenticate])
app.include_router(auth.router, prefix="/api/auth")
app.include_router(events.router, prefix="/api/events")
app.include_router(float_plans.router, prefix="/api/events")
app.include_router(float_plans.entities, prefix="/api/entities")
app.include_router(stripe.router, prefix="/api/stripe")
app.include_router(me.router, prefix="/api/me")
app.include_router(calendar.router, prefix="/api/calendar")
app.include_router(offers.router, prefix="/api")


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
    elif status != 404:  # why a request was turned down, without the stack
        logger.info("%s: %s", type(exc).__name__, exc.message)
    return json_response(status, error_body(exc))


@app.exception_handler(Exception)
def internal_error(exc: Exception) -> Response[str]:
    """Last resort: log the cause with its traceback; the client gets no detail."""
    logger.error("unhandled error in %s", _seen().get("route"), exc_info=exc)
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


def request_line(event: dict[str, Any], status: int, started: float) -> dict[str, Any]:
    """The request's log fields: route pattern, status, duration, who (id and role)."""
    user = _seen().get("user")
    return {
        "route": _seen().get("route") or "(no route)",
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "user_id": getattr(user, "id", None),
        "role": getattr(user, "role", None),
    }


def count_request(route: str, status: int) -> None:
    """The request's counters: claims, failed code claims, 429s, mail sent or failed."""
    name = STATUS_METRICS.get((route, status))
    if name is None and route == CLAIM_ROUTE:
        name = CLAIMS_FAILED
    if name:
        count(metrics, name)
    if status == 429:
        count(metrics, RATE_LIMITED)
    sent, failed = mail_counts()
    count(metrics, EMAILS_SENT, sent)
    count(metrics, EMAILS_FAILED, failed)
    if route == "POST /api/auth/login-link":
        count(metrics, LOGIN_LINKS_SENT, sent)


def mail_counts() -> tuple[int, int]:
    """(sent, failed) messages since the last call, if the dependencies are built."""
    if not deps.cache_info().currsize:  # e.g. /api/health: nothing was opened
        return 0, 0
    sender = deps().sender
    return sender.take() if isinstance(sender, MeteredSender) else (0, 0)


def nudge_run() -> dict[str, Any]:
    """The ptb_nudge schedule: send, then one log line and the run's counters."""
    from lambda_app.nudges import send_nudges

    started = time.perf_counter()
    run = send_nudges(deps())
    sent, failed = mail_counts()
    logger.info(
        "nudge run",
        extra={
            "nudges_sent": run.sent,
            "nudges_skipped": run.skipped,
            "messages_failed": run.failed,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    count(metrics, NUDGES_SENT, run.sent)
    count(metrics, NUDGES_FAILED, run.failed)
    count(metrics, EMAILS_SENT, sent)
    count(metrics, EMAILS_FAILED, failed)
    flush(metrics)
    return {"nudges": run.sent, "skipped": run.skipped, "failed": run.failed}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point: one JSON log line and one EMF line per invocation."""
    wire_core(logger)
    if is_nudge_schedule(event):
        return nudge_run()
    started = time.perf_counter()
    _seen().clear()
    ctx = event.get("requestContext") if isinstance(event, dict) else None
    logger.set_correlation_id(ctx.get("requestId") if isinstance(ctx, dict) else None)
    try:
        out = app.resolve(event, context)
    except Exception:  # outside a route (the event itself, the answer's building): still JSON
        logger.exception("unhandled error resolving an HTTP event")
        out = {
            "statusCode": 500,
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps(INTERNAL),
            "isBase64Encoded": False,
        }
    line = request_line(event, out["statusCode"], started)
    logger.info("request", extra=line)
    count_request(line["route"], line["status"])
    flush(metrics)
    return out
