"""The ledger store: SQLModel tables over SQLite (default) or PostgreSQL.

Every write goes through :meth:`LedgerStore.post`, which validates first, then writes the
entries, their lines and the ``monthly_totals`` rollup in one transaction: all or nothing.

``LedgerStore`` is its parts, one module per concern: ``database`` (engine, tables, sessions),
``entities``, ``posting`` (with ``entries``: what an entry is and must pass), ``queries``
(reads) and ``targets``; ``sql`` holds the SQL pieces they share and ``revision`` the cache
key. This module is the ledger's public import path: it names the parts' public values too.
"""

from __future__ import annotations

from core.ledger.entities import EntityRecords
from core.ledger.entries import NewEntry, PostResult, account_root, entry_problems
from core.ledger.posting import Posting
from core.ledger.queries import LedgerQueries, TotalRow, UncategorizedLine, totals_by_account
from core.ledger.revision import bump_revision, ledger_revision
from core.ledger.sql import is_collision, path_ends_with, path_under, upsert_insert
from core.ledger.targets import TargetRecords

__all__ = [
    "LedgerStore",
    "NewEntry",
    "PostResult",
    "TotalRow",
    "UncategorizedLine",
    "account_root",
    "bump_revision",
    "entry_problems",
    "is_collision",
    "ledger_revision",
    "open_ledger",
    "path_ends_with",
    "path_under",
    "totals_by_account",
    "upsert_insert",
]


class LedgerStore(EntityRecords, Posting, LedgerQueries, TargetRecords):
    """Reads and writes the ledger; the only package that issues ledger SQL."""


_STORES: dict[str, LedgerStore] = {}


def open_ledger(url: str) -> LedgerStore:
    """The process-wide store for ``url``, with its tables created on first use."""
    store = _STORES.get(url)
    if store is None:
        store = LedgerStore(url)
        store.create_all()
        _STORES[url] = store
    return store
