"""Reading bank and card CSV exports as banks really write them.

A statement may start with a preamble (Bank of America's begins with a summary block,
``Description,,Summary Amt.``, then a blank line, then the real header): the header row is the
first row that has every needed column, and every row above it is skipped and reported. Rows
after the header that are not transactions (``Beginning balance as of ...`` with no amount) are
skipped and reported too; trailing empty cells (Chase adds one to every row) are ignored.

Columns are found by header name, case-insensitive (a header whose last word is the name, like
``Posting Date``, also counts): ``date``; ``description``, ``memo`` or ``payee`` (first
present); ``amount``, or ``debit`` + ``credit``. A :class:`ColumnMapping` names them explicitly
when detection fails. Signs: a positive amount is money IN to the account; with two columns,
``debit`` is money out and ``credit`` money in.

Row numbers are the file's record numbers, as a spreadsheet shows them (the first line is 1,
blank lines count).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from core.errors import Invalid
from core.ledger.amounts import amount_problem

DESCRIPTION_COLUMNS = ("description", "memo", "payee")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d")
_AMOUNT = re.compile(r"^\(?-?\$?-?[\d,]*\.?\d+\)?$")
_BALANCE_LINE = re.compile(r"^(beginning|ending|opening|closing)\s+balance\b", re.IGNORECASE)
PREAMBLE = "above the header row (a summary or preamble, not a transaction)"
BALANCE = "a balance line with no amount, not a transaction"
SNIFF_ROWS = 15

Source = bytes | str | Path  # file content, or a path to the file


@dataclass(frozen=True)
class ImportRow:
    """One parsed CSV row: file row number, date, signed cents in, description."""

    number: int
    day: date
    cents: int
    description: str


@dataclass(frozen=True)
class ColumnMapping:
    """Which header names hold the date, description and money (amount, or debit + credit)."""

    date: str
    description: str
    amount: str | None = None
    debit: str | None = None
    credit: str | None = None

    def problems(self) -> list[str]:
        """Why this mapping cannot be used (empty when it can)."""
        out = [f"name the {n} column" for n in ("date", "description") if not getattr(self, n)]
        if not self.amount and not (self.debit and self.credit):
            out.append("name the amount column, or both the debit and the credit columns")
        if self.amount and (self.debit or self.credit):
            out.append("name either an amount column or debit and credit columns, not both")
        return out


@dataclass(frozen=True)
class SkippedLine:
    """A row of the file that is not a transaction, and why it was left out."""

    number: int
    text: str
    reason: str


@dataclass(frozen=True)
class ParsedStatement:
    """Every transaction of a file, the header it used, and the rows it left out."""

    rows: list[ImportRow]
    mapping: ColumnMapping
    header_row: int
    columns: list[str]
    skipped: list[SkippedLine]


@dataclass(frozen=True)
class _Columns:
    date: int
    description: int
    amount: int | None
    debit: int | None
    credit: int | None


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
    """``YYYY-MM-DD``, ``MM/DD/YYYY``, ``MM/DD/YY`` or ``YYYY/MM/DD``; ValueError otherwise."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is not YYYY-MM-DD, MM/DD/YYYY, MM/DD/YY or YYYY/MM/DD")


def source_name(source: Source) -> str:
    """How messages name a source: its path, or "the file" for uploaded content."""
    return "the file" if isinstance(source, bytes) else f"file {source}"


