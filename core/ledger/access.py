"""Who may change an entity's books (import, undo an import, categorize): one check for every door.

The owner, the CFO and the accountant, each only within their entity scope (``None``: all).
"""

from __future__ import annotations

from collections.abc import Collection

from core.errors import Forbidden

BOOK_ROLES = frozenset({"owner", "cfo", "accountant"})


def authorize_books(
    role: str, allowed: Collection[str] | None, entity_id: str, *, doing: str = "change the books"
) -> None:
    """Forbidden unless ``role`` may ``doing`` and ``entity_id`` is in the user's scope."""
    authorize_role(role, doing=doing)
    if allowed is not None and entity_id not in allowed:
        raise Forbidden(f"you do not have access to entity {entity_id!r}")


def authorize_role(role: str, *, doing: str = "change the books") -> None:
    """Forbidden unless ``role`` may ``doing`` at all (the scope is checked per entity)."""
    if role not in BOOK_ROLES:
        raise Forbidden(f"only the owner, the CFO and the accountant can {doing}")
