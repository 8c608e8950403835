"""The owner-only rule of onboarding, decided on the actor's role as stored now."""

from __future__ import annotations

from sqlalchemy import Connection, select

from core.auth.dashboard_users import OPERATOR, UserScope
from core.errors import Forbidden
from core.ledger.models import DashboardUser


def require_owner_now(conn: Connection, actor: UserScope, doing: str) -> None:
    """Raise Forbidden unless ``actor`` is OPERATOR or (read in this transaction) an owner."""
    if actor is OPERATOR:
        return
    role = conn.scalar(
        select(DashboardUser.role).where(DashboardUser.email == actor.email.strip().lower())
    )
    if role != "owner":
        raise Forbidden(f"Only an owner can {doing}.")
