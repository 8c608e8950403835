"""The report as a PDF (text, pages, page numbers) and as a spreadsheet (real numbers)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.auth.dashboard_users import OPERATOR
from core.demo import seed_demo
from core.ledger.store import LedgerStore
from core.reports.formatting import kpi_value_text
from core.reports.model import Report, Table
from core.reports.pdf import render_pdf
from core.reports.registry import build_report
from core.reports.request import ReportRequest
from core.reports.xlsx import number_format, render_xlsx

TZ = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> LedgerStore:
    store = LedgerStore(f"sqlite:///{tmp_path_factory.mktemp('pdf')}/ledger.db")
    store.create_all()
    seed_demo(store, months=14, today=date(2026, 11, 24))
    return store


def _report(store: LedgerStore, name: str, entity: str = "all") -> Report:
    request = ReportRequest(reader=OPERATOR, report=name, entity=entity, period=202610)
    return build_report(store, request, tz=TZ, ops=None)


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("name", ["cfo", "client-billing", "rental"])
def test_pdf_holds_the_title_filters_and_every_kpi_value(seeded: LedgerStore, name: str) -> None:
    report = _report(seeded, name)
    reader, text = _text(render_pdf(report, demo=True))
    flat = " ".join(text.split())
    assert report.title.upper() in flat
    assert "Entity: All entities (consolidated)" in flat and "Period: Oct 2026" in flat
    shown = {k for s in report.sections for i in s.items for k in getattr(i, "ids", [])}
    assert shown, "the report shows KPI tiles"
    for kid in shown:
        k = report.kpi(kid)
        assert kpi_value_text(k.id, k.value, k.unit) in flat, (kid, k.value)
    assert f"Page 1 of {len(reader.pages)}" in flat
    assert "Demo data" in flat


def test_pdf_page_sizes(seeded: LedgerStore) -> None:
    report = _report(seeded, "cfo")
    letter = PdfReader(io.BytesIO(render_pdf(report, page_size="Letter"))).pages[0].mediabox
    a4 = PdfReader(io.BytesIO(render_pdf(report, page_size="A4"))).pages[0].mediabox
    assert (round(letter.width), round(letter.height)) == (612, 792)
    assert (round(a4.width), round(a4.height)) == (595, 842)


def test_pdf_text_is_data_not_markup(seeded: LedgerStore) -> None:
    report = _report(seeded, "cfo")
    hostile = Report(**{**report.__dict__, "entity_name": "<b>Acme & Sons</b> <font>"})
    _, text = _text(render_pdf(hostile))
    assert "<b>Acme & Sons</b> <font>" in text


def test_same_report_same_pdf_bytes(seeded: LedgerStore) -> None:
    report = _report(seeded, "rental")
    assert render_pdf(report) == render_pdf(report)


def test_xlsx_round_trips_kpis_and_every_table(seeded: LedgerStore, tmp_path: Path) -> None:
    report = _report(seeded, "cfo")
    path = tmp_path / "cfo.xlsx"
    path.write_bytes(render_xlsx(report))
    wb = load_workbook(path)
    summary = wb["Summary"]
    rows = {r[0]: r for r in summary.iter_rows(values_only=True) if r and r[0]}
    for kid in ("revenue", "expenses", "net_income", "cash"):
        k = report.kpi(kid)
        assert rows[k.label][1] == pytest.approx(k.value), kid
    tables = [i for s in report.sections for i in s.items if isinstance(i, Table)]
    assert len(wb.sheetnames) == 1 + len(tables)
    for sheet, table in zip(wb.sheetnames[1:], tables, strict=True):
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == [c.label for c in table.columns]
        for got, row in zip(ws.iter_rows(min_row=2, values_only=True), table.rows, strict=True):
            for value, column in zip(got, table.columns, strict=True):
                want = row.get(column.key)
                if isinstance(want, int | float) and not isinstance(want, bool):
                    assert value == pytest.approx(want), (table.id, column.key)
                    continue
                assert (value or "") == ("" if want is None else str(want))  # "" reads back empty


def test_money_cells_carry_a_number_format(seeded: LedgerStore, tmp_path: Path) -> None:
    report = _report(seeded, "cfo")
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    revenue = next(r for r in wb["Summary"].iter_rows() if r[0].value == "Revenue")
    assert isinstance(revenue[1].value, float) and revenue[1].number_format == number_format("USD")
    assert number_format("percent") == '0.0"%"' and number_format("USD/nm").endswith("0.00")
