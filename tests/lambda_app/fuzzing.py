"""Random requests for every route of the API, as every role: the fuzz tests' strategies.

Routes are read from the Powertools app, so a route added later is fuzzed without a change
here. Path parameters are real ids (so requests reach deep into the handlers) or random text;
bodies are random JSON, JSON objects with the API's own field names, raw text and raw bytes;
headers and query strings are random too, non-ASCII and huge values included.
"""

from __future__ import annotations

import base64
import json
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

from core.ops_access.tokens import issue
from core.sources.stripe_webhook import sign

# what the contract lets the API answer (CONTRACT section 6): never a 5xx
ALLOWED = {200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 422, 429}
ROLES = ("admin", "captain", "crew", "guest", "anonymous")
WEBHOOK_SECRET = "whsec_fuzz_secret"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
PARAM = re.compile(r"<(\w+)>")

FIELDS = (
    "email",
    "name",
    "role",
    "event_id",
    "licence_expires",
    "code",
    "entity",
    "title",
    "vessel",
    "starts_at",
    "duration_minutes",
    "slots",
    "guests_max",
    "status",
    "done",
    "full_name",
    "date_of_birth",
    "emergency_contact_name",
    "emergency_contact_phone",
    "signature",
    "accept",
    "guardian_name",
    "guardian_signature",
    "id",
    "type",
    "created",
    "data",
    "account",
    "livemode",
)
TIMES = (
    "2026-12-01T10:00:00-08:00",
    "9999-12-31T23:00Z",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59.999999-23:59",
    "9999-12-30T23:00Z",
    "0001-01-01T00:30+14:00",
    "0001-01-01T00:00+23:59",
    "0001-01-01T00:00Z",
    "2000-01-01T00:00+14:00",
    "2100-12-31T23:59-12:00",
    "1999-12-31T23:59:59Z",
    "2026-06-01T10:00:00",
    "2026-02-30T10:00Z",
    "2026-06-01",
    "0001-01-01",
    "9999-12-31",
    "",
)
LONG_TEXT = ("x" * 3000, "\U0001f600" * 700, "a" * 2000 + "@example.com", "\u00e9" * 600)
NASTY_RAW = (
    "[" * 5000,
    "{" * 3000,
    "9" * 5000,
    '{"code": ' + "9" * 5000 + "}",
    "NaN",
    '{"email": NaN}',
    '{"code": Infinity}',
    "[-Infinity]",
    "1e999",
    '{"duration_minutes": 1e999}',
    '{"a": "\\ud800"}',
    "\ufeff{}",
    "null",
    '"text"',
    "[]",
    "",
    " ",
)


@dataclass
class World:
    """The signed-in users and the real ids the fuzz draws path parameters from."""

    users: dict[str, str]  # role -> user id
    ids: dict[str, list[str]] = field(default_factory=dict)  # path param -> real values
    secret: str = ""


def routes() -> list[tuple[str, str]]:
    """Every (method, path template) the app serves, e.g. ("GET", "/api/events/<event_id>")."""
    from lambda_app.handler import app

    found = [(r.method, r.path) for r in app._static_routes + app._dynamic_routes]
    assert len(found) >= 20, found  # the app's routes were found (the private names held)
    return sorted(set(found))


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)
interesting = st.sampled_from(
    (
        "admin",
        "captain",
        "crew",
        "guest",
        "x@example.com",
        "guest-fuzz@example.com",
        "QueenofSanDiego",
        15,
        150,
        14 * 24 * 60,
        10**29,
        -1,
        0,
        True,
        {"captain": 1, "crew": 2},
        {"captain": 10**29},
        "scheduled",
        "cancelled",
        *LONG_TEXT,
        *TIMES,
    )
)
field_values = json_values | interesting
TIME_FIELDS = {"starts_at", "licence_expires", "date_of_birth", "created"}


def value_for(name: str) -> st.SearchStrategy[Any]:
    """Values for a named body field: times near and past the limits for the time fields."""
    return st.sampled_from(TIMES) | field_values if name in TIME_FIELDS else field_values


