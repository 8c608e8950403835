"""Who may set budgets: one check for every door (the Forecast page, the command line)."""

from __future__ import annotations

from core.auth.dashboard_users import UserScope
from core.errors import Forbidden

BUDGET_ROLES = frozenset({"owner"})


def may_edit_budgets(role: str) -> bool:
    """True when ``role`` may set budgets (the owner)."""
    return role in BUDGET_ROLES


def authorize_budgets(actor: UserScope, entity_id: str) -> None:
    """Forbidden unless ``actor`` may set budgets and sees ``entity_id``."""
    if not may_edit_budgets(actor.role):
        raise Forbidden("only the owner can set budgets")
    if actor.entities is not None and entity_id not in actor.entities:
        raise Forbidden(f"you do not have access to entity {entity_id!r}")
