"""Budgets (SQLModel): an amount per entity, account and month, set by the owner.

``account`` is a colon path under ``Income`` or ``Expenses``; it covers the ledger accounts at
that path and below it (a budget for ``Expenses:Marketing`` covers ``Expenses:Marketing:Ads``).
``amount_cents`` is in the account's natural sense: income earned and money spent are positive.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Budget(SQLModel, table=True):
    """The budgeted amount of one account group of one entity in one month."""

    __tablename__ = "budgets"
    entity_id: str = Field(foreign_key="entities.id", primary_key=True, max_length=64)
    account: str = Field(primary_key=True, max_length=255)
    month: int = Field(primary_key=True)  # yyyymm
    amount_cents: int
