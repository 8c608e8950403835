"""Statement imports on behalf of a user: preview, import, the list of runs, and undo.

Every check is here, for every door (the Data page, the command line): the owner, the CFO and
the accountant, each within their entity scope (:mod:`core.ledger.access`). Undoing a run
removes the entries it posted, their lines and their share of the monthly rollup in one
transaction; a locked period (:mod:`core.ledger.period_locks`) refuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from core.alerts.after_change import alerts_after_change
from core.auth.dashboard_users import UserScope
from core.errors import Conflict, NotFound
from core.ledger.access import authorize_books, authorize_role
from core.ledger.bank_files import ColumnMapping, Source
from core.ledger.csv_import import ImportResult, StatementPreview, import_csv, preview_csv
from core.ledger.models import ImportRun, ImportRunEntry, JournalEntry, JournalLine
from core.ledger.period_locks import locked_months_problem
from core.ledger.store import LedgerStore, bump_revision
from core.ledger.transactions import ledger_transaction
from core.logs import audited

_CHUNK = 1000  # ids per IN (...): PostgreSQL takes at most 65,535 bound parameters


@dataclass(frozen=True)
class UndoResult:
    """What undoing an import removed."""

    run_id: int
    entity_id: str
    entries: int
    lines: int


def preview_statement(
    store: LedgerStore,
    *,
    actor: UserScope,
    source: Source,
    entity_id: str,
    account: str,
    mapping: ColumnMapping | None = None,
) -> StatementPreview:
    """Parse a statement for ``actor`` and say where each row would go; writes nothing."""
    authorize_books(actor.role, actor.entities, entity_id, doing="import statements")
    return preview_csv(store, source=source, entity_id=entity_id, account=account, mapping=mapping)


@audited("import", fields=("entity_id", "account", "file_name", "dry_run"))
def import_statement(
    store: LedgerStore,
    *,
    actor: UserScope,
    source: Source,
    entity_id: str,
    account: str,
    mapping: ColumnMapping | None = None,
    file_name: str = "",
    rules_path: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a statement (all rows or none) for ``actor``, recorded as an import run."""
    authorize_books(actor.role, actor.entities, entity_id, doing="import statements")
    content = source if isinstance(source, bytes) else None
    result = import_csv(
        store,
        path=None if content is not None else str(source),
        content=content,
        entity_id=entity_id,
        account=account,
        rules_path=rules_path,
        dry_run=dry_run,
        mapping=mapping,
        file_name=file_name,
        created_by=actor.email,
    )
    if result.posted and not dry_run:
        alerts_after_change(store, entity_id)
    if result.run_id is None or not result.posted:
        return result
    from core.close.anomalies import digest_after_import

    return replace(result, anomalies=digest_after_import(store, result.run_id, entity_id))


def list_import_runs(
    store: LedgerStore, *, actor: UserScope, entity_id: str | None = None, limit: int = 50
) -> list[ImportRun]:
    """Import runs the actor may see (one entity, or every entity of their scope), newest first."""
    authorize_role(actor.role, doing="see imports")
    if entity_id is not None:
        authorize_books(actor.role, actor.entities, entity_id, doing="see imports")
    q = select(ImportRun).order_by(ImportRun.created_at.desc(), ImportRun.id.desc())  # type: ignore[union-attr]
    if entity_id is not None:
        q = q.where(ImportRun.entity_id == entity_id)
    elif actor.entities is not None:
        q = q.where(ImportRun.entity_id.in_(sorted(actor.entities)))  # type: ignore[attr-defined]
    with store.session() as s:
        return list(s.exec(q.limit(limit)).scalars())  # type: ignore[call-overload]


def get_import_run(store: LedgerStore, run_id: int) -> ImportRun:
    """One run; NotFound if unknown."""
    with store.session() as s:
        run = s.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"unknown import run {run_id}")
    return run


def undo_import(store: LedgerStore, *, actor: UserScope, run_id: int) -> UndoResult:
    """Remove the entries a run posted, with their lines and rollup, in one transaction."""
    run = get_import_run(store, run_id)
    authorize_books(actor.role, actor.entities, run.entity_id, doing="undo an import")
    if run.undone_at is not None:
        raise Conflict(f"import run {run_id} was already undone")
    with ledger_transaction(
        store, collided="a concurrent change collided with this undo; nothing was changed"
    ) as conn:
        # the run row is claimed first: of two undos at once, the second finds it taken
        claimed = conn.execute(
            update(ImportRun)
            .where(ImportRun.id == run_id, ImportRun.undone_at.is_(None))  # type: ignore[union-attr]
            .values(undone_at=datetime.now(UTC), undone_by=actor.email)
        ).rowcount
        if claimed != 1:
            raise Conflict(f"import run {run_id} was already undone")
        entry_ids = list(
            conn.scalars(select(ImportRunEntry.entry_id).where(ImportRunEntry.run_id == run_id))
        )
        sums = _line_sums(conn, entry_ids)
        problem = locked_months_problem(conn, run.entity_id, {month for _, month, _, _ in sums})
        if problem:
            raise Conflict(f"import run {run_id} cannot be undone: {problem}")
        store._apply_rollup(conn, {(a, m, ic): [run.entity_id, -cents] for a, m, ic, cents in sums})
        lines = 0
        for chunk in _chunks(entry_ids):
            lines += conn.execute(
                delete(JournalLine).where(JournalLine.entry_id.in_(chunk))  # type: ignore[attr-defined]
            ).rowcount
            conn.execute(delete(ImportRunEntry).where(ImportRunEntry.entry_id.in_(chunk)))  # type: ignore[attr-defined]
            conn.execute(delete(JournalEntry).where(JournalEntry.id.in_(chunk)))  # type: ignore[union-attr]
        bump_revision(conn)
    return UndoResult(run_id=run_id, entity_id=run.entity_id, entries=len(entry_ids), lines=lines)


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _line_sums(conn: Any, entry_ids: Sequence[int]) -> list[tuple[int, int, bool, int]]:
    """(account, month, intercompany, cents) of the entries' lines, summed."""
    sums: dict[tuple[int, int, bool], int] = {}
    for chunk in _chunks(entry_ids):
        q = (
            select(
                JournalLine.account_id,
                JournalLine.month,
                JournalLine.intercompany,
                func.sum(JournalLine.amount_cents),
            )
            .where(JournalLine.entry_id.in_(chunk))  # type: ignore[attr-defined]
            .group_by(JournalLine.account_id, JournalLine.month, JournalLine.intercompany)
        )
        for account_id, month, ic, cents in conn.execute(q):
            key = (int(account_id), int(month), bool(ic))
            sums[key] = sums.get(key, 0) + int(cents)
    return [(a, m, ic, cents) for (a, m, ic), cents in sorted(sums.items())]
