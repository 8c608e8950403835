"""Checklist items in SQLite: the checklist table, in the order the event was created with."""

from __future__ import annotations

import json
from datetime import datetime

from core.errors import NotFound
from core.ops.codec import dump, load
from core.ops.models import ChecklistItem
from core.ops.sqlite.database import SqliteDatabase


class SqliteChecklists(SqliteDatabase):
    """Checklists: read in order, tick or untick an item."""

    def checklist(self, event_id: str) -> list[ChecklistItem]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT body FROM checklist WHERE event_id = ? ORDER BY seq", (event_id,)
            ).fetchall()
        return [load(ChecklistItem, json.loads(r[0])) for r in rows]

    def set_item(
        self, event_id: str, item_id: str, *, done: bool, by: str | None, at: datetime | None
    ) -> ChecklistItem:
        with self._db(write=True) as conn:
            row = conn.execute(
                "SELECT body FROM checklist WHERE event_id = ? AND id = ?", (event_id, item_id)
            ).fetchone()
            if row is None:
                raise NotFound(f"no checklist item {item_id} on event {event_id}")
            item = load(ChecklistItem, json.loads(row[0]))
            item = ChecklistItem(
                item.event_id,
                item.id,
                item.phase,
                item.position,
                item.text,
                done,
                by if done else None,
                at if done else None,
            )
            conn.execute(
                "UPDATE checklist SET body = ? WHERE event_id = ? AND id = ?",
                (json.dumps(dump(item)), event_id, item_id),
            )
        return item