def _bases() -> dict[str, dict[str, Any]]:
    """Well-formed bodies by the end of a route's path, which the fuzz then bends."""
    start = (datetime.now(UTC) + timedelta(days=9)).replace(microsecond=0)
    return {
        "/api/events": {
            "entity": "QueenofSanDiego",
            "title": "Fuzz sail",
            "starts_at": start.isoformat(),
            "duration_minutes": 120,
            "slots": {"captain": 1, "crew": 2},
            "guests_max": 4,
        },
        "/<event_id>": {"title": "Renamed", "starts_at": start.isoformat()},
        "/invite": {"email": "fuzzed@example.com", "name": "Fuzzed", "role": "crew"},
        "/guests": {"email": "guest-fuzz@example.com", "name": "Guest"},
        "/login-link": {"email": "guest-fuzz@example.com"},
        "/claims": {"role": "crew"},
        "/<item_id>": {"done": True},
        "/claim": {"code": "ABCDEFGH"},
        "/waiver": {
            "full_name": "Gail Guest",
            "date_of_birth": "1990-01-01",
            "emergency_contact_name": "Gus",
            "emergency_contact_phone": "+1 619 555 0100",
            "signature": "Gail Guest",
            "accept": True,
        },
        "/webhook": {
            "id": "evt_fuzz",
            "type": "charge.succeeded",
            "created": 1,
            "account": "acct_1",
            "livemode": False,
            "data": {"object": {"id": "ch_1"}},
        },
    }


def _base_for(template: str) -> dict[str, Any]:
    bases = _bases()
    for end, base in bases.items():
        if template.endswith(end):
            return base
    return {}


def _chooser(draw: st.DrawFn) -> random.Random:
    """A Random seeded by Hypothesis (so runs repeat) for the choices that should be fair.

    Hypothesis favours small and boundary values, which suits field values but skews the
    choice of route, role and kind of body: ``integers(0, 9) == 0`` comes up far more often
    than one time in ten. Those choices use this Random instead.
    """
    return draw(st.randoms(use_true_random=True))


@st.composite
def bodies(draw: st.DrawFn, template: str) -> tuple[bytes | None, bool]:
    """(body bytes or None, whether to send them base64-encoded as API Gateway does)."""
    rnd = _chooser(draw)
    kind = rnd.choice(("none", "object", "object", "object", "object", "json", "raw", "bytes"))
    if kind == "none":
        return None, False
    if kind == "object":  # mostly the route's own body, bent a little or not at all
        bases = list(_bases().values())
        base = _base_for(template) if rnd.random() < 0.75 else rnd.choice(bases)
        own_fields = list(base) or list(FIELDS)
        names = (
            []
            if rnd.random() < 0.5
            else rnd.sample(own_fields if rnd.random() < 0.7 else FIELDS, 1)
            + rnd.sample(FIELDS, rnd.randint(0, 2))
        )
        extra = {name: draw(value_for(name)) for name in names}
        text = json.dumps({**base, **extra})
    elif kind == "json":
        text = json.dumps(draw(json_values))
    elif kind == "raw":
        text = rnd.choice(NASTY_RAW) if rnd.random() < 0.5 else draw(st.text(max_size=200))
    else:
        return draw(st.binary(max_size=300)), True
    data = text.encode("utf-8", "surrogatepass")
    return data, kind != "raw" and rnd.random() < 0.3


path_text = st.text(max_size=30) | st.sampled_from(LONG_TEXT)
header_text = (
    st.text(max_size=60)
    | st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0x2FFF), max_size=40)
    | st.integers(min_value=1000, max_value=20000).map(lambda n: "\u00e9" * n)
)


