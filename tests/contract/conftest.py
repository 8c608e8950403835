"""Ledger stores for the contract suite: SQLite (the default) and a real PostgreSQL server.

PostgreSQL (Debian's, installed by `make postgres`) is started once per test session on a free
loopback port; each test gets a database of its own, copied from a template with the tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.ledger.store import LedgerStore

BACKENDS = ["sqlite", "postgresql"]


def open_store(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> LedgerStore:
    """A fresh ledger of ``backend`` with its tables."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path}/ledger.db"
    else:
        url = request.getfixturevalue("postgres_database")
    store = LedgerStore(url)
    store.create_all()
    return store


@pytest.fixture(params=BACKENDS)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerStore]:
    """An empty ledger on each backend."""
    store = open_store(request, request.param, tmp_path)
    yield store
    store.engine.dispose()
