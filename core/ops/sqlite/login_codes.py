"""Login codes (single use) and rate-limit counters (one row per key and window) in SQLite."""

from __future__ import annotations

import json
from datetime import datetime

from core.ops.codec import dump, load
from core.ops.login_codes import LoginCode
from core.ops.sqlite.database import SqliteDatabase, iso
from core.ops.store import counter_window


class SqliteLoginCodes(SqliteDatabase):
    """Login codes and the rate-limit counters that guard them."""

    def put_code(self, code: LoginCode) -> None:
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT INTO codes (code_hash, body, expires_at) VALUES (?, ?, ?)",
                (code.code_hash, json.dumps(dump(code)), iso(code.expires_at)),
            )

    def take_code(self, code_hash: str, now: datetime) -> LoginCode | None:
        with self._db(write=True) as conn:
            row = conn.execute(
                "DELETE FROM codes WHERE code_hash = ? AND expires_at > ? RETURNING body",
                (code_hash, iso(now)),
            ).fetchone()
        return load(LoginCode, json.loads(row[0])) if row else None

    def count_hit(self, key: str, window_seconds: int, now: datetime) -> int:
        window = counter_window(now, window_seconds)
        with self._db(write=True) as conn:
            conn.execute("DELETE FROM counters WHERE key = ? AND window < ?", (key, window))
            row = conn.execute(
                "INSERT INTO counters (key, window, count) VALUES (?, ?, 1) "
                "ON CONFLICT (key, window) DO UPDATE SET count = count + 1 RETURNING count",
                (key, window),
            ).fetchone()
        return int(row[0])

    def reserve_hit(self, key: str, limit: int, window_seconds: int, now: datetime) -> bool:
        if limit < 1:
            return False
        window = counter_window(now, window_seconds)
        with self._db(write=True) as conn:  # BEGIN IMMEDIATE: one writer, so no lost updates
            conn.execute("DELETE FROM counters WHERE key = ? AND window < ?", (key, window))
            row = conn.execute(
                "INSERT INTO counters (key, window, count) VALUES (?, ?, 1) "
                "ON CONFLICT (key, window) DO UPDATE SET count = count + 1 WHERE count < ? "
                "RETURNING count",
                (key, window, limit),
            ).fetchone()
        return row is not None

    def release_hit(self, key: str, window_seconds: int, now: datetime) -> None:
        window = counter_window(now, window_seconds)
        with self._db(write=True) as conn:
            conn.execute(
                "UPDATE counters SET count = count - 1 WHERE key = ? AND window = ? AND count > 0",
                (key, window),
            )