def read_records(source: Source) -> list[tuple[int, list[str]]]:
    """(row number, cells) of every non-blank CSV record of a file or of its content."""
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            raw = Path(source).read_bytes()
        except FileNotFoundError as exc:
            raise Invalid(f"file {source} does not exist") from exc
        except OSError as exc:
            raise Invalid(f"file {source} cannot be read: {exc}") from exc
    if b"\x00" in raw:
        raise Invalid(f"{source_name(source)} is not a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # banks on Windows still export in Windows-1252 (e.g. an accented payee name)
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise Invalid(f"{source_name(source)} is neither UTF-8 nor Windows-1252 text") from exc
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise Invalid(f"{source_name(source)} is not valid CSV: {exc}") from exc
    return [(n, row) for n, row in enumerate(records, start=1) if any(c.strip() for c in row)]


def sniff(source: Source, limit: int = SNIFF_ROWS) -> list[tuple[int, list[str]]]:
    """The first non-blank rows of a file, to pick a column mapping by hand."""
    return read_records(source)[:limit]


def _as_text(cells: list[str]) -> str:
    """A row as the file wrote it (cells quoted where they need to be); shown, never exported."""
    return ",".join(_quoted(c) if any(ch in c for ch in ',"\r\n') else c for c in cells)


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def _find(names: list[str], name: str) -> int | None:
    # exact name first, then e.g. "Posted Date" / "Transaction Amount"
    if name in names:
        return names.index(name)
    return next((i for i, n in enumerate(names) if n.split()[-1:] == [name]), None)


def _detect(header: list[str]) -> _Columns | list[str]:
    """The columns of a header row, or what it lacks."""
    names = [h.strip().lower() for h in header]
    date_col = _find(names, "date")
    desc_col = next(
        (i for i in (_find(names, n) for n in DESCRIPTION_COLUMNS) if i is not None), None
    )
    amount_col, debit_col, credit_col = (_find(names, n) for n in ("amount", "debit", "credit"))
    missing = []
    if date_col is None:
        missing.append("date")
    if desc_col is None:
        missing.append("description (or memo, or payee)")
    if amount_col is None and (debit_col is None or credit_col is None):
        missing.append("amount (or debit and credit)")
    if missing or date_col is None or desc_col is None:
        return missing
    if amount_col is not None:
        debit_col = credit_col = None
    return _Columns(date_col, desc_col, amount_col, debit_col, credit_col)


def _mapped(header: list[str], mapping: ColumnMapping) -> _Columns | list[str]:
    """The columns a mapping names in a header row, or which of them it lacks."""
    names = [h.strip().lower() for h in header]

    def at(name: str | None) -> int | None:
        key = (name or "").strip().lower()
        return names.index(key) if key and key in names else None

    wanted = {
        "date": mapping.date,
        "description": mapping.description,
        "amount": mapping.amount,
        "debit": mapping.debit,
        "credit": mapping.credit,
    }
    found = {role: at(name) for role, name in wanted.items()}
    missing = [f"{name!r}" for role, name in wanted.items() if name and found[role] is None]
    if missing or found["date"] is None or found["description"] is None:
        return missing
    return _Columns(
        found["date"], found["description"], found["amount"], found["debit"], found["credit"]
    )


def _as_mapping(header: list[str], cols: _Columns) -> ColumnMapping:
    def name(i: int | None) -> str | None:
        return None if i is None else header[i].strip()

    return ColumnMapping(
        date=header[cols.date].strip(),
        description=header[cols.description].strip(),
        amount=name(cols.amount),
        debit=name(cols.debit),
        credit=name(cols.credit),
    )


def _header(
    records: list[tuple[int, list[str]]], mapping: ColumnMapping | None
) -> tuple[int, _Columns]:
    """Index (in ``records``) and columns of the header row: the first row that has them all."""
    for index, (_n, row) in enumerate(records):
        cols = _detect(row) if mapping is None else _mapped(row, mapping)
        if isinstance(cols, _Columns):
            return index, cols
    if mapping is not None:
        raise Invalid(
            "no row of the file has the columns of the mapping "
            f"({', '.join(n for n in vars(mapping).values() if n)})"
        )
    first = records[0][1]
    lacks = _detect(first)
    assert isinstance(lacks, list)
    raise Invalid(f"the header row lacks a column: {', '.join(lacks)}; found {first}")


def _row_cents(row: list[str], cols: _Columns) -> int:
    if cols.amount is not None:
        cents = parse_amount(row[cols.amount])
    else:
        assert cols.debit is not None and cols.credit is not None
        debit, credit = row[cols.debit].strip(), row[cols.credit].strip()
        if debit and credit:
            raise ValueError("both debit and credit are filled")
        if not debit and not credit:
            raise ValueError("neither debit nor credit is filled")
        cents = -abs(parse_amount(debit)) if debit else abs(parse_amount(credit))
    if cents == 0:
        raise ValueError("amount is zero")
    return cents


def _money_cells(row: list[str], cols: _Columns) -> list[str]:
    return [row[i].strip() for i in (cols.amount, cols.debit, cols.credit) if i is not None]


def parse_statement(source: Source, mapping: ColumnMapping | None = None) -> ParsedStatement:
    """Every transaction of a file, or Invalid listing every bad row by row number."""
    if mapping is not None and mapping.problems():
        raise Invalid("the column mapping is incomplete", problems=mapping.problems())
    records = read_records(source)
    if not records:
        raise Invalid(f"{source_name(source)} is empty")
    index, cols = _header(records, mapping)
    header_number, header = records[index]
    skipped = [SkippedLine(n, _as_text(row), PREAMBLE) for n, row in records[:index]]
    body = records[index + 1 :]
    if not body:
        raise Invalid(f"{source_name(source)} has a header row but no transactions")
    parsed: list[ImportRow] = []
    problems: list[str] = []
    for number, cells in body:
        row = cells
        # Chase ends every row with an extra empty cell: cells past the header's that are all
        # empty carry nothing
        if len(row) > len(header) and not any(c.strip() for c in row[len(header) :]):
            row = row[: len(header)]
        if len(row) != len(header):
            problems.append(f"row {number}: has {len(row)} columns, the header has {len(header)}")
            continue
        description = " ".join(row[cols.description].split())
        if not any(_money_cells(row, cols)) and _BALANCE_LINE.match(description):
            skipped.append(SkippedLine(number, _as_text(cells), BALANCE))
            continue
        reasons: list[str] = []
        day: date | None = None
        cents = 0
        try:
            day = parse_date(row[cols.date])
        except ValueError as exc:
            reasons.append(str(exc))
        if not description:
            reasons.append("description is empty")
        try:
            cents = _row_cents(row, cols)
        except ValueError as exc:
            reasons.append(str(exc))
        if reasons:
            problems.append(f"row {number}: {'; '.join(reasons)}")
        elif day is not None:
            parsed.append(ImportRow(number, day, cents, description))
    if problems:
        where = "the file" if isinstance(source, bytes) else str(source)
        raise Invalid(
            f"{len(problems)} bad rows in {where}; nothing was imported", problems=problems
        )
    if not parsed:
        raise Invalid(f"{source_name(source)} has a header row but no transactions")
    return ParsedStatement(
        rows=parsed,
        mapping=_as_mapping(header, cols),
        header_row=header_number,
        columns=[h.strip() for h in header],
        skipped=sorted(skipped, key=lambda s: s.number),
    )
