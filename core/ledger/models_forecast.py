"""The forecast's declared inputs (SQLModel): recurring cash items and saved scenarios, per entity.

Amounts are integer cents, signed as cash: positive money in, negative money out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

# timestamptz on PostgreSQL: a plain timestamp would be read back in the server's time zone
_UTC = DateTime(timezone=True)


class RecurringCashItem(SQLModel, table=True):
    """A cash movement the owner expects again and again (payroll, a loan, a subscription)."""

    __tablename__ = "forecast_recurring_items"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    name: str
    account: str  # the counter-account of the cash, e.g. Expenses:Payroll
    amount_cents: int
    every: str  # week | month
    weekday: int | None = None  # 0 = Monday (every week)
    day: int | None = None  # 1-31, clamped to the month's last day (every month)
    starts: dt.date
    ends: dt.date | None = None
    created_by: str = ""
    created_at: dt.datetime = Field(sa_type=_UTC)


class ForecastScenario(SQLModel, table=True):
    """A named what-if saved for one entity: adjusts and one-offs as JSON text."""

    __tablename__ = "forecast_scenarios"
    __table_args__ = (UniqueConstraint("entity_id", "name", name="uq_forecast_scenario_name"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    name: str
    adjusts: str = "[]"  # [{"prefix", "pct", "start", "end"}]
    one_offs: str = "[]"  # [{"day", "amount", "label"}]
    created_by: str = ""
    created_at: dt.datetime = Field(sa_type=_UTC)
