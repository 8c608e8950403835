"""Shared fixtures: a fresh SQLite ledger per test, and a helper to post small entries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from core.config import get_settings
from core.ledger import store as store_module
from core.ledger.store import LedgerStore, NewEntry
from devtools.dynamodb_local import NotInstalled, dynamodb_local, free_port

BANK = "Assets:Bank:Checking"


@pytest.fixture
def store(tmp_path: Path) -> LedgerStore:
    """An empty ledger in a temp directory."""
    s = LedgerStore(f"sqlite:///{tmp_path}/ledger.db")
    s.create_all()
    return s


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """EXEC_DATA_DIR pointed at a temp dir, with settings and store caches reset."""
    monkeypatch.setenv("EXEC_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    store_module._STORES.clear()
    yield tmp_path
    get_settings.cache_clear()
    store_module._STORES.clear()


def entry(entity: str, day: date, text: str, *lines: tuple[str, int], **kw: object) -> NewEntry:
    """A NewEntry from (account, dollars) pairs (dollars for readability, stored as cents)."""
    return NewEntry(
        entity_id=entity,
        date=day,
        description=text,
        lines=[(a, round(d * 100)) for a, d in lines],
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def dynamodb_endpoint() -> Iterator[str]:
    """A DynamoDB Local server for the whole session."""
    try:
        with dynamodb_local() as endpoint:
            yield endpoint
    except NotInstalled as exc:
        pytest.fail(f"{exc} (make test does)")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server on loopback for the session."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def aws(service: str, endpoint: str) -> Any:
    """A boto3 client pointed at moto."""
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
