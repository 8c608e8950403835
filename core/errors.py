"""Domain errors shared by every layer.

Hierarchy (callers catch these, never driver errors such as ``IntegrityError``):

    DomainError
    ├── Invalid       bad input; ``problems`` (one per bad row) or ``fields`` (name -> reason)
    ├── NotFound      a named thing does not exist
    ├── Conflict      the write collides with existing state; ``code`` may be precise
    │                 (slot_full, already_claimed, overlapping_claim, late_release, ...)
    ├── Unauthorized  missing, bad, expired or revoked credentials
    ├── Forbidden     the caller may not see or do this
    ├── RateLimited   too many attempts
    └── Unavailable   a backing service failed (its own error is chained as __cause__)
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        problems: list[str] | None = None,
        code: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])
        if code:
            self.code = code  # a more precise code, e.g. "slot_full" for a Conflict
        self.fields = dict(fields or {})  # field name -> what is wrong with it

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class Invalid(DomainError):
    """Input that cannot be accepted; nothing was written."""

    code = "invalid"


class NotFound(DomainError):
    """A named thing does not exist."""

    code = "not_found"


class Conflict(DomainError):
    """The write collides with existing state."""

    code = "conflict"


class Unauthorized(DomainError):
    """Missing, bad, expired or revoked credentials."""

    code = "unauthorized"


class Forbidden(DomainError):
    """The caller may not see or do this."""

    code = "forbidden"


class RateLimited(DomainError):
    """Too many attempts in a window."""

    code = "rate_limited"


class Unavailable(DomainError):
    """A backing service (database, AWS) failed; retrying later may work."""

    code = "unavailable"
