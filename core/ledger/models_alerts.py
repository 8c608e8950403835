"""KPI alert tables: the rules with their state, and each firing (the claim and the history)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

# timestamptz on PostgreSQL: a plain timestamp would be read back in the server's time zone
_UTC = DateTime(timezone=True)


class AlertRule(SQLModel, table=True):
    """A KPI watched for one entity (or ``all``), who is told, and where it stands now."""

    __tablename__ = "alert_rules"
    id: int | None = Field(default=None, primary_key=True)
    kpi: str  # "<report>.<kpi id>", e.g. "cfo.runway_months"
    entity: str = Field(index=True)  # an entity id or "all"
    condition: str  # below | above | off_target
    threshold: float | None = None  # None for off_target (the KPI's own target decides)
    recipients: str  # comma-separated
    mode: str = "once"  # once | every
    paused: bool = False
    created_by: str = ""
    created_at: dt.datetime = Field(sa_type=_UTC)
    # state: a "once" rule fires when armed, then waits for one evaluation on the good side
    armed: bool = True
    cycle: int = 0  # bumped at each re-arm; a "once" firing is claimed as "once-<cycle>"
    crossed: bool | None = None  # at the last evaluation (None: never evaluated)
    last_value: float | None = None
    evaluated_at: dt.datetime | None = Field(default=None, sa_type=_UTC)
    fired_at: dt.datetime | None = Field(default=None, sa_type=_UTC)


class AlertFiring(SQLModel, table=True):
    """One alert email, claimed by its primary key before it is sent: two runs send it once."""

    __tablename__ = "alert_firings"
    rule_id: int = Field(primary_key=True)
    occurrence: str = Field(primary_key=True)  # "once-<cycle>" or "every-<local date>"
    status: str  # sending | sent | failed | refused
    value: float | None = None
    previous: float | None = None
    period: str = ""  # YYYY-MM the value is for
    recipients: str = ""
    error: str | None = None
    fired_at: dt.datetime = Field(index=True, sa_type=_UTC)
    updated_at: dt.datetime = Field(sa_type=_UTC)
