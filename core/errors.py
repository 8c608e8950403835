"""Domain errors shared by every layer.

Hierarchy (callers catch these, never driver errors such as ``IntegrityError``):

    DomainError
    ├── Invalid       bad input; carries ``problems`` (one message per bad field or row)
    ├── NotFound      a named thing does not exist
    ├── Conflict      the write collides with existing state
    ├── Forbidden     the caller may not see or do this
    └── RateLimited   too many attempts
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

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


class Forbidden(DomainError):
    """The caller may not see or do this."""

    code = "forbidden"


class RateLimited(DomainError):
    """Too many attempts in a window."""

    code = "rate_limited"
