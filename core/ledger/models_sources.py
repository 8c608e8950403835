"""Source tables (SQLModel): one row per sync run, and each source's saved cursor.

A sync run records what the Data page and the CLI show: when it started and finished, its
status (``running``, ``ok``, ``error``), how many items it wrote and, on error, the message a
user reads. A cursor is a small JSON document a source saves in the same transaction as the
rows it wrote, so a sync that stops half way resumes where its last whole page ended.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

RUN_STATUSES = ("running", "ok", "error")


class SourceSync(SQLModel, table=True):
    """One run of one source for one entity."""

    __tablename__ = "source_syncs"
    __table_args__ = (Index("ix_source_sync_latest", "entity_id", "source", "started_at"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    source: str  # one of core.sources.runs.SOURCES
    started_at: dt.datetime  # UTC
    finished_at: dt.datetime | None = None
    status: str = "running"  # one of RUN_STATUSES
    items: int = 0  # rows written (entries posted, cost lines, commits, findings...)
    message: str = ""  # a summary on success, what went wrong on error


class SourceCursor(SQLModel, table=True):
    """Where a source's next incremental pull starts (JSON text, the source's own shape)."""

    __tablename__ = "source_cursors"
    __table_args__ = (UniqueConstraint("entity_id", "source", name="uq_source_cursor"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    source: str
    value: str  # JSON
    updated_at: dt.datetime  # UTC
