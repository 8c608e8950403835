"""What the Data page may do with sources, for whom: every check here, none in the page.

Who: the owner, the CFO and the accountant (the roles that open `/data`), each only on the
entities of their scope. What each source needs is configuration, not code: a Stripe key,
AWS credentials in the environment or a profile, ``GIT_REPOS`` for git history and the secret scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.auth.dashboard_users import UserScope
from core.books import import_runs
from core.config import Settings
from core.errors import Invalid
from core.ledger.access import BOOK_ROLES, authorize_books
from core.ledger.bank_files import ColumnMapping
from core.ledger.csv_import import ImportResult
from core.ledger.store import LedgerStore
from core.logs import audited
from core.sources.connection import (
    ConnectionCheck,
    is_set_up,
    repos_of,
    setup_steps,
    test_connection,
)
from core.sources.runs import SOURCES, Progress, no_progress

SYNC_ROLES = BOOK_ROLES  # the roles that may change the books may sync their sources


@dataclass(frozen=True)
class SourceSetup:
    """Whether a source can run here, and what to set if it cannot."""

    source: str
    label: str
    ready: bool
    hint: str


def authorize(role: str, allowed: frozenset[str] | None, entity_id: str) -> None:
    """Forbidden unless ``role`` may sync and ``entity_id`` is in the user's scope."""
    authorize_books(role, allowed, entity_id, doing="sync data sources")


def setups(settings: Settings, entity_id: str) -> list[SourceSetup]:
    """Every source with its readiness for ``entity_id`` and the steps to set it up."""
    return [
        SourceSetup(source, label, is_set_up(settings, source, entity_id), setup_steps(source))
        for source, label in SOURCES.items()
    ]


def check_source(
    source: str,
    entity_id: str,
    *,
    role: str,
    allowed: frozenset[str] | None,
    settings: Settings,
) -> ConnectionCheck:
    """Test one source's connection for one entity on behalf of a user (nothing is synced)."""
    if source not in SOURCES:
        raise Invalid(f"unknown source {source!r}")
    authorize(role, allowed, entity_id)
    return test_connection(settings, source, entity_id)


@audited("sync", actor="role", fields=("source", "entity_id"))
def run_source(
    store: LedgerStore,
    source: str,
    entity_id: str,
    *,
    role: str,
    allowed: frozenset[str] | None,
    settings: Settings,
    progress: Progress | None = None,
    today: datetime | None = None,
) -> str:
    """Run one source for one entity on behalf of a user; its one-line summary."""
    if source not in SOURCES:
        raise Invalid(f"unknown source {source!r}")
    authorize(role, allowed, entity_id)
    store.get_entity(entity_id)
    report = progress or no_progress
    if source == "stripe":
        from core.sources.stripe_sync import sync_stripe

        return sync_stripe(store, entity_id, settings=settings, progress=report)
    if source == "aws-costs":
        from core.sources.aws_costs import sync_aws_costs

        return sync_aws_costs(store, entity_id, progress=report)
    if source == "aws-lambda":
        from core.sources.aws_lambda import sync_lambda_inventory

        return sync_lambda_inventory(store, entity_id, progress=report)
    repos = repos_of(settings, entity_id)
    if not repos:
        raise Invalid(f"no git repositories are configured for {entity_id} (GIT_REPOS)")
    if source == "git":
        from core.sources.git_history import sync_git

        summaries = []
        for i, repo in enumerate(repos):

            def step(share: float, text: str, i: int = i) -> None:
                report((i + share) / len(repos), text)

            summaries.append(sync_git(store, entity_id, repo, progress=step))
        return "; ".join(summaries)
    return _scan(store, entity_id, repos, settings=settings, progress=report)


def _scan(
    store: LedgerStore,
    entity_id: str,
    repos: Sequence[Path],
    *,
    settings: Settings,
    progress: Progress,
) -> str:
    from core.sources.secret_scan import record_scan, scan_paths

    today = datetime.now(settings.tz).date()
    summaries = []
    for i, repo in enumerate(repos):
        progress(i / len(repos), f"scanning {repo.name}")
        result = scan_paths([repo])
        summaries.append(record_scan(store, entity_id, result, service=repo.name, today=today))
    progress(1.0, "done")
    return "; ".join(summaries)


def import_statement(
    store: LedgerStore,
    *,
    content: bytes,
    entity_id: str,
    account: str,
    role: str,
    allowed: frozenset[str] | None,
    dry_run: bool,
    mapping: ColumnMapping | None = None,
    file_name: str = "",
    created_by: str = "",
) -> ImportResult:
    """Import an uploaded bank/card CSV (all or nothing), on behalf of a user."""
    if not content.strip():
        raise Invalid("the file is empty")
    actor = UserScope(email=created_by, name=created_by, role=role, entities=allowed)
    return import_runs.import_statement(
        store,
        actor=actor,
        source=content,
        entity_id=entity_id,
        account=account,
        mapping=mapping,
        file_name=file_name,
        dry_run=dry_run,
    )
