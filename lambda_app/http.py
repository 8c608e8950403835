"""Request helpers shared by the routers: JSON bodies, the signed-in user, JSON responses."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from core.errors import Invalid
from core.ops.models import OpsUser
from core.secret_value import CachedSecret
from lambda_app.deps import deps
from lambda_app.errors import BadRequest

MAX_BODY = 64 * 1024
MAX_DEPTH = 32  # nested arrays/objects in a JSON body
MAX_DIGITS = 30  # digits of an integer in a JSON body
MAX_PATH = 512  # bytes of a request path: ids in it become store keys (DynamoDB: <= 1 KiB)
MAX_TEXT = 1000  # bytes of a required text field (emails and names become keys too)


def raw_body(router: BaseRouter) -> bytes:
    """The body's bytes as the client sent them; BadRequest if its base64 is broken."""
    event = router.current_event
    text = event.body or ""
    if event.is_base64_encoded:
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadRequest("the body is not valid base64") from exc
    # API Gateway hands text bodies over as str; surrogates cannot come from real UTF-8
    return text.encode("utf-8", "surrogatepass")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as inf
        raise ValueError(f"{text} is out of range")
    return value


def _short_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError("number too long")
    return int(text)


def _depth(payload: Any) -> int:
    """How deeply arrays and objects nest (iterative: no recursion to exhaust)."""
    deepest, todo = 0, [(payload, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            todo += [(v, level + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return deepest


def parse_json(raw: bytes) -> Any:
    """JSON from bytes, strictly: UTF-8, no NaN/Infinity, bounded depth and numbers.

    Everything that can go wrong (bad UTF-8, bad JSON, nesting deep enough to exhaust the
    recursion limit, integers past Python's int-from-text limit) is one BadRequest.
    """
    try:
        payload = json.loads(
            raw.decode("utf-8"),
            parse_constant=_no_constant,
            parse_float=_finite_float,
            parse_int=_short_int,
        )
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError too
        raise BadRequest("the body is not valid JSON") from exc
    if _depth(payload) > MAX_DEPTH:
        raise BadRequest(f"the body nests deeper than {MAX_DEPTH} levels")
    return payload


def body(router: BaseRouter) -> dict[str, Any]:
    """The JSON object sent (``{}`` for no body); BadRequest if it is not one."""
    raw = raw_body(router)
    payload = parse_json(raw) if raw.strip() else {}
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    return payload


def user(router: BaseRouter) -> OpsUser:
    """The signed-in user (set by the auth middleware)."""
    return router.context["user"]


def client_address(router: BaseRouter) -> str:
    """The caller's address: API Gateway's source IP, or the viewer's behind our CloudFront.

    Behind CloudFront the source IP is an edge server's, shared by everyone near it, so rate
    limits would lock out neighbours. CloudFront appends the viewer's address to
    X-Forwarded-For, and proves a request came through it with the secret X-Origin-Verify
    header; without that proof the header is the caller's own text and is ignored.
    """
    ctx = router.current_event.raw_event.get("requestContext", {})
    source = str(ctx.get("http", {}).get("sourceIp", "unknown"))
    headers = router.current_event.headers
    secret = origin_secret()
    proof = headers.get("x-origin-verify") or ""
    if not secret or not proof or not hmac.compare_digest(proof.encode(), secret.encode()):
        return source
    hops = [h.strip() for h in (headers.get("x-forwarded-for") or "").split(",") if h.strip()]
    while hops and hops[-1] == source:  # API Gateway may append the edge's own address
        hops.pop()
    return hops[-1] if hops else source


def origin_secret() -> str | None:
    """The X-Origin-Verify value CloudFront sends, if this deployment has one."""
    settings = deps().settings
    return configured_secret(settings.origin_verify_secret, settings.origin_verify_secret_arn)


def configured_secret(value: str | None, arn: str | None) -> str | None:
    """A secret given as a plain setting, else read from its Secrets Manager ARN, else None."""
    if value:
        return value
    return secret_reader(arn).get() if arn else None


@lru_cache(maxsize=4)
def secret_reader(arn: str) -> CachedSecret:
    """One cached reader per ARN for the life of the container."""
    return CachedSecret(arn)


def json_response(status: int, payload: Any = None) -> Response[str]:
    """A JSON response (no body for 204)."""
    return Response(
        status_code=status,
        content_type="application/json",
        body="" if status == 204 else json.dumps(payload, default=str),
    )


def require_str(payload: dict[str, Any], *names: str) -> dict[str, str]:
    """The named fields as non-empty strings of at most MAX_TEXT bytes; Invalid naming each
    bad one."""
    fields = {
        n: f"required text, at most {MAX_TEXT} bytes"
        for n in names
        if not isinstance(payload.get(n), str)
        or not payload[n].strip()
        or len(payload[n].encode("utf-8", "surrogatepass")) > MAX_TEXT
    }
    if fields:
        raise Invalid("missing or bad fields", fields=fields)
    return {n: payload[n].strip() for n in names}
