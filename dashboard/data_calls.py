"""The Data page's calls into the core: source syncs and tests, statement imports and runs.

Live reads and writes, no caching; the core checks role and scope on each.
"""

from __future__ import annotations

from core.auth.dashboard_users import UserScope
from core.books import import_runs
from core.books.import_runs import UndoResult
from core.config import get_settings
from core.ledger.bank_files import ColumnMapping, sniff
from core.ledger.csv_import import ImportResult, StatementPreview
from core.ledger.models import ImportRun
from core.sources.connection import ConnectionCheck
from core.sources.runs import Progress, RunStatus, latest_runs, run_history
from core.sources.service import SourceSetup, check_source, run_source, setups
from core.sources.service import import_statement as _import_statement
from dashboard.core_calls import entities, ledger


def source_runs(allowed: frozenset[str] | None) -> list[RunStatus]:
    """The latest run of every source for every entity the user may see."""
    return latest_runs(ledger(), [e for e, _ in entities(allowed)])


def source_history(allowed: frozenset[str] | None, limit: int = 50) -> list[RunStatus]:
    """Recent runs, newest first, within the user's scope."""
    return run_history(ledger(), [e for e, _ in entities(allowed)], limit=limit)


def source_setups(entity_id: str) -> list[SourceSetup]:
    """Each source's readiness for an entity."""
    return setups(get_settings(), entity_id)


def sync_source(source: str, entity_id: str, user: UserScope, progress: Progress) -> str:
    """Run a source now (role and scope checked in the core); its summary."""
    return run_source(
        ledger(),
        source,
        entity_id,
        role=user.role,
        allowed=user.entities,
        settings=get_settings(),
        progress=progress,
    )


def import_statement(
    content: bytes,
    *,
    entity_id: str,
    account: str,
    user: UserScope,
    dry_run: bool,
    mapping: ColumnMapping | None = None,
    file_name: str = "",
) -> ImportResult:
    """Import (or check) an uploaded bank/card CSV, all or nothing, recorded as the user's run."""
    return _import_statement(
        ledger(),
        content=content,
        entity_id=entity_id,
        account=account,
        role=user.role,
        allowed=user.entities,
        dry_run=dry_run,
        mapping=mapping,
        file_name=file_name,
        created_by=user.email,
    )


def preview_statement(
    content: bytes,
    *,
    entity_id: str,
    account: str,
    user: UserScope,
    mapping: ColumnMapping | None = None,
) -> StatementPreview:
    """Where each row of an uploaded statement would go (scope checked in the core)."""
    return import_runs.preview_statement(
        ledger(),
        actor=user,
        source=content,
        entity_id=entity_id,
        account=account,
        mapping=mapping,
    )


def statement_head(content: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells) of the first rows of an upload, to name its columns by hand."""
    return sniff(content)


def recent_imports(user: UserScope, limit: int = 20) -> list[ImportRun]:
    """Import runs within the user's scope (decided in the core), newest first."""
    return import_runs.list_import_runs(ledger(), actor=user, limit=limit)


def undo_import(run_id: int, user: UserScope) -> UndoResult:
    """Take an import run back (role, scope and locked periods checked in the core)."""
    return import_runs.undo_import(ledger(), actor=user, run_id=run_id)


def check_connection(source: str, entity_id: str, user: UserScope) -> ConnectionCheck:
    """Check a source's connection for an entity without syncing (scope checked in the core)."""
    return check_source(
        source, entity_id, role=user.role, allowed=user.entities, settings=get_settings()
    )
