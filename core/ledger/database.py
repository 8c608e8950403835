"""The ledger database: the engine over SQLite (default) or PostgreSQL, its tables and indexes,
and sessions; every part of the ledger store works over it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.schema import CreateIndex
from sqlmodel import Session, SQLModel

from core.ledger import (
    day_totals,
    models_alerts,  # noqa: F401  (registers tables)
    models_anomalies,  # noqa: F401  (registers tables)
    models_assets,  # noqa: F401  (registers tables)
    models_budgets,  # noqa: F401  (registers tables)
    models_close,  # noqa: F401  (registers tables)
    models_day_totals,  # noqa: F401  (registers tables)
    models_entities,  # noqa: F401  (registers tables)
    models_forecast,  # noqa: F401  (registers tables)
    models_marketing,  # noqa: F401  (registers tables)
    models_records,  # registers tables; create_all adds its later indexes
    models_sources,  # noqa: F401  (registers tables)
    models_tech,  # noqa: F401  (registers tables)
    settlements,
)
from core.private_files import private_sqlite


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class LedgerDatabase:
    """The engine, tables and sessions of one ledger database URL."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///").split("?", 1)[0]
            if path and path != ":memory:":
                private_sqlite(Path(path))  # 0600 before SQLite creates it (and its -wal/-shm)
        self.url = url
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def create_all(self) -> None:
        """Create missing tables, indexes and triggers (safe to run again)."""
        settled = inspect(self.engine).has_table(settlements.TABLE)
        with self.engine.connect() as conn:
            unfilled = day_totals.missing_tables(conn)
        SQLModel.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            settlements.install_settlements(conn, fill=not settled)
            day_totals.install_day_totals(conn, fill=unfilled)
            inspector = inspect(conn)
            for index in models_records.LATER_INDEXES:
                table = index.table.name  # type: ignore[union-attr]
                if index.name not in {ix["name"] for ix in inspector.get_indexes(table)}:
                    # IF NOT EXISTS: another process may be creating it at the same moment
                    conn.execute(CreateIndex(index, if_not_exists=True))

    def session(self) -> Session:
        """A new ORM session (caller closes it)."""
        return Session(self.engine, expire_on_commit=False)
