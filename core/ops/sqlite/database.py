"""The SQLite file itself: its schema, connections and write transactions, shared by every
part of the SQLite store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

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
CREATE TABLE IF NOT EXISTS calendar_feeds (
    user_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event_sequences (event_id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS availability (user_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS offers (
    id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id), role TEXT NOT NULL,
    slot_no INTEGER NOT NULL, offered_by TEXT NOT NULL, status TEXT NOT NULL,
    closes_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS ux_offers_open ON offers (event_id, role, slot_no, offered_by)
    WHERE status = 'open';
CREATE INDEX IF NOT EXISTS ix_offers_open ON offers (status, closes_at);
CREATE TABLE IF NOT EXISTS float_plans (
    event_id TEXT PRIMARY KEY, eta TEXT NOT NULL, returned_at TEXT, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_float_plans_open ON float_plans (eta) WHERE returned_at IS NULL;
CREATE TABLE IF NOT EXISTS shore_contacts (entity TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS forecasts (
    grid TEXT PRIMARY KEY, body TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vessel_weather (
    entity TEXT NOT NULL, vessel_key TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (entity, vessel_key));
"""


def iso(t: datetime) -> str:
    """``t`` as UTC ISO 8601."""
    # one offset for every stored and compared time: ISO strings sort as times only then
    return t.astimezone(UTC).isoformat()


class SqliteDatabase:
    """One SQLite file of ops records."""

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
