"""Per-day totals of the audit records that the audit reports sum over date windows: time
entries by the day worked, delivery jobs by the day delivered. Database triggers keep them
(``core.ledger.day_totals``); derived, never written by hand."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class TimeDayTotal(SQLModel, table=True):
    """An entity's time entries of one day: how many, minutes, value at the entries' rates."""

    __tablename__ = "audit_time_days"
    entity_id: str = Field(primary_key=True)
    day: dt.date = Field(primary_key=True)
    entries: int
    minutes: int
    value_cents: int  # each entry's minutes * rate // 60, summed


class DeliveredDayTotal(SQLModel, table=True):
    """An entity's delivery jobs delivered on one day, summed (cents, miles, days)."""

    __tablename__ = "audit_delivered_days"
    entity_id: str = Field(primary_key=True)
    day: dt.date = Field(primary_key=True)
    jobs: int
    nautical_miles: int
    days: int  # actual days, a missing one counting 0
    crew_cost_cents: int
    quoted_cost_cents: int
    actual_cost_cents: int  # crew + fuel + travel
    price_cents: int  # the invoice once issued, else the quote
    on_time: int
