"""Who may read and change an entity's forecast inputs: one check for every door.

Reading follows the reader's entity scope like every report; declaring recurring items and
saving scenarios is for the roles of the Forecast page (owner, CEO, CFO) within their scope.
"""

from __future__ import annotations

from core.auth.dashboard_users import UserScope
from core.errors import Forbidden

FORECAST_ROLES = frozenset({"owner", "ceo", "cfo"})


def authorize_read(reader: UserScope, entity_id: str) -> None:
    """Forbidden unless ``entity_id`` is in the reader's scope."""
    if reader.entities is not None and entity_id not in reader.entities:
        raise Forbidden(f"you do not have access to entity {entity_id!r}")


def authorize_edit(reader: UserScope, entity_id: str) -> None:
    """Forbidden unless the reader may change forecast inputs of ``entity_id``."""
    if reader.role not in FORECAST_ROLES:
        raise Forbidden("only the owner, the CEO and the CFO can change the forecast's inputs")
    authorize_read(reader, entity_id)


def visible(reader: UserScope, entity_ids: list[str]) -> list[str]:
    """The ids of ``entity_ids`` the reader may see."""
    return [e for e in entity_ids if reader.entities is None or e in reader.entities]
