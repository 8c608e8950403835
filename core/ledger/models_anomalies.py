"""Anomaly marks (SQLModel): an owner's "expected" on one anomaly, so it stays quiet after.

Anomalies themselves are not stored: they are found from the ledger whenever asked
(:mod:`core.close.anomalies`). Only the owner's decision about one is kept, by its stable id.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

MARK_STATUSES = ("expected",)


class AnomalyMark(SQLModel, table=True):
    """One anomaly marked "expected": who, when and why (the anomaly's id is stable)."""

    __tablename__ = "anomaly_marks"
    anomaly_id: str = Field(primary_key=True, max_length=64)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    kind: str
    status: str = "expected"  # one of MARK_STATUSES
    note: str = ""
    marked_by: str
    marked_at: dt.datetime = Field(sa_type=DateTime(timezone=True))
