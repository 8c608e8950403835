"""Once-only marks in SQLite, e.g. a nudge sent."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from core.ops.models import utcnow
from core.ops.sqlite.database import SqliteDatabase, iso


class SqliteOnceMarks(SqliteDatabase):
    """Marks taken once, however many callers race."""

    def first_time(self, key: str, expires_at: datetime) -> bool:
        with self._db(write=True) as conn:
            conn.execute(
                "DELETE FROM marks WHERE key = ? AND expires_at <= ?", (key, iso(utcnow()))
            )
            try:
                conn.execute(
                    "INSERT INTO marks (key, expires_at) VALUES (?, ?)", (key, iso(expires_at))
                )
            except sqlite3.IntegrityError:
                return False
        return True
