"""Ledger tables (SQLModel). Money is stored as integer cents, debits positive.

``monthly_totals`` is a rollup of ``journal_lines`` by account, month and intercompany flag,
kept in the same transaction as every posting so that reports never scan the lines.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")
COST_BEHAVIORS = ("fixed", "variable")


class Entity(SQLModel, table=True):
    """A business in the portfolio; entities are data, never hard-coded."""

    __tablename__ = "entities"
    id: str = Field(primary_key=True, max_length=64)
    name: str
    kind: str = "business"
    is_demo: bool = False


class Account(SQLModel, table=True):
    """A colon-path account (``Expenses:Fuel``) belonging to one entity."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("entity_id", "path", name="uq_account_path"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    path: str
    root: str
    cost_behavior: str | None = None


class JournalEntry(SQLModel, table=True):
    """One balanced transaction of one entity."""

    __tablename__ = "journal_entries"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    date: dt.date = Field(index=True)
    description: str
    memo: str = ""
    source: str = "manual"
    fingerprint: str | None = Field(default=None, unique=True)
    intercompany: bool = False
    counterparty: str | None = None


class JournalLine(SQLModel, table=True):
    """One posting of an entry; ``month`` and ``entity_id`` are copied for fast filtering."""

    __tablename__ = "journal_lines"
    __table_args__ = (Index("ix_lines_account_month", "account_id", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="journal_entries.id", index=True)
    account_id: int = Field(foreign_key="accounts.id")
    entity_id: str
    month: int
    amount_cents: int
    intercompany: bool = False


class MonthlyTotal(SQLModel, table=True):
    """Sum of lines per account, month and intercompany flag (maintained on write)."""

    __tablename__ = "monthly_totals"
    account_id: int = Field(foreign_key="accounts.id", primary_key=True)
    month: int = Field(primary_key=True)
    intercompany: bool = Field(primary_key=True)
    entity_id: str = Field(index=True)
    amount_cents: int = 0


class Target(SQLModel, table=True):
    """A KPI target for one entity (or ``all``) and month."""

    __tablename__ = "targets"
    entity_id: str = Field(primary_key=True)
    kpi_id: str = Field(primary_key=True)
    month: int = Field(primary_key=True)
    value: float


class DashboardUser(SQLModel, table=True):
    """A dashboard login: bcrypt password hash, role and entity scope."""

    __tablename__ = "dashboard_users"
    email: str = Field(primary_key=True)
    name: str
    role: str
    entities: str = "all"  # "all" or comma-separated entity ids
    password_hash: str
    created_at: dt.datetime


# timestamptz on PostgreSQL: a plain timestamp would be read back in the server's time zone
_UTC = DateTime(timezone=True)


class DashboardUserState(SQLModel, table=True):
    """Per-user sign-in state kept apart from ``dashboard_users`` (older databases lack columns)."""

    __tablename__ = "dashboard_user_state"
    email: str = Field(primary_key=True)
    must_change_password: bool = False
    password_changed_at: dt.datetime | None = Field(default=None, sa_type=_UTC)


class DashboardSession(SQLModel, table=True):
    """A signed-in browser: only the SHA-256 of its random token is stored."""

    __tablename__ = "dashboard_sessions"
    token_hash: str = Field(primary_key=True, max_length=64)
    email: str = Field(index=True)
    created_at: dt.datetime = Field(sa_type=_UTC)
    last_seen_at: dt.datetime = Field(sa_type=_UTC)
    expires_at: dt.datetime = Field(sa_type=_UTC)
    revoked_at: dt.datetime | None = Field(default=None, sa_type=_UTC)
    client: str = ""
    user_agent: str = ""


class SignInFailure(SQLModel, table=True):
    """One failed (or still being checked) sign-in; rows older than the window are pruned."""

    __tablename__ = "dashboard_sign_in_failures"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True)
    client: str = Field(index=True)
    at: dt.datetime = Field(index=True, sa_type=_UTC)


class DashboardLock(SQLModel, table=True):
    """A row written first in a transaction to serialize a decision across server processes."""

    __tablename__ = "dashboard_locks"
    key: str = Field(primary_key=True)
    uses: int = 0


class DeliveryLog(SQLModel, table=True):
    """Every attempt to send a report: sent or failed, never both."""

    __tablename__ = "delivery_log"
    id: int | None = Field(default=None, primary_key=True)
    report: str
    entity: str
    period: str
    recipients: str
    bcc: str = ""
    subject: str = ""
    backend: str
    status: str  # sent | failed | refused (a schedule its creator may no longer send)
    message_id: str | None = None
    error: str | None = None
    requested_by: str = ""
    subscription_id: int | None = Field(default=None, index=True)
    sent_at: dt.datetime = Field(index=True, sa_type=_UTC)


class Subscription(SQLModel, table=True):
    """A report sent on a cron schedule in a time zone."""

    __tablename__ = "subscriptions"
    id: int | None = Field(default=None, primary_key=True)
    report: str
    entity: str
    recipients: str
    cron: str
    tz: str
    created_by: str = ""
    created_at: dt.datetime


class SubscriptionOptions(SQLModel, table=True):
    """What a subscription sends besides the email: attachments, and whether an empty report
    is skipped (a table of its own, so databases made before it need no migration)."""

    __tablename__ = "subscription_options"
    subscription_id: int = Field(primary_key=True)
    attach: str = ""  # "pdf,xlsx", "pdf", ...
    skip_if_empty: bool = False


class SubscriptionRun(SQLModel, table=True):
    """One scheduled occurrence of a subscription; its primary key makes sends happen once."""

    __tablename__ = "subscription_runs"
    subscription_id: int = Field(primary_key=True)
    due_at: str = Field(primary_key=True)  # ISO instant of the cron occurrence
    status: str  # sending | sent | failed | refused | skipped (nothing to report)
    updated_at: dt.datetime


class LedgerMeta(SQLModel, table=True):
    """Small counters, e.g. ``revision``: bumped by every write that posts no entry."""

    __tablename__ = "ledger_meta"
    key: str = Field(primary_key=True)
    value: int = 0


class CategorizationRule(SQLModel, table=True):
    """A saved rule: descriptions matching ``pattern`` (case-insensitive) go to ``account``."""

    __tablename__ = "categorization_rules"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    pattern: str
    account: str
    cost_behavior: str | None = None
    created_by: str = ""
    created_at: dt.datetime


class ImportRun(SQLModel, table=True):
    """One statement import: what it read, what it posted, who ran it; undone keeps the row."""

    __tablename__ = "import_runs"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    account: str
    file_name: str = ""
    rows: int = 0  # transactions read from the file
    imported: int = 0  # entries posted
    duplicates: int = 0  # rows already in the ledger (fingerprint seen before)
    skipped_lines: int = 0  # preamble and balance lines left out
    created_by: str = ""
    created_at: dt.datetime = Field(index=True, sa_type=_UTC)
    undone_at: dt.datetime | None = Field(default=None, sa_type=_UTC)
    undone_by: str = ""


class ImportRunEntry(SQLModel, table=True):
    """The entries a run posted (an entry belongs to at most one run), so undo finds them."""

    __tablename__ = "import_run_entries"
    entry_id: int = Field(foreign_key="journal_entries.id", primary_key=True)
    run_id: int = Field(foreign_key="import_runs.id", index=True)
    entity_id: str  # lets delete_entities remove these rows with the entity's entries
