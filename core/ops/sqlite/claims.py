"""Crew claims in SQLite: the claims table, whose UNIQUE keys back the one-slot rules."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from core.errors import NotFound
from core.ops.models import Claim, Event
from core.ops.sqlite.database import SqliteDatabase, iso
from core.ops.store import already_claimed, overlapping, slot_full


def refuse_overlap(conn: sqlite3.Connection, event: Event, user_id: str) -> None:
    """Conflict ``overlapping_claim`` if the user holds a slot on a trip overlapping ``event``
    (inside the caller's write transaction)."""
    if conn.execute(
        "SELECT 1 FROM claims WHERE user_id = ? AND starts_at < ? AND ends_at > ?",
        (user_id, iso(event.ends_at), iso(event.starts_at)),
    ).fetchone():
        raise overlapping(event.id)


class SqliteClaims(SqliteDatabase):
    """Claims: take a slot, give it back, list an event's or a user's."""

    def claim(self, event: Event, role: str, user_id: str, at: datetime) -> Claim:
        with self._db(write=True) as conn:
            taken = {
                r[0]
                for r in conn.execute(
                    "SELECT slot_no FROM claims WHERE event_id = ? AND role = ?", (event.id, role)
                )
            }
            if conn.execute(
                "SELECT 1 FROM claims WHERE event_id = ? AND user_id = ?", (event.id, user_id)
            ).fetchone():
                raise already_claimed(event.id)
            free = [n for n in range(1, event.slots.get(role, 0) + 1) if n not in taken]
            if not free:
                raise slot_full(event.id, role)
            refuse_overlap(conn, event, user_id)
            claim = Claim(event.id, role, free[0], user_id, at, event.starts_at, event.ends_at)
            conn.execute(
                "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    event.id,
                    role,
                    claim.slot_no,
                    user_id,
                    iso(at),
                    iso(event.starts_at),
                    iso(event.ends_at),
                ),
            )
        return claim

    def release(self, event_id: str, user_id: str) -> None:
        with self._db(write=True) as conn:
            cur = conn.execute(
                "DELETE FROM claims WHERE event_id = ? AND user_id = ?", (event_id, user_id)
            )
            if cur.rowcount == 0:
                raise NotFound(f"user {user_id} holds no slot on event {event_id}")

    def _claims(self, where: str, arg: str, order: str) -> list[Claim]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT event_id, role, slot_no, user_id, claimed_at, starts_at, ends_at "
                f"FROM claims WHERE {where} = ? ORDER BY {order}",
                (arg,),
            ).fetchall()
        return [
            Claim(
                r[0],
                r[1],
                r[2],
                r[3],
                datetime.fromisoformat(r[4]),
                datetime.fromisoformat(r[5]),
                datetime.fromisoformat(r[6]),
            )
            for r in rows
        ]

    def claims(self, event_id: str) -> list[Claim]:
        return self._claims("event_id", event_id, "role, slot_no")

    def user_claims(self, user_id: str) -> list[Claim]:
        return self._claims("user_id", user_id, "starts_at")
