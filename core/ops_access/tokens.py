"""Session tokens: JWT with HS256 pinned, issuer, audience, expiry and a token version."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from core.errors import Unauthorized

ALGORITHM = "HS256"
ISSUER = "exec-platform"
AUDIENCE = "exec-ops-api"
# One answer for every refused token: the reason goes to the log, never to the client
BAD_TOKEN = "this sign-in is not valid (expired, signed out or damaged): sign in again"

logger = logging.getLogger(__name__)


def refused(reason: str) -> Unauthorized:
    """The one error for a refused token; the reason is logged, not told to the client."""
    logger.info("session token refused: %s", reason)
    return Unauthorized(BAD_TOKEN)


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says."""

    user_id: str
    role: str
    version: int
    expires_at: datetime


def issue(
    *, user_id: str, role: str, version: int, secret: str, now: datetime, ttl: timedelta
) -> tuple[str, datetime]:
    """A signed token and its expiry."""
    expires = now + ttl
    payload = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": user_id,
        "role": role,
        "ver": version,
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM), expires


def verify(token: str, *, secret: str, now: datetime) -> TokenClaims:
    """The claims of a valid token; Unauthorized for anything else (alg pinned to HS256)."""
    try:
        data = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            # the clock is the caller's ``now`` (checked below), not pyjwt's own
            options={
                "require": ["exp", "iat", "sub", "iss", "aud"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.PyJWTError as exc:
        raise refused(f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(data.get("ver"), int) or not isinstance(data.get("role"), str):
        raise refused("claims missing")
    if not isinstance(data["exp"], int) or not isinstance(data["iat"], int):
        raise refused("bad times")
    if data["exp"] <= now.timestamp():
        raise refused("expired")
    if data["iat"] > now.timestamp() + 60:  # issued in the future: a forged or skewed token
        raise refused("issued in the future")
    return TokenClaims(data["sub"], data["role"], data["ver"], datetime.fromtimestamp(data["exp"]))
