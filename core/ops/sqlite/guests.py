"""Guests and waivers in SQLite: the guests table (one email per event)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from core.errors import Conflict, NotFound
from core.ops.codec import dump, load
from core.ops.models import Guest, Waiver
from core.ops.sqlite.database import SqliteDatabase
from core.ops.store import waiver_taken


class SqliteGuests(SqliteDatabase):
    """Guests: add under capacity, read, sign the waiver once, check in."""

    def add_guest(self, guest: Guest, capacity: int) -> Guest:
        with self._db(write=True) as conn:
            count = conn.execute(
                "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM guests WHERE event_id = ?",
                (guest.event_id,),
            ).fetchone()
            if count[0] >= capacity:
                raise Conflict(f"event {guest.event_id} is full", code="guests_full")
            try:
                conn.execute(
                    "INSERT INTO guests (event_id, id, email, seq, body) VALUES (?, ?, ?, ?, ?)",
                    (guest.event_id, guest.id, guest.email, count[1] + 1, json.dumps(dump(guest))),
                )
            except sqlite3.IntegrityError as exc:
                raise Conflict(
                    f"{guest.email} is already on this event", code="guest_exists"
                ) from exc
        return guest

    def _guest(self, conn: sqlite3.Connection, event_id: str, guest_id: str) -> Guest:
        row = conn.execute(
            "SELECT body FROM guests WHERE event_id = ? AND id = ?", (event_id, guest_id)
        ).fetchone()
        if row is None:
            raise NotFound(f"no guest {guest_id} on event {event_id}")
        return load(Guest, json.loads(row[0]))

    def _put_guest(self, conn: sqlite3.Connection, guest: Guest) -> Guest:
        conn.execute(
            "UPDATE guests SET body = ? WHERE event_id = ? AND id = ?",
            (json.dumps(dump(guest)), guest.event_id, guest.id),
        )
        return guest

    def get_guest(self, event_id: str, guest_id: str) -> Guest:
        with self._db() as conn:
            return self._guest(conn, event_id, guest_id)

    def guests(self, event_id: str) -> list[Guest]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT body FROM guests WHERE event_id = ? ORDER BY seq", (event_id,)
            ).fetchall()
        return [load(Guest, json.loads(r[0])) for r in rows]

    def sign_waiver(self, event_id: str, guest_id: str, waiver: Waiver) -> Guest:
        with self._db(write=True) as conn:
            g = self._guest(conn, event_id, guest_id)
            if g.status != "on_hold":
                raise waiver_taken(g)
            return self._put_guest(
                conn,
                Guest(
                    g.event_id,
                    g.id,
                    g.email,
                    g.name,
                    "cleared",
                    waiver,
                    g.checked_in_at,
                    g.added_at,
                ),
            )

    def check_in(self, event_id: str, guest_id: str, at: datetime) -> Guest:
        with self._db(write=True) as conn:
            g = self._guest(conn, event_id, guest_id)
            if g.status == "on_hold":
                raise Conflict(f"{g.name} has not signed the waiver", code="waiver_required")
            return self._put_guest(
                conn,
                Guest(g.event_id, g.id, g.email, g.name, "checked_in", g.waiver, at, g.added_at),
            )
