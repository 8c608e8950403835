"""Tech tables (SQLModel): stack inventory, cloud costs and usage, security findings, git history.

Every row belongs to an entity (``entity_id``), so ``LedgerStore.delete_entities`` removes it,
and carries a ``source``: "demo" for the generated portfolio, or the real source that wrote it
("cost-explorer", "aws-lambda", "secret-scan", "git"). Money in integer cents; instants are aware
datetimes, stored and read back in UTC.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

SEVERITIES = ("critical", "high", "medium", "low")
FINDING_STATUSES = ("open", "in_progress", "fixed")
SERVICE_KINDS = ("web app", "Lambda", "database", "SaaS")


class TechService(SQLModel, table=True):
    """A running service: web app, Lambda, database or SaaS, with its runtime and owner."""

    __tablename__ = "tech_services"
    __table_args__ = (UniqueConstraint("entity_id", "name", name="uq_tech_service_name"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    name: str  # also the ``service`` label of its cost lines
    kind: str  # one of SERVICE_KINDS
    runtime: str = ""  # "python3.11", "nodejs18.x", "postgres14"; "" for SaaS
    owner: str  # a person
    repo: str | None = None  # "owner/name" of its git repository, if any
    launched_on: dt.date
    retired_on: dt.date | None = None
    source: str = "demo"


class CloudCost(SQLModel, table=True):
    """Cost of one service in one month (Cost Explorer grouped by service fills the same rows)."""

    __tablename__ = "cloud_costs"
    __table_args__ = (
        UniqueConstraint("entity_id", "month", "service", "source", name="uq_cloud_cost"),
    )
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    month: int = Field(index=True)  # yyyymm, like the ledger's month
    service: str
    cost_cents: int
    source: str = "demo"


class CloudResourceUsage(SQLModel, table=True):
    """One billed resource in one month: its cost, mean utilization and last activity."""

    __tablename__ = "cloud_resource_usage"
    __table_args__ = (
        UniqueConstraint("entity_id", "month", "resource", "source", name="uq_resource_month"),
    )
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    month: int = Field(index=True)
    resource: str  # a name or ARN
    service: str  # the cost line it is billed under
    cost_cents: int
    utilization_pct: float  # mean CPU / connections / requests as a share of capacity, 0..100
    last_active_on: dt.date | None = None
    source: str = "demo"


class SecurityFinding(SQLModel, table=True):
    """One item of the security hardening roadmap."""

    __tablename__ = "security_findings"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    service: str  # the TechService name it concerns
    title: str  # what is wrong
    fix: str  # one sentence
    severity: str  # one of SEVERITIES
    status: str  # one of FINDING_STATUSES
    opened_on: dt.date
    fixed_on: dt.date | None = None
    source: str = "demo"  # or the real source that found it ("secret-scan", "aws-lambda")
    fingerprint: str | None = Field(default=None, unique=True)  # lets a scanner re-run safely


class GitCommit(SQLModel, table=True):
    """A commit of a repository; ``deploy_tag`` names the deploy that shipped it, if any."""

    __tablename__ = "git_commits"
    __table_args__ = (
        UniqueConstraint("repo", "sha", name="uq_commit_sha"),
        Index("ix_commit_deploy", "repo", "deploy_tag"),
    )
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    repo: str
    sha: str
    authored_at: dt.datetime = Field(index=True)  # UTC
    author: str
    deploy_tag: str | None = None
    source: str = "demo"


class Deploy(SQLModel, table=True):
    """A production deploy of a repository (a release tag)."""

    __tablename__ = "deploys"
    __table_args__ = (UniqueConstraint("repo", "tag", name="uq_deploy_tag"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    repo: str
    tag: str
    deployed_at: dt.datetime = Field(index=True)  # UTC
    commit_count: int = 0
    source: str = "demo"
