"""A report as a PDF: the email's layout (title, filters, KPI tiles in their status colours,
findings, charts, tables) on Letter or A4 pages with page numbers, drawn with ReportLab.

Pure Python: no browser and no system libraries, so the scheduled reports function can attach
it. Fonts are DejaVu Sans from matplotlib's own data (already a dependency for the email
charts), which covers the dashes, arrows and symbols report text uses.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from core.reports.email import Layout, layout
from core.reports.model import Report

PAGE_SIZES = ("Letter", "A4")
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
INK, MUTED, RULE, PAPER = "#1B2430", "#7A8699", "#D5DAE1", "#FFFFFF"
TILES_PER_ROW = 4
MARGIN_PT = 42  # ~15 mm: fits Letter and A4 printers' unprintable edges


@lru_cache(maxsize=1)
def _fonts() -> None:
    """Register DejaVu Sans (regular and bold) once per process."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD)


def _styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12, textColor=HexColor(INK))
    return {
        "base": base,
        "kicker": ParagraphStyle("kicker", base, fontSize=8, textColor=HexColor(MUTED)),
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=17, leading=22),
        "muted": ParagraphStyle("muted", base, fontSize=8, textColor=HexColor(MUTED)),
        "section": ParagraphStyle(
            "section", base, fontName=BOLD, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4
        ),
        "label": ParagraphStyle("label", base, fontSize=7.5, leading=9.5),
        "value": ParagraphStyle("value", base, fontName=BOLD, fontSize=13, leading=16),
        "small": ParagraphStyle("small", base, fontSize=7, leading=9),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9.5),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=7.5, leading=9.5, alignment=2),
        "table_title": ParagraphStyle("table_title", base, fontName=BOLD, fontSize=9.5),
    }


def _p(text: object, style: Any, color: str | None = None) -> Any:
    """A paragraph of plain text (escaped: report text is data, not markup)."""
    from reportlab.platypus import Paragraph

    body = escape(str(text))
    return Paragraph(f'<font color="{color}">{body}</font>' if color else body, style)


def _tiles(kpis: list[dict[str, str]], width: float, s: dict[str, Any]) -> Any:
    """KPI tiles four to a row, each with a left bar in its status colour."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    cells = []
    for k in kpis:
        parts = [_p(k["label"], s["label"]), _p(k["value"], s["value"])]
        if k["delta"]:
            parts.append(_p(k["delta"], s["small"], k["delta_color"] or None))
        status = k["status"] + (f" · {k['target']}" if k["target"] else "")
        parts.append(_p(status, s["small"], k["color"]))
        cells.append((parts, k["color"]))
    rows = [cells[i : i + TILES_PER_ROW] for i in range(0, len(cells), TILES_PER_ROW)]
    gap = 6.0
    col = (width - gap * (TILES_PER_ROW - 1)) / TILES_PER_ROW
    data, style = [], [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for r, row in enumerate(rows):
        line: list[object] = []
        for c in range(TILES_PER_ROW):
            if c:
                line.append("")  # the gutter
            if c < len(row):
                parts, color = row[c]
                line.append(parts)
                x = 2 * c
                style += [
                    ("BOX", (x, r), (x, r), 0.5, HexColor(RULE)),
                    ("LINEBEFORE", (x, r), (x, r), 3, HexColor(color)),
                ]
            else:
                line.append("")
        data.append(line)
    widths = [w for c in range(TILES_PER_ROW) for w in ((gap, col) if c else (col,))]
    table = Table(data, colWidths=widths, hAlign="LEFT", spaceAfter=4)
    table.setStyle(TableStyle(style))
    return table


def _finding(item: dict[str, Any], width: float, s: dict[str, Any]) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    table = Table([[_p(item["text"], s["base"], item["fg"])]], colWidths=[width], spaceAfter=4)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), HexColor(item["bg"]))]))
    return table


def _chart(png: bytes, width: float) -> Any:
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    w, h = ImageReader(io.BytesIO(png)).getSize()
    return Image(io.BytesIO(png), width=width, height=width * h / w)


def _table(item: dict[str, Any], width: float, s: dict[str, Any]) -> list[Any]:
    """A titled table whose header repeats on every page it runs onto."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    columns = item["columns"]
    head = [_p(c, s["cell"] if i == 0 else s["cell_right"], MUTED) for i, c in enumerate(columns)]
    body = [
        [_p(v, s["cell"] if i == 0 else s["cell_right"]) for i, v in enumerate(row)]
        for row in item["rows"]
    ]
    first = min(width * 0.34, width / max(len(columns), 1) * 1.6)
    rest = (width - first) / max(len(columns) - 1, 1)
    widths = [first] + [rest] * (len(columns) - 1) if len(columns) > 1 else [width]
    table = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT", spaceAfter=6)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, HexColor(RULE)),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, HexColor("#EEF1F5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [_p(item["title"], s["table_title"]), table]


def _story(report: Report, laid: Layout, width: float, demo: bool) -> list[Any]:
    from reportlab.platypus import Spacer

    s = _styles()
    filters = " · ".join(f"{name}: {value}" for name, value in laid.filters)
    story: list[Any] = [
        _p(report.title.upper(), s["kicker"]),
        _p(f"{report.entity_name} · {laid.period_label}", s["title"]),
        _p(filters, s["base"]),
        _p(
            f"As of {laid.as_of} ({report.timezone}) · data through "
            f"{report.data_through or 'n/a'} · amounts in {report.currency}",
            s["muted"],
        ),
    ]
    if demo:
        story.append(
            _p("Demo data: these figures come from the generated demo portfolio.", s["muted"])
        )
    story.append(Spacer(1, 6))
    for section in laid.sections:
        story.append(_p(section["title"], s["section"]))
        for item in section["items"]:  # type: ignore[attr-defined]
            kind = item["type"]
            if kind == "kpis":
                story.append(_tiles(item["kpis"], width, s))
            elif kind == "finding":
                story.append(_finding(item, width, s))
            elif kind == "chart":
                story.append(_chart(laid.images[item["cid"]], width))
            elif kind == "table":
                story += _table(item, width, s)
    return story


def _numbered_canvas(footer: str) -> Any:
    """A canvas class that writes "footer · Page N of M" once the page count is known."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(FONT, 7)
                self.setFillColor(HexColor(MUTED))
                width = self._pagesize[0]
                self.drawString(MARGIN_PT, MARGIN_PT / 2, footer)
                self.drawRightString(width - MARGIN_PT, MARGIN_PT / 2, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(report: Report, *, demo: bool = False, page_size: str = "Letter") -> bytes:
    """The report as PDF bytes on ``page_size`` pages (Letter or A4)."""
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.platypus import SimpleDocTemplate

    _fonts()
    size = {"Letter": LETTER, "A4": A4}[page_size]
    laid = layout(report)
    out = io.BytesIO()
    title = f"{report.title}: {report.entity_name}, {laid.period_label}"
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=MARGIN_PT,
        rightMargin=MARGIN_PT,
        topMargin=MARGIN_PT,
        bottomMargin=MARGIN_PT,
        title=title,
        author="Portfolio dashboard",
        invariant=1,  # the same report makes the same bytes (no creation time inside)
    )
    doc.build(_story(report, laid, doc.width, demo), canvasmaker=_numbered_canvas(title))
    return out.getvalue()
