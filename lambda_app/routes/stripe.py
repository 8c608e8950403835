"""/api/stripe: the webhook Stripe calls (public: the signature is the authentication)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from core.errors import Invalid, Unavailable
from core.ops.models import utcnow
from core.sources.stripe_webhook import receive
from lambda_app.deps import deps
from lambda_app.errors import BadRequest
from lambda_app.http import configured_secret, json_response, raw_body
from lambda_app.telemetry import WEBHOOK_DUPLICATE, WEBHOOK_NEW, count, make_metrics

router = Router()


@router.post("/webhook")
def webhook() -> Response[str]:
    """200 {received, duplicate}; 400 for a bad or stale signature; 503 if not configured."""
    settings = deps().settings
    secret = configured_secret(settings.stripe_webhook_secret, settings.stripe_webhook_secret_arn)
    if not secret:
        raise Unavailable("Stripe webhooks are not configured here (STRIPE_WEBHOOK_SECRET)")
    header = router.current_event.headers.get("stripe-signature") or ""
    try:
        event, first = receive(deps().inbound, raw_body(router), header, secret, now=utcnow())
    except Invalid as exc:  # Stripe expects a 400 for anything it should not retry as-is
        raise BadRequest(exc.message) from exc
    count(make_metrics("api"), WEBHOOK_NEW if first else WEBHOOK_DUPLICATE)
    return json_response(200, {"received": True, "id": event.id, "duplicate": not first})
