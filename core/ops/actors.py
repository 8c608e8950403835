"""Who a dashboard user is in operations: derived, never stored.

The dashboard signs people in with its own accounts (``core.auth.dashboard_users``). On the
Operations page they act as an ops admin over exactly the entities their dashboard scope
allows: the owner over all, a CEO over the CEO's entities. That identity is a value built per
request and never written to the ops store, so it grants nothing through the API: the same
email signing in there is only whatever an admin invited it as (and nothing if never invited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.auth.roles import PAGE_ROLES
from core.errors import Forbidden
from core.ops.models import OpsUser

if TYPE_CHECKING:  # keeps bcrypt and sqlmodel off the API's import path
    from core.auth.dashboard_users import UserScope

DASHBOARD_ID_PREFIX = "dashboard:"
OPS_ADMIN_ROLES = PAGE_ROLES["operations"]  # the dashboard roles that run operations


def dashboard_actor(user: UserScope) -> OpsUser:
    """The ops admin a dashboard user acts as: owner over all entities, a CEO over theirs."""
    if user.role not in OPS_ADMIN_ROLES:
        raise Forbidden(f"the {user.role} role does not run operations")
    entities = None if user.role == "owner" else user.entities
    return OpsUser(
        id=f"{DASHBOARD_ID_PREFIX}{user.email}",
        email=user.email,
        name=user.name,
        role="admin",
        entities=entities,
    )
