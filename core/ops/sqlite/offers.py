"""Slot offers in SQLite: the offers table (one open offer per slot and holder, by a partial
UNIQUE index); a take is one ``BEGIN IMMEDIATE`` transaction."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime

from core.errors import NotFound
from core.ops.models import Claim, Event
from core.ops.offers import (
    Offer,
    not_open,
    offer_closed,
    offer_exists,
    offer_from_dict,
    offer_to_dict,
)
from core.ops.sqlite.claims import refuse_overlap
from core.ops.sqlite.database import SqliteDatabase, iso
from core.ops.store import already_claimed

_COLUMNS = "id, event_id, role, slot_no, offered_by, status, closes_at, body"


def _row(offer: Offer) -> tuple[object, ...]:
    return (
        offer.id,
        offer.event_id,
        offer.role,
        offer.slot_no,
        offer.offered_by,
        offer.status,
        iso(offer.closes_at),
        json.dumps(offer_to_dict(offer)),
    )


def _holder(conn: sqlite3.Connection, offer: Offer) -> str | None:
    row = conn.execute(
        "SELECT user_id FROM claims WHERE event_id = ? AND role = ? AND slot_no = ?",
        (offer.event_id, offer.role, offer.slot_no),
    ).fetchone()
    return row[0] if row else None


def _stored(conn: sqlite3.Connection, offer_id: str) -> Offer:
    row = conn.execute("SELECT body FROM offers WHERE id = ?", (offer_id,)).fetchone()
    if row is None:
        raise NotFound(f"no offer {offer_id}")
    return offer_from_dict(json.loads(row[0]))


def _save(conn: sqlite3.Connection, offer: Offer) -> None:
    conn.execute(
        "UPDATE offers SET status = ?, body = ? WHERE id = ?",
        (offer.status, json.dumps(offer_to_dict(offer)), offer.id),
    )


class SqliteOffers(SqliteDatabase):
    """Offers: put, read, list, take (the slot moves) and cancel."""

    def put_offer(self, offer: Offer) -> Offer:
        with self._db(write=True) as conn:
            if _holder(conn, offer) != offer.offered_by:
                raise offer_closed(offer.id)
            try:
                conn.execute(
                    f"INSERT INTO offers ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _row(offer)
                )
            except sqlite3.IntegrityError as exc:
                raise offer_exists(offer.event_id) from exc
        return offer

    def get_offer(self, offer_id: str) -> Offer:
        with self._db() as conn:
            return _stored(conn, offer_id)

    def _offers(self, where: str, args: tuple[str, ...], order: str) -> list[Offer]:
        with self._db() as conn:
            rows = conn.execute(
                f"SELECT body FROM offers WHERE status = 'open' AND {where} ORDER BY {order}", args
            ).fetchall()
        return [offer_from_dict(json.loads(r[0])) for r in rows]

    def event_offers(self, event_id: str) -> list[Offer]:
        return self._offers("event_id = ?", (event_id,), "rowid")

    def open_offers(self, now: datetime) -> list[Offer]:
        return self._offers("closes_at > ?", (iso(now),), "closes_at, id")

    def take_offer(self, offer: Offer, event: Event, taker_id: str, at: datetime) -> Claim:
        with self._db(write=True) as conn:
            current = _stored(conn, offer.id)
            if current.status != "open":
                raise not_open(current)
            if _holder(conn, offer) != offer.offered_by:
                raise offer_closed(offer.id)
            if conn.execute(
                "SELECT 1 FROM claims WHERE event_id = ? AND user_id = ?", (event.id, taker_id)
            ).fetchone():
                raise already_claimed(event.id)
            refuse_overlap(conn, event, taker_id)
            conn.execute(
                "UPDATE claims SET user_id = ?, claimed_at = ? "
                "WHERE event_id = ? AND role = ? AND slot_no = ? AND user_id = ?",
                (taker_id, iso(at), event.id, offer.role, offer.slot_no, offer.offered_by),
            )
            _save(conn, replace(current, status="taken", taken_by=taker_id, ended_at=at))
        return Claim(
            event.id, offer.role, offer.slot_no, taker_id, at, event.starts_at, event.ends_at
        )

    def cancel_offer(self, offer_id: str, at: datetime) -> Offer:
        with self._db(write=True) as conn:
            current = _stored(conn, offer_id)
            if current.status != "open":
                raise not_open(current)
            cancelled = replace(current, status="cancelled", ended_at=at)
            _save(conn, cancelled)
        return cancelled
