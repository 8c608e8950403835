"""The one place where core errors become HTTP statuses (never decided by message text)."""

from __future__ import annotations

from typing import Any

from core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
)

STATUS: list[tuple[type[DomainError], int]] = [
    (Invalid, 422),
    (Unauthorized, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (RateLimited, 429),
    (Unavailable, 503),
]


class BadRequest(DomainError):
    """The request itself is malformed (not JSON, not an object)."""

    code = "bad_request"


class TooLarge(DomainError):
    """The body is over the size limit."""

    code = "too_large"


def status_of(exc: DomainError) -> int:
    """The HTTP status for a domain error."""
    if isinstance(exc, BadRequest):
        return 400
    if isinstance(exc, TooLarge):
        return 413
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 400


UNAVAILABLE = "a service this needs is not answering; try again in a minute"


def error_body(exc: DomainError) -> dict[str, Any]:
    """``{"error": CODE, "message": TEXT}`` plus ``fields`` for invalid input.

    A backing service's failure (an Unavailable with its driver error chained) gets a plain
    message: the driver's text names tables, keys and limits, which is for the log only.
    """
    message = UNAVAILABLE if isinstance(exc, Unavailable) and exc.__cause__ else exc.message
    body: dict[str, Any] = {"error": exc.code, "message": message}
    if isinstance(exc, Invalid):
        body["fields"] = exc.fields or {p: "invalid" for p in exc.problems} or {}
    return body
