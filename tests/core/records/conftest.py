"""An empty ledger on each backend (SQLite and PostgreSQL) with two entities, for hand-made
audit records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.ledger.store import LedgerStore
from tests.contract.conftest import BACKENDS, open_store

ENTITIES = ("Mine", "Other")  # the records under test, and another entity's beside them


@pytest.fixture(params=BACKENDS)
def two_entities(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerStore]:
    """A fresh ledger of each backend with the entities of ``ENTITIES``."""
    store = open_store(request, request.param, tmp_path)
    for entity in ENTITIES:
        store.add_entity(id=entity, name=entity)
    yield store
    store.engine.dispose()
