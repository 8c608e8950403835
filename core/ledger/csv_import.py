"""Bank and card CSV import (CONTRACT section 3): all or nothing, safe to re-run.

Reading the file (header detection past a preamble, columns, signs, amounts and dates) is
:mod:`core.ledger.bank_files`. Each row becomes a balanced entry between the account and the
account its rule names. Rows are fingerprinted (entity, account, date, amount, description, and
the occurrence of that same row in the file), so a re-import skips what is already in the
ledger while two identical rows of one file both count. Every real import is recorded as an
import run (:mod:`core.books.import_runs` lists and undoes them).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from core.ledger.bank_files import (
    ColumnMapping,
    ImportRow,
    SkippedLine,
    Source,
    parse_amount,
    parse_date,
    parse_statement,
)
from core.ledger.models import ImportRun, ImportRunEntry, JournalEntry
from core.ledger.recategorize import saved_rules
from core.ledger.rules import Rule, load_rules, match_rule
from core.ledger.store import LedgerStore, NewEntry, account_root

__all__ = ["ImportRow", "parse_amount", "parse_date"]  # their home is bank_files

UNCATEGORIZED_OUT = "Expenses:Uncategorized"
UNCATEGORIZED_IN = "Income:Uncategorized"


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    entity_id: str
    account: str
    rows: int
    posted: int
    skipped_duplicates: int
    uncategorized: int
    dry_run: bool
    totals: dict[str, int] = field(default_factory=dict)
    skipped: list[SkippedLine] = field(default_factory=list)
    mapping: ColumnMapping | None = None
    run_id: int | None = None
    anomalies: str = ""  # the anomaly digest after a real import ("2 anomalies: ...")

    def summary(self) -> str:
        """A short human summary with per-account totals and the lines left out."""
        verb = "Dry run: would import" if self.dry_run else "Imported"
        head = (
            f"{verb} {self.rows} rows into {self.entity_id} ({self.account}): "
            f"{self.posted} new entries, {self.skipped_duplicates} already imported, "
            f"{self.uncategorized} uncategorized"
        )
        lines = [head]
        for account, cents in sorted(self.totals.items()):
            lines.append(f"  {account:<36}{cents / 100:>14,.2f}")
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} lines that are not transactions:")
            lines.extend(f"  row {s.number}: {s.reason}: {s.text}" for s in self.skipped)
        if self.run_id is not None:
            lines.append(f"Recorded as import run {self.run_id} (it can be undone).")
        if self.anomalies:
            lines.append(f"Anomalies: {self.anomalies}")
        if self.dry_run:
            lines.append("Nothing was written.")
        return "\n".join(lines)


@dataclass(frozen=True)
class PreviewRow:
    """A row as it would be imported: ``account`` is the rule's, None for Uncategorized."""

    number: int
    day: date
    description: str
    cents: int
    account: str | None
    duplicate: bool  # already in the ledger: a re-import skips it


@dataclass(frozen=True)
class StatementPreview:
    """A parsed statement, nothing written: its rows, the columns used, the lines left out."""

    entity_id: str
    account: str
    rows: list[PreviewRow]
    mapping: ColumnMapping
    columns: list[str]
    header_row: int
    skipped: list[SkippedLine]


def parse_rows(path: str, mapping: ColumnMapping | None = None) -> list[ImportRow]:
    """Every transaction of the file, or Invalid listing every bad row by row number."""
    return parse_statement(path, mapping).rows


