"""Asset register (SQLModel): vessels, property, vehicles, domains, with monthly usage.

Revenue per asset comes from the ledger (the asset's entity, a revenue account prefix and a
share); utilization from ``asset_usage`` rows (days used of days available in a month).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

ASSET_KINDS = ("vessel", "property", "vehicle", "domain", "equipment")


class Asset(SQLModel, table=True):
    """Something the portfolio owns that earns or costs money."""

    __tablename__ = "assets"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    name: str
    kind: str  # one of ASSET_KINDS
    value_cents: int  # current estimated value
    revenue_account: str | None = None  # e.g. "Income:JunkRemoval"; None: earns nothing directly
    revenue_share: float = 1.0  # of that account's income (two trucks share one business)
    renews_on: dt.date | None = None  # domains, leases, registrations
    notes: str = ""


class AssetUsage(SQLModel, table=True):
    """Days an asset was in use in one month (charter days, truck job days, unit-days let)."""

    __tablename__ = "asset_usage"
    asset_id: int = Field(foreign_key="assets.id", primary_key=True)
    month: int = Field(primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    used_days: float
    available_days: float
