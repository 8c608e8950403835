"""The rules on checklists: the event's assigned crew and admins see and tick them."""

from __future__ import annotations

from core.errors import Forbidden, Invalid
from core.ops.models import ChecklistItem, OpsUser
from core.ops.rules.base import OpsRules


class ChecklistRules(OpsRules):
    """Checklists: read and tick, for the assigned crew and admins."""

    def _assigned(self, actor: OpsUser, event_id: str) -> bool:
        return any(c.user_id == actor.id for c in self._store.claims(event_id))

    # checklists ----------------------------------------------------------------------------
    def checklist(self, actor: OpsUser, event_id: str) -> list[ChecklistItem]:
        """An event's checklist, for its assigned crew and admins."""
        self.event(actor, event_id)
        if actor.role != "admin" and not self._assigned(actor, event_id):
            raise Forbidden("only the event's crew and admins see its checklist")
        return self._store.checklist(event_id)

    def tick(self, actor: OpsUser, event_id: str, item_id: str, done: bool) -> ChecklistItem:
        """Tick or untick an item, recording who and when."""
        self.checklist(actor, event_id)
        if not isinstance(done, bool):
            raise Invalid("done must be true or false", fields={"done": "true or false"})
        return self._store.set_item(event_id, item_id, done=done, by=actor.id, at=self.clock())
