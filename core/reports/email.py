"""A Report as an email: HTML (inline CSS, charts as CID images) and a plain-text part.

Every template is rendered with autoescaping on, whatever its file name.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from core.config import get_settings
from core.periods import month_label, parse_period
from core.reports.charts_png import chart_png
from core.reports.formatting import describe_change, format_cell, kpi_value_text
from core.reports.links import dashboard_link, has_page
from core.reports.model import Chart, Finding, KpiGroup, Report, Table
from core.reports.text import (
    change_against,
    month_pace,
    render_text,
    target_phrase,
    to_date_label,
)

TEMPLATES = Path(__file__).with_name("templates")
STATUS = {
    "good": ("On target", "#2E7D32"),
    "watch": ("Near target", "#B26A00"),
    "bad": ("Off target", "#C62828"),
    "none": ("No target", "#7A8699"),
}
TONE_COLORS = {"good": "#2E7D32", "bad": "#C62828", "neutral": "#7A8699"}
LINK_TEXT = "Open in the dashboard"
FINDING_COLORS = {
    "info": ("#EAF2FB", "#1F4E79"),
    "watch": ("#FFF6DB", "#7A5B00"),
    "bad": ("#FDECEC", "#8E1B1B"),
}


def _environment() -> Environment:
    # autoescape=True (not select_autoescape): every template escapes, whatever its name
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined
    )


_ENV = _environment()


@dataclass(frozen=True)
class RenderedEmail:
    """Subject, HTML, text, and the PNGs the HTML references as ``cid:<name>``."""

    subject: str
    html: str
    text: str
    images: dict[str, bytes] = field(default_factory=dict)

    def preview_html(self) -> str:
        """The HTML with images inlined as data URIs, for an in-app preview."""
        html = self.html
        for cid, png in self.images.items():
            data = base64.b64encode(png).decode()
            html = html.replace(f"cid:{cid}", f"data:image/png;base64,{data}")
        return html


def subject_for(report: Report) -> str:
    """``CFO report: All entities (consolidated), Oct 2026``."""
    return f"{report.title}: {report.entity_name}, {month_label(parse_period(report.period))}"


def _period_label(report: Report) -> str:
    """``Nov 2026``, or ``Nov 2026 to date (day 25 of 30)`` while the month runs."""
    label = month_label(parse_period(report.period))
    pace = month_pace(report)
    return f"{label} {to_date_label(pace)}" if pace else label


def _kpi_cell(report: Report, kid: str) -> dict[str, str]:
    k = report.kpi(kid)
    status, color = STATUS[k.status]
    change = describe_change(k.delta_mom, k.unit, value=k.value)
    return {
        "label": k.label,
        "value": kpi_value_text(k.id, k.value, k.unit),
        "delta": change.phrase(change_against(k)) if change else "",
        # a change that rounds to nothing is neither good nor bad news
        "delta_color": TONE_COLORS[change.tone(k.direction)] if change else "",
        "status": status,
        "color": color,
        "target": target_phrase(k),
    }


@dataclass(frozen=True)
class Layout:
    """The report as the email lays it out: sections of KPI tiles, findings, charts (PNG, by
    content id) and formatted tables; the PDF draws the same."""

    sections: list[dict[str, object]]
    images: dict[str, bytes]
    period_label: str
    filters: list[tuple[str, str]]
    as_of: str


def filters_of(report: Report) -> list[tuple[str, str]]:
    """The filters a reader needs to know what they hold: entity, period, comparison."""
    pace = month_pace(report)
    compared = "the same day last month" if pace else "last month"
    return [
        ("Entity", report.entity_name),
        ("Period", _period_label(report)),
        ("Compared with", compared),
    ]


def layout(report: Report, *, charts: bool = True) -> Layout:
    """The report's sections as the email shows them (``charts=False`` leaves images out)."""
    images: dict[str, bytes] = {}
    sections: list[dict[str, object]] = []
    for section in report.sections:
        items: list[dict[str, object]] = []
        for item in section.items:
            if isinstance(item, KpiGroup):
                items.append({"type": "kpis", "kpis": [_kpi_cell(report, k) for k in item.ids]})
            elif isinstance(item, Finding):
                bg, fg = FINDING_COLORS[item.severity]
                items.append({"type": "finding", "text": item.text, "bg": bg, "fg": fg})
            elif isinstance(item, Chart):
                if charts:
                    cid = f"chart-{item.id}"
                    images[cid] = chart_png(item)
                    items.append({"type": "chart", "cid": cid, "title": item.title})
            elif isinstance(item, Table):
                items.append(
                    {
                        "type": "table",
                        "title": item.title,
                        "columns": [c.label for c in item.columns],
                        "rows": [
                            [format_cell(row.get(c.key), c.unit) for c in item.columns]
                            for row in item.rows
                        ],
                    }
                )
        sections.append({"title": section.title, "items": items})
    as_of = datetime.fromisoformat(report.as_of).strftime("%a %-d %b %Y, %H:%M")
    return Layout(sections, images, _period_label(report), filters_of(report), as_of)


def render_email(
    report: Report,
    *,
    demo: bool = False,
    charts: bool = True,
    dashboard_url: str | None = None,
) -> RenderedEmail:
    """Render the report; ``charts=False`` leaves images out (fast previews, tests).

    Both parts end with a link to the report's page for the same entity and period
    (``dashboard_url`` defaults to the DASHBOARD_URL setting); a report without a page has none."""
    link = (
        dashboard_link(report, dashboard_url or get_settings().dashboard_url)
        if has_page(report.report)
        else None
    )
    laid = layout(report, charts=charts)
    html = _ENV.get_template("report.html.j2").render(
        r=report,
        sections=laid.sections,
        period_label=laid.period_label,
        filters=laid.filters,
        as_of=laid.as_of,
        demo=demo,
        link=link,
        link_text=LINK_TEXT,
    )
    filters = " · ".join(f"{name}: {value}" for name, value in laid.filters)
    title, rest = render_text(report).split("\n", 1)
    text = f"{title}\n{filters}\n{rest}" + (f"\n{LINK_TEXT}: {link}\n" if link else "")
    return RenderedEmail(subject_for(report), html, text, laid.images)
