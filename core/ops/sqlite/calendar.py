"""Calendar feed keys, trip change counters and unavailable windows in SQLite."""

from __future__ import annotations

import json

from core.ops.calendar_records import Away, FeedKey, windows_json, windows_of
from core.ops.codec import dump, load
from core.ops.sqlite.database import SqliteDatabase


class SqliteCalendar(SqliteDatabase):
    """Feed keys (one per user, found by the token's hash), sequences, availability."""

    def feed_key(self, user_id: str) -> FeedKey | None:
        with self._db() as conn:
            row = conn.execute(
                "SELECT body FROM calendar_feeds WHERE user_id = ?", (user_id,)
            ).fetchone()
        return load(FeedKey, json.loads(row[0])) if row else None

    def put_feed_key(self, key: FeedKey) -> None:
        with self._db(write=True) as conn:  # one row per user: the old hash goes with it
            conn.execute(
                "INSERT INTO calendar_feeds (user_id, token_hash, body) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, "
                "body = excluded.body",
                (key.user_id, key.token_hash, json.dumps(dump(key))),
            )

    def feed_user(self, token_hash: str) -> str | None:
        with self._db() as conn:
            row = conn.execute(
                "SELECT user_id FROM calendar_feeds WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        return str(row[0]) if row else None

    def bump_sequence(self, event_id: str) -> int:
        with self._db(write=True) as conn:
            row = conn.execute(
                "INSERT INTO event_sequences (event_id, seq) VALUES (?, 1) "
                "ON CONFLICT (event_id) DO UPDATE SET seq = seq + 1 RETURNING seq",
                (event_id,),
            ).fetchone()
        return int(row[0])

    def sequence(self, event_id: str) -> int:
        with self._db() as conn:
            row = conn.execute(
                "SELECT seq FROM event_sequences WHERE event_id = ?", (event_id,)
            ).fetchone()
        return int(row[0]) if row else 0

    def availability(self, user_id: str) -> list[Away]:
        with self._db() as conn:
            row = conn.execute(
                "SELECT body FROM availability WHERE user_id = ?", (user_id,)
            ).fetchone()
        return windows_of(row[0]) if row else []

    def set_availability(self, user_id: str, windows: list[Away]) -> None:
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT INTO availability (user_id, body) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET body = excluded.body",
                (user_id, windows_json(windows)),
            )
