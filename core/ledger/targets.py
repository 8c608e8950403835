"""Targets per entity (or all), KPI and month."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from core.ledger.database import LedgerDatabase
from core.ledger.models import Target
from core.ledger.revision import bump_revision


class TargetRecords(LedgerDatabase):
    """Targets: read one scope's, insert, replace and delete in one transaction."""

    def targets(self, entity_key: str) -> dict[tuple[str, int], float]:
        """Targets of one entity (or ``all``) keyed by (kpi id, month)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Target.kpi_id, Target.month, Target.value).where(
                    Target.entity_id == entity_key
                )
            )
            return {(kpi, month): value for kpi, month, value in rows}

    def set_targets(
        self, rows: Iterable[Target], *, delete: Iterable[tuple[str, str, int]] = ()
    ) -> None:
        """Insert or replace targets and delete (entity, kpi, month) keys, in one transaction."""
        with self.session() as s:
            for row in rows:
                s.merge(row)
            for entity_key, kpi_id, month in delete:
                found = s.get(Target, (entity_key, kpi_id, month))
                if found is not None:
                    s.delete(found)
            s.flush()
            bump_revision(s.connection())
            s.commit()
