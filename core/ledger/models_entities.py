"""What an owner sets on a business beyond ``entities`` (a table of its own: older databases
open unchanged, and a business added from the command line simply has no row here).

No row means: currency USD, not archived.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

# timestamptz on PostgreSQL: a plain timestamp would be read back in the server's time zone
_UTC = DateTime(timezone=True)


class EntityProfile(SQLModel, table=True):
    """Currency and archive state of one entity."""

    __tablename__ = "entity_profiles"
    entity_id: str = Field(foreign_key="entities.id", primary_key=True, max_length=64)
    currency: str = "USD"
    archived_at: dt.datetime | None = Field(default=None, sa_type=_UTC)
    archived_by: str = ""
