"""Reads and writes of the marketing tables; every entity read filters by ``entity_ids`` in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, insert, select
from sqlmodel import SQLModel

from core.ledger.models_marketing import (
    Campaign,
    ChannelBooking,
    ChannelListing,
    MarketingChannel,
)
from core.ledger.store import LedgerStore
from core.periods import month_of


class BookingTotal(NamedTuple):
    """Bookings of one entity through one channel in one month."""

    entity_id: str
    channel_id: str
    month: int
    bookings: int
    value_cents: int
    commission_cents: int


def channels(store: LedgerStore) -> list[MarketingChannel]:
    """The channel catalogue, in display order."""
    with store.session() as s:
        rows = list(s.exec(select(MarketingChannel)).scalars())
    # sorted here: ORDER BY on text follows PostgreSQL's collation, not code points as in SQLite
    return sorted(rows, key=lambda c: (c.sort, c.name))


def listings(store: LedgerStore, entity_ids: Sequence[str]) -> list[ChannelListing]:
    """Listings of the given entities."""
    with store.session() as s:
        q = select(ChannelListing).where(ChannelListing.entity_id.in_(list(entity_ids)))
        return list(s.exec(q).scalars())


def booking_totals(
    store: LedgerStore, entity_ids: Sequence[str], months: Sequence[int] | None = None
) -> list[BookingTotal]:
    """Monthly booking counts, value and commission per entity and channel (of ``months``
    only, when given)."""
    b = ChannelBooking
    q = (
        select(
            b.entity_id,
            b.channel_id,
            b.month,
            func.count(),
            func.sum(b.value_cents),
            func.sum(b.commission_cents),
        )
        .where(b.entity_id.in_(list(entity_ids)))
        .group_by(b.entity_id, b.channel_id, b.month)
    )
    if months is not None:
        q = q.where(b.month.in_(list(months)))
    with store.engine.connect() as conn:
        return [
            BookingTotal(e, c, int(m), int(n), int(v or 0), int(k or 0))
            for e, c, m, n, v, k in conn.execute(q)
        ]


def booking_sums(
    store: LedgerStore, entity_ids: Sequence[str], first: date, last: date
) -> tuple[int, int, int]:
    """(bookings, value cents, commission cents) of the bookings dated ``first``..``last``."""
    b = ChannelBooking
    q = (
        select(func.count(), func.sum(b.value_cents), func.sum(b.commission_cents))
        .where(b.entity_id.in_(list(entity_ids)))
        # the month bounds let the month index narrow before the dates filter
        .where(b.month.between(month_of(first), month_of(last)))
        .where(b.booked_on.between(first, last))
    )
    with store.engine.connect() as conn:
        n, value, commission = conn.execute(q).one()
    return int(n or 0), int(value or 0), int(commission or 0)


def campaigns(
    store: LedgerStore, entity_ids: Sequence[str], months: Sequence[int] | None = None
) -> list[Campaign]:
    """Campaigns of the given entities (sent in ``months`` only, when given), oldest first."""
    with store.session() as s:
        q = (
            select(Campaign)
            .where(Campaign.entity_id.in_(list(entity_ids)))
            .order_by(Campaign.sent_on, Campaign.id)
        )
        if months is not None:
            q = q.where(Campaign.month.in_(list(months)))
        return list(s.exec(q).scalars())


def save_channels(store: LedgerStore, rows: Sequence[MarketingChannel]) -> None:
    """Insert or replace channels of the catalogue."""
    with store.session() as s:
        for row in rows:
            s.merge(row)
        s.commit()


def add_rows(store: LedgerStore, model: type[SQLModel], rows: Sequence[dict[str, object]]) -> None:
    """Bulk-insert rows (dicts of column values) into one marketing table."""
    if not rows:
        return
    with store.engine.begin() as conn:
        for start in range(0, len(rows), 2000):
            conn.execute(insert(model), list(rows[start : start + 2000]))
