"""Shared fixtures: a fresh SQLite ledger per test, and a helper to post small entries."""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer
from sqlalchemy import create_engine, text

from core.config import get_settings
from core.ledger import store as store_module
from core.ledger.store import LedgerStore, NewEntry
from devtools.dynamodb_local import NotInstalled, dynamodb_local, free_port
from devtools.postgres import NotInstalled as PostgresNotInstalled
from devtools.postgres import postgres_server

BANK = "Assets:Bank:Checking"

# tests never ask the real National Weather Service: a closed local port answers "no forecast"
# at once (servers the tests start inherit it); weather tests point it at their fake server
os.environ["WEATHER_API_BASE"] = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def _core_logger_as_found() -> Iterator[None]:
    """Put the "core" logger back as each test found it: a Lambda handler run in one test
    wires core's lines to its JSON on stdout, which must not leak into another test's output."""
    core = logging.getLogger("core")
    handlers, level, propagate = list(core.handlers), core.level, core.propagate
    yield
    core.handlers[:] = handlers
    core.setLevel(level)
    core.propagate = propagate


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


# A zone that is not UTC and a language collation (this machine only has C locales, so an ICU
# one stands in): real PostgreSQL servers usually run with both, and with them a missing
# time zone or an ORDER BY on text shows up as a difference from SQLite in the tests.
POSTGRES_TIMEZONE = "America/New_York"
POSTGRES_TEMPLATE = "ledger_template"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server for the session; the URL of its ``postgres`` database."""
    try:
        with postgres_server(timezone=POSTGRES_TIMEZONE) as url:
            yield url
    except PostgresNotInstalled as exc:
        pytest.fail(f"{exc} (make test installs it)")


class PostgresDatabases:
    """Makes fresh databases with the ledger's tables, as copies of one template database."""

    def __init__(self, server_url: str) -> None:
        self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.base = server_url.rsplit("/", 1)[0]
        self._names = (f"ledger_{n}" for n in itertools.count(1))
        self._sql(
            f"CREATE DATABASE {POSTGRES_TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'"
            " LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
        )
        template = LedgerStore(f"{self.base}/{POSTGRES_TEMPLATE}")
        template.create_all()
        template.engine.dispose()  # a template must have no connection when it is copied

    def _sql(self, statement: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(statement))

    def new(self) -> str:
        """The URL of a new database (about 40 ms: a file copy of the template)."""
        name = next(self._names)
        # FILE_COPY: with fsync off it is ~6x faster than the default WAL_LOG for a small template
        self._sql(f"CREATE DATABASE {name} TEMPLATE {POSTGRES_TEMPLATE} STRATEGY FILE_COPY")
        return f"{self.base}/{name}"

    def drop(self, url: str) -> None:
        """Drop a database made by :meth:`new`, closing whatever still uses it."""
        self._sql(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


@pytest.fixture(scope="session")
def postgres_databases(postgres_url: str) -> Iterator[PostgresDatabases]:
    """The session's maker of fresh PostgreSQL databases."""
    databases = PostgresDatabases(postgres_url)
    yield databases
    databases.admin.dispose()


@pytest.fixture
def postgres_database(postgres_databases: PostgresDatabases) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database of this test alone, its tables created."""
    url = postgres_databases.new()
    yield url
    postgres_databases.drop(url)


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
