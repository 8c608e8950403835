"""Reading and writing the asset register; every read is limited to the caller's entities."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select

from core.ledger.models_assets import Asset, AssetUsage
from core.ledger.store import LedgerStore


def list_assets(store: LedgerStore, entity_ids: Sequence[str]) -> list[Asset]:
    """Assets of the given entities, by entity and name."""
    q = select(Asset).where(Asset.entity_id.in_(list(entity_ids)))
    with store.session() as s:
        rows = list(s.exec(q).scalars())  # type: ignore[call-overload]
    # sorted here, not by ORDER BY: PostgreSQL orders text by the database's collation (en_US
    # puts "quickdumpnow.com" before "Truck 1"); SQLite and Python compare code points
    return sorted(rows, key=lambda a: (a.entity_id, a.name))


def usage(store: LedgerStore, entity_ids: Sequence[str], months: Sequence[int]) -> list[AssetUsage]:
    """Usage rows of the given entities' assets in ``months``."""
    q = (
        select(AssetUsage)
        .where(AssetUsage.entity_id.in_(list(entity_ids)))
        .where(AssetUsage.month.in_(list(months)))
    )
    with store.session() as s:
        return list(s.exec(q).scalars())  # type: ignore[call-overload]


def add_assets(store: LedgerStore, assets: Iterable[Asset]) -> list[Asset]:
    """Insert assets; returns them with their ids."""
    rows = list(assets)
    with store.session() as s:
        s.add_all(rows)
        s.commit()
        for row in rows:
            s.refresh(row)
    return rows


def add_usage(store: LedgerStore, rows: Iterable[AssetUsage]) -> None:
    """Insert or replace usage rows."""
    with store.session() as s:
        for row in rows:
            s.merge(row)
        s.commit()
