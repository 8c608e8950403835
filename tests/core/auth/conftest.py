"""Fixtures for the dashboard sign-in tests: a ledger on SQLite and PostgreSQL, cheap bcrypt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import bcrypt
import pytest

from core.auth import sign_in
from core.ledger.store import LedgerStore
from tests.contract.conftest import BACKENDS, open_store

PASSWORD = "correct-horse-battery"


@pytest.fixture(params=BACKENDS)
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LedgerStore]:
    """An empty ledger on each backend."""
    store = open_store(request, request.param, tmp_path)
    yield store
    store.engine.dispose()


@pytest.fixture
def fast_bcrypt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """bcrypt at its lowest cost (a test hashes dozens of passwords; cost 12 takes ~0.3 s each)."""
    real = bcrypt.gensalt
    monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": real(4, prefix))
    # the dummy hash must cost what a user's hash costs
    monkeypatch.setattr(sign_in, "DUMMY_HASH", bcrypt.hashpw(b"dummy", real(4)).decode())
    yield
