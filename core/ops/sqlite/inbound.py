"""Webhook deliveries in SQLite, kept once by id while live."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from core.ops.codec import dump, load
from core.ops.models import InboundEvent, utcnow
from core.ops.sqlite.database import SqliteDatabase, iso


class SqliteInboundEvents(SqliteDatabase):
    """Webhook deliveries, kept once by id."""

    def record_inbound(self, event: InboundEvent) -> bool:
        with self._db(write=True) as conn:
            conn.execute(
                "DELETE FROM inbound WHERE source = ? AND id = ? AND expires_at <= ?",
                (event.source, event.id, iso(utcnow())),
            )
            try:
                conn.execute(
                    "INSERT INTO inbound (source, id, received_at, body, expires_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        event.source,
                        event.id,
                        iso(event.received_at.astimezone(UTC)),
                        json.dumps(dump(event)),
                        iso(event.expires_at),
                    ),
                )
            except sqlite3.IntegrityError:
                return False
        return True

    def inbound_events(self, source: str, since: datetime, limit: int = 100) -> list[InboundEvent]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT body FROM inbound WHERE source = ? AND received_at >= ? AND expires_at > ?"
                " ORDER BY received_at DESC, id DESC LIMIT ?",
                (source, iso(since.astimezone(UTC)), iso(utcnow()), limit),
            ).fetchall()
        return [load(InboundEvent, json.loads(r[0])) for r in rows]
