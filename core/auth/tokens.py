"""Session tokens: JWT with HS256 pinned, issuer, audience, expiry and a token version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from core.errors import Unauthorized

ALGORITHM = "HS256"
ISSUER = "exec-platform"
AUDIENCE = "exec-ops-api"


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
        raise Unauthorized(f"invalid token: {exc}") from exc
    if not isinstance(data.get("ver"), int) or not isinstance(data.get("role"), str):
        raise Unauthorized("invalid token: claims missing")
    if not isinstance(data["exp"], int) or not isinstance(data["iat"], int):
        raise Unauthorized("invalid token: bad times")
    if data["exp"] <= now.timestamp():
        raise Unauthorized("invalid token: expired")
    if data["iat"] > now.timestamp() + 60:  # issued in the future: a forged or skewed token
        raise Unauthorized("invalid token: issued in the future")
    return TokenClaims(data["sub"], data["role"], data["ver"], datetime.fromtimestamp(data["exp"]))
