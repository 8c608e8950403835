"""The ledger's entities: add, read, list, and delete one with every row that belongs to it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from core.errors import Conflict, Invalid, NotFound
from core.ledger.database import LedgerDatabase
from core.ledger.models import Entity, Target
from core.ledger.revision import bump_revision

_ENTITY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class EntityRecords(LedgerDatabase):
    """Entities: add, read, list, delete; whether any (demo) entity exists."""

    def add_entity(
        self, *, id: str, name: str, kind: str = "business", is_demo: bool = False
    ) -> Entity:
        """Create an entity; Conflict if the id is taken."""
        if not _ENTITY_ID.match(id):
            raise Invalid(f"entity id {id!r} must be letters, digits, '.', '_' or '-'")
        if not name.strip():
            raise Invalid("entity name is empty")
        entity = Entity(id=id, name=name.strip(), kind=kind.strip() or "business", is_demo=is_demo)
        with self.session() as s:
            if s.get(Entity, id) is not None:
                raise Conflict(f"entity {id!r} already exists")
            s.add(entity)
            bump_revision(s.connection())  # cached entity lists (the sidebar) key on it
            try:
                s.commit()
            except IntegrityError as exc:
                raise Conflict(f"entity {id!r} already exists") from exc
        return entity

    def list_entities(self) -> list[Entity]:
        """All entities, by name."""
        with self.session() as s:
            rows = list(s.exec(select(Entity)).scalars())
        # sorted here, not by ORDER BY: PostgreSQL orders text by the database's collation
        # (e.g. en_US puts "b" before "C"); SQLite and Python compare code points
        return sorted(rows, key=lambda e: e.name)

    def get_entity(self, entity_id: str) -> Entity:
        """One entity; NotFound if unknown."""
        with self.session() as s:
            entity = s.get(Entity, entity_id)
        if entity is None:
            raise NotFound(f"unknown entity {entity_id!r} (see `python -m core entity list`)")
        return entity

    def delete_entities(self, entity_ids: Sequence[str]) -> None:
        """Delete entities with every row that belongs to them (accounts, entries, targets...)."""
        ids = list(entity_ids)
        if not ids:
            return
        with self.engine.begin() as conn:
            # every table with an entity_id column (audits, marketing, tech...), dependents first
            for table in reversed(SQLModel.metadata.sorted_tables):
                if "entity_id" in table.c and table.name != Target.__tablename__:
                    conn.execute(delete(table).where(table.c.entity_id.in_(ids)))
            conn.execute(delete(Target).where(Target.entity_id.in_([*ids, "all"])))
            conn.execute(delete(Entity).where(Entity.id.in_(ids)))
            bump_revision(conn)

    def has_demo_data(self) -> bool:
        """True while any demo entity is in the ledger."""
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Entity).where(Entity.is_demo)) > 0

    def is_empty(self) -> bool:
        """True when the ledger has no entity."""
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Entity)) == 0
