"""Fixtures shared by the source tests: two entities, and the session's moto server emptied."""

from __future__ import annotations

import pytest

from core.ledger.store import LedgerStore
from tests.core.sources.moto_helpers import reset


@pytest.fixture
def moto(moto_endpoint: str) -> str:
    """The session's moto server, emptied for this test."""
    reset(moto_endpoint)
    return moto_endpoint


@pytest.fixture
def acme(store: LedgerStore) -> LedgerStore:
    """A ledger with entities A (Acme) and B (Beta)."""
    store.add_entity(id="A", name="Acme")
    store.add_entity(id="B", name="Beta")
    return store
