"""Month-end close tables: the locked periods and the audit log of every lock and unlock.

A lock on month M of an entity freezes M and every earlier month of that entity: the writers
ask :mod:`core.ledger.period_locks` inside their own transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, Text
from sqlmodel import Field, SQLModel

# timestamptz on PostgreSQL: a plain timestamp would be read back in the server's time zone
_UTC = DateTime(timezone=True)


class PeriodLock(SQLModel, table=True):
    """One locked month of one entity (the month and every earlier one are frozen)."""

    __tablename__ = "close_period_locks"
    entity_id: str = Field(foreign_key="entities.id", primary_key=True, max_length=64)
    month: int = Field(primary_key=True)  # yyyymm
    locked_by: str
    locked_at: dt.datetime = Field(sa_type=_UTC)
    reason: str = ""
    forced: bool = False


class CloseAuditRecord(SQLModel, table=True):
    """A lock, forced lock or unlock: who, when, why and the check results at that moment."""

    __tablename__ = "close_audit_log"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True, max_length=64)
    month: int
    action: str  # lock | force_lock | unlock
    actor: str
    at: dt.datetime = Field(sa_type=_UTC)
    reason: str = ""
    checks_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
