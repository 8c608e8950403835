"""Ops users in SQLite: the users table (emails unique)."""

from __future__ import annotations

import json
import sqlite3

from core.errors import Conflict, NotFound
from core.ops.codec import dump, load
from core.ops.models import OpsUser
from core.ops.sqlite.database import SqliteDatabase


class SqliteUsers(SqliteDatabase):
    """Users: add (email unique), save, read, list."""

    def add_user(self, user: OpsUser) -> OpsUser:
        try:
            with self._db(write=True) as conn:
                conn.execute(
                    "INSERT INTO users (id, email, body) VALUES (?, ?, ?)",
                    (user.id, user.email, json.dumps(dump(user))),
                )
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"{user.email} is already a user", code="email_taken") from exc
        return user

    def save_user(self, user: OpsUser) -> OpsUser:
        with self._db(write=True) as conn:
            cur = conn.execute(
                "UPDATE users SET body = ? WHERE id = ?", (json.dumps(dump(user)), user.id)
            )
            if cur.rowcount == 0:
                raise NotFound(f"no user {user.id}")
        return user

    def _user_row(self, sql: str, arg: str) -> OpsUser | None:
        with self._db() as conn:
            row = conn.execute(sql, (arg,)).fetchone()
        return load(OpsUser, json.loads(row[0])) if row else None

    def get_user(self, user_id: str) -> OpsUser:
        user = self._user_row("SELECT body FROM users WHERE id = ?", user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
        return user

    def find_user(self, email: str) -> OpsUser | None:
        return self._user_row("SELECT body FROM users WHERE email = ?", email)

    def list_users(self) -> list[OpsUser]:
        with self._db() as conn:
            rows = conn.execute("SELECT body FROM users ORDER BY email").fetchall()
        return [load(OpsUser, json.loads(r[0])) for r in rows]
