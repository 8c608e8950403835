"""Bank and card CSV import (CONTRACT section 3): all or nothing, safe to re-run.

Columns are found by header name, case-insensitive (a header whose last word is the name,
like ``Posted Date``, also counts): ``date``; ``description``, ``memo`` or
``payee`` (first present); and ``amount``, or ``debit`` + ``credit``. Bank-statement sign
convention: a positive amount is money IN to the account; with two columns, ``debit`` is money
out and ``credit`` money in. Dates: ``YYYY-MM-DD`` or ``MM/DD/YYYY``. Amounts: ``1234.56``,
``-12.00``, ``$1,234.56``, ``(12.00)``.

Each row becomes a balanced entry between the account and the account its rule names. Rows
are fingerprinted (entity, account, date, amount, description, and the occurrence of that same
row in the file), so a re-import skips what is already in the ledger while two identical rows
of one file both count.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select

from core.errors import Invalid
from core.ledger.amounts import amount_problem
from core.ledger.models import JournalEntry
from core.ledger.recategorize import saved_rules
from core.ledger.rules import Rule, load_rules, match_rule
from core.ledger.store import LedgerStore, NewEntry, account_root

UNCATEGORIZED_OUT = "Expenses:Uncategorized"
UNCATEGORIZED_IN = "Income:Uncategorized"
DESCRIPTION_COLUMNS = ("description", "memo", "payee")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
_AMOUNT = re.compile(r"^\(?-?\$?-?[\d,]*\.?\d+\)?$")


@dataclass(frozen=True)
class ImportRow:
    """One parsed CSV row: spreadsheet row number, date, signed cents in, description."""

    number: int
    day: date
    cents: int
    description: str


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

    def summary(self) -> str:
        """A short human summary with per-account totals."""
        verb = "Dry run: would import" if self.dry_run else "Imported"
        head = (
            f"{verb} {self.rows} rows into {self.entity_id} ({self.account}): "
            f"{self.posted} new entries, {self.skipped_duplicates} already imported, "
            f"{self.uncategorized} uncategorized"
        )
        lines = [head]
        for account, cents in sorted(self.totals.items()):
            lines.append(f"  {account:<36}{cents / 100:>14,.2f}")
        if self.dry_run:
            lines.append("Nothing was written.")
        return "\n".join(lines)


def parse_amount(text: str) -> int:
    """``$1,234.56`` / ``(12.00)`` / ``-3`` -> signed cents; ValueError otherwise."""
    raw = text.strip().replace(" ", "")
    parens = raw.startswith("("), raw.endswith(")")
    if not raw or not _AMOUNT.match(raw) or parens[0] != parens[1] or raw.count("-") > 1:
        raise ValueError(f"amount {text!r} is not a number")
    negative = parens[0] or "-" in raw
    cleaned = raw.strip("()").replace("$", "").replace(",", "").replace("-", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"amount {text!r} is not a number") from exc
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"amount {text!r} has a fraction of a cent")
    signed = -int(cents) if negative else int(cents)
    why = amount_problem(signed)
    if why:
        raise ValueError(f"amount {text!r} {why}")
    return signed


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` or ``MM/DD/YYYY``; ValueError otherwise."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is not YYYY-MM-DD or MM/DD/YYYY")


def _read(path: str) -> list[list[str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise Invalid(f"file {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"file {path} cannot be read as UTF-8 text: {exc}") from exc
    return [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]


def _columns(header: list[str]) -> tuple[int, int, int | None, int | None, int | None]:
    names = [h.strip().lower() for h in header]

    def find(name: str) -> int | None:
        # exact name first, then e.g. "Posted Date" / "Transaction Amount"
        if name in names:
            return names.index(name)
        return next((i for i, n in enumerate(names) if n.split()[-1:] == [name]), None)

    date_col = find("date")
    desc_col = next((find(n) for n in DESCRIPTION_COLUMNS if find(n) is not None), None)
    amount_col, debit_col, credit_col = find("amount"), find("debit"), find("credit")
    missing = []
    if date_col is None:
        missing.append("date")
    if desc_col is None:
        missing.append("description (or memo, or payee)")
    if amount_col is None and (debit_col is None or credit_col is None):
        missing.append("amount (or debit and credit)")
    if missing:
        raise Invalid(f"the header row lacks a column: {', '.join(missing)}; found {header}")
    assert date_col is not None and desc_col is not None
    return date_col, desc_col, amount_col, debit_col, credit_col


def parse_rows(path: str) -> list[ImportRow]:
    """Every row of the file, or Invalid listing every bad row by spreadsheet row number."""
    rows = _read(path)
    if not rows:
        raise Invalid(f"file {path} is empty")
    header, body = rows[0], rows[1:]
    if not body:
        raise Invalid(f"file {path} has a header row but no transactions")
    date_col, desc_col, amount_col, debit_col, credit_col = _columns(header)
    parsed: list[ImportRow] = []
    problems: list[str] = []
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(f"row {number}: has {len(row)} columns, the header has {len(header)}")
            continue
        reasons: list[str] = []
        day: date | None = None
        cents = 0
        try:
            day = parse_date(row[date_col])
        except ValueError as exc:
            reasons.append(str(exc))
        description = " ".join(row[desc_col].split())
        if not description:
            reasons.append("description is empty")
        try:
            cents = _row_cents(row, amount_col, debit_col, credit_col)
        except ValueError as exc:
            reasons.append(str(exc))
        if reasons:
            problems.append(f"row {number}: {'; '.join(reasons)}")
        elif day is not None:
            parsed.append(ImportRow(number, day, cents, description))
    if problems:
        raise Invalid(
            f"{len(problems)} bad rows in {path}; nothing was imported", problems=problems
        )
    return parsed


def _row_cents(
    row: list[str], amount_col: int | None, debit_col: int | None, credit_col: int | None
) -> int:
    if amount_col is not None:
        cents = parse_amount(row[amount_col])
    else:
        assert debit_col is not None and credit_col is not None
        debit, credit = row[debit_col].strip(), row[credit_col].strip()
        if debit and credit:
            raise ValueError("both debit and credit are filled")
        if not debit and not credit:
            raise ValueError("neither debit nor credit is filled")
        cents = -abs(parse_amount(debit)) if debit else abs(parse_amount(credit))
    if cents == 0:
        raise ValueError("amount is zero")
    return cents


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


def import_csv(
    store: LedgerStore,
    *,
    path: str,
    entity_id: str,
    account: str,
    rules_path: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a statement into ``account`` of ``entity_id``; all rows or none."""
    store.get_entity(entity_id)  # NotFound: entities are never created on the fly
    account_root(account)
    rules = load_rules(rules_path) if rules_path else []
    rules += saved_rules(store, entity_id)  # rules saved from the categorization queue
    rows = parse_rows(path)
    entries, uncategorized = _entries(rows, entity_id, account, rules)
    already = _existing(store, [e.fingerprint for e in entries if e.fingerprint])
    fresh = [e for e in entries if e.fingerprint not in already]
    totals: dict[str, int] = defaultdict(int)
    for e in fresh:
        for path_, cents in e.lines:
            totals[path_] += cents
    posted = len(fresh)
    if not dry_run and fresh:
        posted = store.post(fresh).posted
    return ImportResult(
        entity_id=entity_id,
        account=account,
        rows=len(rows),
        posted=posted,
        skipped_duplicates=len(entries) - posted,
        uncategorized=uncategorized,
        dry_run=dry_run,
        totals=dict(totals),
    )
