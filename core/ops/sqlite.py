"""Embedded SQLite ops store (the default). Standard-library sqlite3 only.

Each write runs in ``BEGIN IMMEDIATE`` (one writer at a time) and the schema's UNIQUE
constraints back the rules, so a race can never produce two holders of one slot.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.errors import Conflict, NotFound
from core.ops.codec import dump, load
from core.ops.login_codes import LoginCode
from core.ops.models import (
    ChecklistItem,
    Claim,
    Event,
    Guest,
    InboundEvent,
    OpsUser,
    Waiver,
    utcnow,
)
from core.ops.store import (
    OpsStore,
    already_claimed,
    counter_window,
    overlapping,
    slot_full,
    waiver_taken,
)
from core.private_files import private_sqlite

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, starts_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_events_start ON events (starts_at);
CREATE TABLE IF NOT EXISTS claims (
    event_id TEXT NOT NULL REFERENCES events(id), role TEXT NOT NULL, slot_no INTEGER NOT NULL,
    user_id TEXT NOT NULL, claimed_at TEXT NOT NULL, starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    PRIMARY KEY (event_id, role, slot_no), UNIQUE (event_id, user_id));
CREATE INDEX IF NOT EXISTS ix_claims_user ON claims (user_id, starts_at);
CREATE TABLE IF NOT EXISTS checklist (
    event_id TEXT NOT NULL REFERENCES events(id), id TEXT NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (event_id, id));
CREATE TABLE IF NOT EXISTS guests (
    event_id TEXT NOT NULL REFERENCES events(id), id TEXT NOT NULL, email TEXT NOT NULL,
    seq INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (event_id, id), UNIQUE (event_id, email));
CREATE TABLE IF NOT EXISTS codes (
    code_hash TEXT PRIMARY KEY, body TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (
    key TEXT NOT NULL, window INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (key, window));
CREATE TABLE IF NOT EXISTS marks (key TEXT PRIMARY KEY, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inbound (
    source TEXT NOT NULL, id TEXT NOT NULL, received_at TEXT NOT NULL, body TEXT NOT NULL,
    expires_at TEXT NOT NULL, PRIMARY KEY (source, id));
CREATE INDEX IF NOT EXISTS ix_inbound_received ON inbound (source, received_at);
"""


def _iso(t: datetime) -> str:
    # one offset for every stored and compared time: ISO strings sort as times only then
    return t.astimezone(UTC).isoformat()


class SqliteOpsStore(OpsStore):
    """Ops records in one SQLite file."""

    backend = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @contextmanager
    def _db(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=30000")
        try:
            if write:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            else:
                yield conn
        finally:
            conn.close()

    def init(self) -> None:
        """Create the file and tables."""
        private_sqlite(self.path)  # 0600 before SQLite creates it (and its -wal/-shm)
        with self._db() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)

    # users ---------------------------------------------------------------------------------
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

    # events --------------------------------------------------------------------------------
    def create_event(self, event: Event, checklist: list[ChecklistItem]) -> Event:
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT INTO events (id, starts_at, body) VALUES (?, ?, ?)",
                (event.id, _iso(event.starts_at), json.dumps(dump(event))),
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
                (_iso(start), _iso(end)),
            ).fetchall()
        return [load(Event, json.loads(r[0])) for r in rows]

    def save_event(self, event: Event) -> Event:
        with self._db(write=True) as conn:
            cur = conn.execute(
                "UPDATE events SET starts_at = ?, body = ? WHERE id = ?",
                (_iso(event.starts_at), json.dumps(dump(event)), event.id),
            )
            if cur.rowcount == 0:
                raise NotFound(f"no event {event.id}")
            conn.execute(
                "UPDATE claims SET starts_at = ?, ends_at = ? WHERE event_id = ?",
                (_iso(event.starts_at), _iso(event.ends_at), event.id),
            )
        return event

    # claims --------------------------------------------------------------------------------
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
            if conn.execute(
                "SELECT 1 FROM claims WHERE user_id = ? AND starts_at < ? AND ends_at > ?",
                (user_id, _iso(event.ends_at), _iso(event.starts_at)),
            ).fetchone():
                raise overlapping(event.id)
            claim = Claim(event.id, role, free[0], user_id, at, event.starts_at, event.ends_at)
            conn.execute(
                "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    event.id,
                    role,
                    claim.slot_no,
                    user_id,
                    _iso(at),
                    _iso(event.starts_at),
                    _iso(event.ends_at),
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

    # checklists ----------------------------------------------------------------------------
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

    # guests --------------------------------------------------------------------------------
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

    # codes, counters, marks ----------------------------------------------------------------
    def put_code(self, code: LoginCode) -> None:
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT INTO codes (code_hash, body, expires_at) VALUES (?, ?, ?)",
                (code.code_hash, json.dumps(dump(code)), _iso(code.expires_at)),
            )

    def take_code(self, code_hash: str, now: datetime) -> LoginCode | None:
        with self._db(write=True) as conn:
            row = conn.execute(
                "DELETE FROM codes WHERE code_hash = ? AND expires_at > ? RETURNING body",
                (code_hash, _iso(now)),
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

    def first_time(self, key: str, expires_at: datetime) -> bool:
        with self._db(write=True) as conn:
            conn.execute(
                "DELETE FROM marks WHERE key = ? AND expires_at <= ?", (key, _iso(utcnow()))
            )
            try:
                conn.execute(
                    "INSERT INTO marks (key, expires_at) VALUES (?, ?)", (key, _iso(expires_at))
                )
            except sqlite3.IntegrityError:
                return False
        return True

    # webhook events -------------------------------------------------------------------------
    def record_inbound(self, event: InboundEvent) -> bool:
        with self._db(write=True) as conn:
            conn.execute(
                "DELETE FROM inbound WHERE source = ? AND id = ? AND expires_at <= ?",
                (event.source, event.id, _iso(utcnow())),
            )
            try:
                conn.execute(
                    "INSERT INTO inbound (source, id, received_at, body, expires_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        event.source,
                        event.id,
                        _iso(event.received_at.astimezone(UTC)),
                        json.dumps(dump(event)),
                        _iso(event.expires_at),
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
                (source, _iso(since.astimezone(UTC)), _iso(utcnow()), limit),
            ).fetchall()
        return [load(InboundEvent, json.loads(r[0])) for r in rows]
