"""The rules on ops users: adding one, an admin's crew, and the account reads the access
service and admin tools use.
"""

from __future__ import annotations

import uuid
from datetime import date

from core.errors import Invalid
from core.ops.models import USER_ROLES, OpsUser, Scope
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import email_field, require_role, text_field


class UserRules(OpsRules):
    """Users: add, list an admin's crew, read and save accounts."""

    def add_user(
        self,
        *,
        email: str,
        name: str,
        role: str,
        licence_expires: date | None = None,
        entities: Scope = None,
    ) -> OpsUser:
        """Create a user working for ``entities`` (None: all). Admin tools (invites, the
        ``ops-admin`` bootstrap) call this after their own check."""
        fields: dict[str, str] = {}
        email = email_field(fields, "email", email)
        name = text_field(fields, "name", name)
        if role not in USER_ROLES:
            fields["role"] = f"one of {', '.join(USER_ROLES)}"
        if entities is not None and not entities:
            fields["entities"] = "at least one entity (or all)"
        if fields:
            raise Invalid("user not added", fields=fields)
        user = OpsUser(uuid.uuid4().hex, email, name, role, licence_expires, entities=entities)
        return self._store.add_user(user)

    def crew(self, actor: OpsUser) -> list[OpsUser]:
        """The non-guest users an admin works with: those sharing at least one of its
        entities (users over all entities are shared by everyone)."""
        require_role(actor, "admin")
        return [
            u
            for u in self._store.list_users()
            if u.role != "guest"
            and (u.entities is None or actor.entities is None or u.entities & actor.entities)
        ]

    # accounts (for the access service and admin tools: no authorization here) --------------
    def user(self, user_id: str) -> OpsUser:
        """One user as stored; NotFound."""
        return self._store.get_user(user_id)

    def find_user(self, email: str) -> OpsUser | None:
        """The user with this email, if any."""
        return self._store.find_user(email)

    def save_user(self, user: OpsUser) -> OpsUser:
        """Replace an existing user's fields (re-invites, sign-out everywhere); the caller
        decided it may."""
        return self._store.save_user(user)

    def has_users(self) -> bool:
        """True once anyone was added (the demo seeds an empty store only)."""
        return bool(self._store.list_users())
