"""Stripe webhooks: check the signature over the raw body, then keep each event once.

The check is Stripe's scheme (``Stripe-Signature: t=<unix>,v1=<hex hmac-sha256>``, the HMAC of
``"<t>.<raw body>"`` under the endpoint secret, within a tolerance of 300 s), written out here
with ``hmac`` so the Lambda API does not import the ``stripe`` package on its path; a test
checks it agrees with ``stripe.Webhook.construct_event``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from core.errors import Invalid
from core.ops.models import InboundEvent
from core.ops.store import InboundEvents

TOLERANCE_SECONDS = 300
KEEP_FOR = timedelta(days=30)  # Stripe retries for up to 3 days; a month is ample


def _mac(payload: bytes, secret: str, timestamp: int) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` header Stripe would send (for tests and local tools)."""
    return f"t={timestamp},v1={_mac(payload, secret, timestamp)}"


def verify(payload: bytes, header: str, secret: str, *, now: datetime) -> dict[str, Any]:
    """The event, if ``header`` signs ``payload`` within the tolerance; Invalid otherwise."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            # plain ASCII digits only: int() also reads other scripts' digits and huge numbers
            ok = value.isascii() and value.isdigit() and len(value) <= 12
            timestamp = int(value) if ok else None
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise Invalid("missing or malformed Stripe-Signature header")
    expected = _mac(payload, secret, timestamp)
    # as bytes: compare_digest refuses str with non-ASCII characters (a header is any text)
    given = [s.encode("utf-8", "surrogatepass") for s in signatures]
    if not any(hmac.compare_digest(expected.encode(), s) for s in given):
        raise Invalid("the Stripe signature does not match this body and secret")
    if abs(now.timestamp() - timestamp) > TOLERANCE_SECONDS:
        raise Invalid(f"the Stripe signature is older than {TOLERANCE_SECONDS} s (replay?)")
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, huge numbers, deep nesting
        raise Invalid("the webhook body is not JSON") from exc
    event_id = event.get("id") if isinstance(event, dict) else None
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 255:  # the id becomes a key
        raise Invalid("the webhook body is not a Stripe event")
    return event


def inbound_event(event: dict[str, Any], *, now: datetime) -> InboundEvent:
    """What is kept of a verified event."""
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    obj = obj if isinstance(obj, dict) else {}  # a signed body is still any JSON
    created = event.get("created")
    return InboundEvent(
        source="stripe",
        id=event["id"],
        type=str(event.get("type") or "unknown"),
        created_at=_created(created) or now,
        received_at=now,
        expires_at=now + KEEP_FOR,
        account=event.get("account") if isinstance(event.get("account"), str) else None,
        object_id=obj.get("id") if isinstance(obj.get("id"), str) else None,
        livemode=bool(event.get("livemode")),
    )


def _created(value: Any) -> datetime | None:
    """An event's ``created`` epoch seconds as a time, if it is a plausible one."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def receive(
    store: InboundEvents, payload: bytes, header: str, secret: str, *, now: datetime
) -> tuple[InboundEvent, bool]:
    """Verify and keep a webhook delivery; (event, True) the first time, (event, False) after."""
    event = inbound_event(verify(payload, header, secret, now=now), now=now)
    return event, store.record_inbound(event)
