"""Which entities a report or a forecast covers, checked against what the reader may see."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from core.errors import Forbidden, Invalid, NotFound
from core.ledger.store import LedgerStore

ALL = "all"
# the entity of a consolidation over only some entities: a scoped user's "All my entities"
MINE = "mine"


@dataclass(frozen=True)
class Scope:
    """One entity, or several consolidated (intercompany eliminated)."""

    entity: str
    entity_ids: tuple[str, ...]
    name: str
    consolidated: bool
    period: int

    @property
    def target_key(self) -> str | None:
        """Key of the targets that apply (None for a partial consolidation)."""
        return self.entity if not self.consolidated or self.entity == ALL else None


def resolve_scope(
    store: LedgerStore, *, entity: str, period: int, allowed: Collection[str] | None = None
) -> Scope:
    """Resolve ``entity`` (an id or ``all``) for a reader limited to ``allowed`` ids (None: any)."""
    entities = store.list_entities()
    known = {e.id: e for e in entities}
    visible = [e.id for e in entities if allowed is None or e.id in allowed]
    if entity == ALL:
        if not visible:
            raise Invalid("the ledger has no entity you may see")
        partial = len(visible) < len(entities)
        return Scope(
            entity=ALL if not partial else MINE,
            entity_ids=tuple(visible),
            name="All my entities (consolidated)" if partial else "All entities (consolidated)",
            consolidated=True,
            period=period,
        )
    if entity not in known:
        raise NotFound(f"unknown entity {entity!r} (see `python -m core entity list`)")
    if allowed is not None and entity not in allowed:
        raise Forbidden(f"you do not have access to entity {entity!r}")
    return Scope(
        entity=entity,
        entity_ids=(entity,),
        name=known[entity].name,
        consolidated=False,
        period=period,
    )