def fingerprint(entity_id: str, account: str, row: ImportRow, occurrence: int) -> str:
    """Stable id of a statement row: same row, same file position among equals -> same print."""
    key = "|".join(
        [
            entity_id,
            account,
            row.day.isoformat(),
            str(row.cents),
            row.description.lower(),
            str(occurrence),
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()


def _entries(
    rows: list[ImportRow], entity_id: str, account: str, rules: list[Rule]
) -> tuple[list[NewEntry], int]:
    seen: Counter[tuple[date, int, str]] = Counter()
    entries: list[NewEntry] = []
    uncategorized = 0
    for row in rows:
        key = (row.day, row.cents, row.description.lower())
        seen[key] += 1
        rule = match_rule(rules, row.description)
        if rule is None:
            uncategorized += 1
            target, behaviors = (UNCATEGORIZED_IN if row.cents > 0 else UNCATEGORIZED_OUT), {}
        else:
            target = rule.account
            behaviors = {rule.account: rule.cost_behavior} if rule.cost_behavior else {}
        entries.append(
            NewEntry(
                entity_id=entity_id,
                date=row.day,
                description=row.description,
                lines=[(account, row.cents), (target, -row.cents)],
                source="csv",
                fingerprint=fingerprint(entity_id, account, row, seen[key]),
                cost_behaviors=behaviors,
            )
        )
    return entries, uncategorized


def _existing(store: LedgerStore, prints: list[str]) -> set[str]:
    found: set[str] = set()
    with store.engine.connect() as conn:
        for start in range(0, len(prints), 500):
            chunk = prints[start : start + 500]
            found.update(
                conn.scalars(
                    select(JournalEntry.fingerprint).where(JournalEntry.fingerprint.in_(chunk))
                )
            )
    return found


def _rules(store: LedgerStore, entity_id: str, account: str, rules_path: str | None) -> list[Rule]:
    store.get_entity(entity_id)  # NotFound: entities are never created on the fly
    account_root(account)
    rules = load_rules(rules_path) if rules_path else []
    return rules + saved_rules(store, entity_id)  # rules saved from the categorization queue


def preview_csv(
    store: LedgerStore,
    *,
    source: Source,
    entity_id: str,
    account: str,
    mapping: ColumnMapping | None = None,
    rules_path: str | None = None,
) -> StatementPreview:
    """Parse a statement (content or path) and say where each row would go; writes nothing."""
    rules = _rules(store, entity_id, account, rules_path)
    parsed = parse_statement(source, mapping)
    entries, _ = _entries(parsed.rows, entity_id, account, rules)
    already = _existing(store, [e.fingerprint for e in entries if e.fingerprint])
    rows = [
        PreviewRow(
            number=row.number,
            day=row.day,
            description=row.description,
            cents=row.cents,
            account=rule.account if (rule := match_rule(rules, row.description)) else None,
            duplicate=entry.fingerprint in already,
        )
        for row, entry in zip(parsed.rows, entries, strict=True)
    ]
    return StatementPreview(
        entity_id=entity_id,
        account=account,
        rows=rows,
        mapping=parsed.mapping,
        columns=parsed.columns,
        header_row=parsed.header_row,
        skipped=parsed.skipped,
    )


def import_csv(
    store: LedgerStore,
    *,
    path: str | None = None,
    content: bytes | None = None,
    entity_id: str,
    account: str,
    rules_path: str | None = None,
    dry_run: bool = False,
    mapping: ColumnMapping | None = None,
    file_name: str = "",
    created_by: str = "",
) -> ImportResult:
    """Import a statement (``path`` or uploaded ``content``) into ``account`` of ``entity_id``;
    all rows or none. A real import is recorded as an import run, which can be undone."""
    source: Source | None = content if content is not None else path
    if source is None:
        raise TypeError("import_csv needs a path or the file's content")
    rules = _rules(store, entity_id, account, rules_path)
    parsed = parse_statement(source, mapping)
    rows = parsed.rows
    entries, uncategorized = _entries(rows, entity_id, account, rules)
    already = _existing(store, [e.fingerprint for e in entries if e.fingerprint])
    fresh = [e for e in entries if e.fingerprint not in already]
    totals: dict[str, int] = defaultdict(int)
    for e in fresh:
        for path_, cents in e.lines:
            totals[path_] += cents
    posted, run_id = len(fresh), None
    if not dry_run:
        run = _RunRecorder(
            ImportRun(
                entity_id=entity_id,
                account=account,
                file_name=file_name or (Path(path).name if path and content is None else ""),
                rows=len(rows),
                skipped_lines=len(parsed.skipped),
                created_by=created_by,
                created_at=datetime.now(UTC),
            ),
            [e.fingerprint for e in fresh if e.fingerprint],
        )
        posted = store.post(fresh, also=run).posted
        run_id = run.run_id
    return ImportResult(
        entity_id=entity_id,
        account=account,
        rows=len(rows),
        posted=posted,
        skipped_duplicates=len(entries) - posted,
        uncategorized=uncategorized,
        dry_run=dry_run,
        totals=dict(totals),
        skipped=parsed.skipped,
        mapping=parsed.mapping,
        run_id=run_id,
    )


class _RunRecorder:
    """Writes the import run and links its new entries, inside the posting's transaction."""

    def __init__(self, run: ImportRun, prints: list[str]) -> None:
        self.run, self.prints, self.run_id = run, prints, None

    def __call__(self, conn: Any) -> None:
        linked = select(ImportRunEntry.entry_id)
        ids: list[int] = []
        for start in range(0, len(self.prints), 500):
            chunk = self.prints[start : start + 500]
            ids += conn.scalars(
                select(JournalEntry.id).where(
                    JournalEntry.fingerprint.in_(chunk), JournalEntry.id.not_in(linked)
                )
            )
        values = self.run.model_dump(exclude={"id"})
        values["imported"] = len(ids)
        values["duplicates"] = self.run.rows - len(ids)
        run_id = conn.execute(insert(ImportRun).returning(ImportRun.id), values).scalar_one()
        if ids:
            conn.execute(
                insert(ImportRunEntry),
                [{"entry_id": i, "run_id": run_id, "entity_id": self.run.entity_id} for i in ids],
            )
        self.run_id = int(run_id)
