"""Files sent with a report email: its PDF and its spreadsheet, named after the report."""

from __future__ import annotations

from collections.abc import Iterable

from core.delivery.message import Attachment
from core.errors import Invalid
from core.reports.model import Report

KINDS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def parse_attach(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """``pdf,xlsx`` (or a list of such) as a tuple of known kinds in a fixed order; Invalid
    naming every unknown one."""
    raw = [values] if isinstance(values, str) else list(values or [])
    asked = {part.strip().lower() for text in raw for part in text.split(",") if part.strip()}
    unknown = sorted(asked - KINDS.keys())
    if unknown:
        raise Invalid(
            "unknown attachment",
            problems=[f"{u!r} is not one of: {', '.join(KINDS)}" for u in unknown],
        )
    return tuple(k for k in KINDS if k in asked)


def file_stem(report: Report) -> str:
    """``cfo-all-2026-10``: what the files are called."""
    return f"{report.report}-{report.entity}-{report.period}"


def report_attachments(
    report: Report, kinds: tuple[str, ...], *, demo: bool = False, page_size: str = "Letter"
) -> tuple[Attachment, ...]:
    """The asked-for files of a built report."""
    files = []
    for kind in kinds:
        if kind == "pdf":
            from core.reports.pdf import render_pdf

            data = render_pdf(report, demo=demo, page_size=page_size)
        else:
            from core.reports.xlsx import render_xlsx

            data = render_xlsx(report)
        files.append(Attachment(f"{file_stem(report)}.{kind}", KINDS[kind], data))
    return tuple(files)
