"""Events in SQLite: the events table, created with the event's checklist rows."""

from __future__ import annotations

import json
from datetime import datetime

from core.errors import NotFound
from core.ops.codec import dump, load
from core.ops.models import ChecklistItem, Event
from core.ops.sqlite.database import SqliteDatabase, iso


class SqliteEvents(SqliteDatabase):
    """Events: create with the checklist, read, list by start, save."""

    def create_event(self, event: Event, checklist: list[ChecklistItem]) -> Event:
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT INTO events (id, starts_at, body) VALUES (?, ?, ?)",
                (event.id, iso(event.starts_at), json.dumps(dump(event))),
            )
            conn.executemany(
                "INSERT INTO checklist (event_id, id, seq, body) VALUES (?, ?, ?, ?)",
                [(event.id, i.id, n, json.dumps(dump(i))) for n, i in enumerate(checklist)],
            )
        return event

    def get_event(self, event_id: str) -> Event:
        with self._db() as conn:
            row = conn.execute("SELECT body FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise NotFound(f"no event {event_id}")
        return load(Event, json.loads(row[0]))

    def list_events(self, start: datetime, end: datetime) -> list[Event]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT body FROM events WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at",
                (iso(start), iso(end)),
            ).fetchall()
        return [load(Event, json.loads(r[0])) for r in rows]

    def save_event(self, event: Event) -> Event:
        with self._db(write=True) as conn:
            cur = conn.execute(
                "UPDATE events SET starts_at = ?, body = ? WHERE id = ?",
                (iso(event.starts_at), json.dumps(dump(event)), event.id),
            )
            if cur.rowcount == 0:
                raise NotFound(f"no event {event.id}")
            conn.execute(
                "UPDATE claims SET starts_at = ?, ends_at = ? WHERE event_id = ?",
                (iso(event.starts_at), iso(event.ends_at), event.id),
            )
        return event
