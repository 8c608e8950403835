"""The one CSV writer for every download and attachment: no cell can run as a formula.

Descriptions come from bank CSVs and Stripe, so a cell like ``=HYPERLINK(...)`` or
``+cmd|' /C calc'!A0`` would run when the file is opened in a spreadsheet. OWASP's rule is
applied to every text cell (headers included): one starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return gets a leading single quote, so spreadsheets show it as text. Their
full-width forms count too (some spreadsheet locales read ``＝`` as ``=``). Text cells are always
quoted, so a ``;`` or ``,`` inside one cannot start a new cell in a locale using it as the
separator. Numbers stay numbers: written bare, a negative amount is ``-12.5``, never text.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from core.reports.model import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
MIME = "text/csv"


def safe_text(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: object) -> str | int | float:
    """A cell as the writer emits it: a plain int or float for numbers, else safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):  # an int to Python, but a yes/no to a reader
        return "TRUE" if value else "FALSE"
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, Decimal | numbers.Real):  # numpy floats included
        number = float(value)
        return "" if math.isnan(number) else number
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return safe_text(str(value))


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """CSV text of a header row and data rows, every cell made safe."""
    out = io.StringIO()
    # QUOTE_NONNUMERIC: text always quoted, numbers (plain int/float after safe_cell) bare
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return out.getvalue()


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV (with a byte order mark, so spreadsheets read accents and symbols right)."""
    return ("\ufeff" + csv_text(header, rows)).encode("utf-8")


def table_csv(table: Table) -> bytes:
    """A report table's raw values (not the formatted ones) as a CSV download."""
    return csv_bytes(
        [c.label for c in table.columns],
        ([row.get(c.key) for c in table.columns] for row in table.rows),
    )