@st.composite
def requests(draw: st.DrawFn, world: World) -> dict[str, Any]:
    """One request: method, path, role, headers, query, body and source address."""
    rnd = _chooser(draw)
    method, template = rnd.choice(routes())
    if rnd.random() < 0.1:  # now and then another method on the same path
        method = rnd.choice(METHODS)

    def fill(match: re.Match[str]) -> str:
        real = world.ids.get(match.group(1), [])
        value = rnd.choice(real) if real and rnd.random() < 0.75 else draw(path_text)
        return quote(value, safe="") if rnd.random() < 0.5 else value.replace("/", "")

    path = PARAM.sub(fill, template)
    if rnd.random() < 0.05:  # now and then a path the app does not serve
        path = "/api/" + draw(st.text(max_size=20)).replace("?", "")
    headers = {
        k.lower(): v
        for k, v in draw(
            st.dictionaries(st.text(min_size=1, max_size=20), header_text, max_size=4)
        ).items()
    }
    for name in ("content-type", "stripe-signature", "x-forwarded-for", "x-origin-verify"):
        if rnd.random() < 0.15:
            headers[name] = draw(header_text)
    if template.endswith("/webhook") and rnd.random() < 0.3:  # well formed, but for its v1
        headers["stripe-signature"] = f"t={int(time.time())},v1={draw(header_text)}"
    role = rnd.choice(ROLES)
    if rnd.random() < 0.08:  # a mangled Authorization header instead of a token
        scheme = rnd.choice(("Bearer ", "Basic ", "", "bearer", "Bearer eyJ"))
        headers["authorization"] = scheme + draw(header_text)
        role = "custom"
    query = {
        name: rnd.choice(TIMES) if rnd.random() < 0.7 else draw(st.text(max_size=40))
        for name in rnd.sample(("from", "to"), rnd.choice((0, 1, 1, 2, 2, 2)))
    }
    if rnd.random() < 0.2:
        query.update(draw(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=40))))
    body, b64 = draw(bodies(template))
    if template.endswith("/webhook") and body is not None and rnd.random() < 0.8:
        headers["stripe-signature"] = sign(body, WEBHOOK_SECRET, int(time.time()))
    ip = (
        rnd.choice(("198.51.100.7", "203.0.113.9"))
        if rnd.random() < 0.7
        else draw(st.ip_addresses().map(str))
    )
    return {
        "method": method,
        "path": path,
        "role": role,
        "headers": headers,
        "query": query,
        "body": body,
        "base64": b64,
        "ip": ip,
    }


def token_for(world: World, role: str) -> str | None:
    """A fresh token for the role's user (at its current token version: a fuzzed
    logout-all must not turn the rest of the run anonymous)."""
    from lambda_app.deps import deps

    if role not in world.users:
        return None
    user = deps().ops.user(world.users[role])
    token, _ = issue(
        user_id=user.id,
        role=user.role,
        version=user.token_version,
        secret=world.secret,
        now=datetime.now(UTC),
        ttl=timedelta(hours=1),
    )
    return token


def to_event(world: World, req: dict[str, Any]) -> dict[str, Any]:
    """The API Gateway HTTP API (payload 2.0) event of a drawn request."""
    headers = dict(req["headers"])
    token = token_for(world, req["role"])
    if token:
        headers["authorization"] = f"Bearer {token}"
    body: bytes | None = req["body"]
    if body is None:
        text = None
    elif req["base64"]:
        text = base64.b64encode(body).decode()
    else:
        text = body.decode("utf-8", "surrogatepass")
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": req["path"],
        "rawQueryString": urlencode(req["query"]),
        "headers": headers,
        "queryStringParameters": req["query"] or None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "localhost",
            "http": {
                "method": req["method"],
                "path": req["path"],
                "protocol": "HTTP/1.1",
                "sourceIp": req["ip"],
                "userAgent": "fuzz",
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "time": "24/Nov/2026:12:00:00 +0000",
            "timeEpoch": 0,
        },
        "body": text,
        "isBase64Encoded": req["base64"],
    }


def problem(status: int, text: str) -> str | None:
    """What is wrong with an answer, if anything: a status outside the contract, or a 4xx
    without the JSON error body ``{"error", "message"}``."""
    if status not in ALLOWED:
        return f"status {status}"
    if 400 <= status < 500:
        try:
            payload = json.loads(text)
        except ValueError:
            return f"{status} with a body that is not JSON: {text[:80]!r}"
        if not (
            isinstance(payload, dict)
            and isinstance(payload.get("error"), str)
            and isinstance(payload.get("message"), str)
        ):
            return f"{status} without an error body: {text[:80]!r}"
    return None
