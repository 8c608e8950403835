"""Plain-text rendering of a Report (terminal and the text part of emails)."""

from __future__ import annotations

from core.periods import month_label, parse_period
from core.reports.formatting import describe_change, format_cell, format_value, kpi_value_text
from core.reports.model import KPI, Chart, Finding, KpiGroup, Pace, Report, Table

_MARK = {"good": "[on target]", "watch": "[watch]", "bad": "[off target]", "none": ""}


def month_pace(report: Report) -> Pace | None:
    """How far the report's month has come while it is under way (None once it is over)."""
    return next((k.pace for k in report.kpis if k.pace is not None), None)


def to_date_label(pace: Pace) -> str:
    """``to date (day 25 of 30)``."""
    return f"to date (day {pace.day} of {pace.days})"


def change_against(k: KPI) -> str:
    """What the KPI's change is measured against: the same day last month while it runs."""
    return "vs the same day last month" if k.pace is not None else "vs last month"


def target_phrase(k: KPI) -> str:
    """``target $3,000``; while the month runs, ``target to date $2,500 (month $3,000)``."""
    if k.pace is not None and k.pace.target is not None:
        whole = f" (month {format_value(k.target, k.unit)})" if k.target is not None else ""
        return f"target to date {format_value(k.pace.target, k.unit)}{whole}"
    return f"target {format_value(k.target, k.unit)}" if k.target is not None else ""


def render_text(report: Report) -> str:
    """The report as aligned plain text."""
    pace = month_pace(report)
    month = month_label(parse_period(report.period))
    period = f"{month} {to_date_label(pace)}" if pace else month
    out = [
        f"{report.title}: {report.entity_name}, {period}",
        f"As of {report.as_of} ({report.timezone}); data through {report.data_through or 'n/a'}",
        "",
    ]
    for section in report.sections:
        out += [section.title, "-" * len(section.title)]
        for item in section.items:
            if isinstance(item, KpiGroup):
                for kid in item.ids:
                    k = report.kpi(kid)
                    change = describe_change(k.delta_mom, k.unit, value=k.value)
                    parts = [f"  {k.label:<22}{kpi_value_text(k.id, k.value, k.unit):>16}"]
                    parts += [change.phrase(change_against(k)) if change else "", target_phrase(k)]
                    parts.append(_MARK[k.status])
                    out.append("  ".join(p for p in parts if p))
            elif isinstance(item, Finding):
                out.append(f"  * {item.text}")
            elif isinstance(item, Table):
                out += _table(item)
            elif isinstance(item, Chart):
                out.append(f"  (chart: {item.title})")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _table(table: Table) -> list[str]:
    cells = [[c.label for c in table.columns]]
    for row in table.rows:
        cells.append([format_cell(row.get(c.key), c.unit) for c in table.columns])
    widths = [max(len(r[i]) for r in cells) for i in range(len(table.columns))]
    lines = [f"  {table.title}"]
    for r in cells:
        lines.append(
            "    "
            + "  ".join(
                v.ljust(w) if i == 0 else v.rjust(w)
                for i, (v, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return lines
