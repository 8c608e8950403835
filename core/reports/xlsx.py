"""A report as a spreadsheet: a Summary sheet of KPIs, then one sheet per table, with the real
numbers (not formatted text) and number formats from each column's unit (openpyxl)."""

from __future__ import annotations

import io
import numbers
import re
from typing import Any

from core.reports.email import filters_of
from core.reports.model import KpiGroup, Report, Table

SHEET_NAME_MAX = 31  # Excel's limit
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def number_format(unit: str) -> str:
    """The Excel number format for a report unit: whole dollars, cents for rates, percents
    as the report gives them (12.5 is 12.5%), one decimal for months, whole counts."""
    if unit == "USD":
        return '"$"#,##0;-"$"#,##0'
    if unit.startswith("USD"):
        return '"$"#,##0.00;-"$"#,##0.00'
    if unit == "percent":
        return '0.0"%"'
    if unit == "months":
        return "0.0"
    if unit == "count":
        return "#,##0"
    return "General"


def _sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a table title."""
    base = _BAD_SHEET_CHARS.sub(" ", title).strip()[:SHEET_NAME_MAX] or "Table"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _cell_value(value: object) -> object:
    """Numbers stay numbers; anything else is written as text (or left empty)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


def _widths(ws: Any) -> None:
    for column in ws.columns:
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        ws.column_dimensions[column[0].column_letter].width = min(max(longest + 2, 10), 60)


def _summary(wb: Any, report: Report) -> None:
    from openpyxl.styles import Font

    ws = wb.active
    ws.title = "Summary"
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    for name, value in filters_of(report):
        ws.append([name, value])
    ws.append(["As of", report.as_of])
    ws.append(["Data through", report.data_through or ""])
    ws.append([])
    header = ["KPI", "Value", "Target", "Change vs last month", "Status", "Unit"]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    shown = [k for s in report.sections for i in s.items if isinstance(i, KpiGroup) for k in i.ids]
    for kid in dict.fromkeys(shown):
        k = report.kpi(kid)
        ws.append([k.label, k.value, k.target, k.delta_mom, k.status, k.unit])
        fmt = number_format(k.unit)
        for cell in ws[ws.max_row][1:4]:
            cell.number_format = fmt
    _widths(ws)


def _table_sheet(wb: Any, table: Table, taken: set[str]) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(_sheet_title(table.title, taken))
    ws.append([c.label for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    formats = [number_format(c.unit) for c in table.columns]
    for row in table.rows:
        ws.append([_cell_value(row.get(c.key)) for c in table.columns])
        for cell, fmt in zip(ws[ws.max_row], formats, strict=True):
            if isinstance(cell.value, float):
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    _widths(ws)


def render_xlsx(report: Report) -> bytes:
    """The report as .xlsx bytes: Summary, then one sheet per table in report order."""
    from openpyxl import Workbook

    wb = Workbook()
    _summary(wb, report)
    taken = {"summary"}
    for section in report.sections:
        for item in section.items:
            if isinstance(item, Table):
                _table_sheet(wb, item, taken)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
