"""Report tables: every cell through the one formatter (as tiles show it), never "None"."""

from __future__ import annotations

import re
from pathlib import Path

from core.reports.formatting import format_cell
from core.reports.model import Column, Table
from dashboard.tables import frame, shown
from tests.dashboard.conftest import sign_in

TABLE = Table(
    "t",
    "Entities",
    [
        Column("name", "Entity"),
        Column("revenue", "Revenue", "USD"),
        Column("margin", "Margin", "percent"),
        Column("runway", "Runway", "months"),
        Column("jobs", "Jobs", "count"),
        Column("rate", "Per mile", "USD/nm"),
    ],
    [
        {"name": "QueenofSanDiego", "revenue": 103_559.0, "margin": 42.06, "runway": 9.25},
        {"name": None, "revenue": -12.4, "margin": None, "jobs": 3, "rate": 1.234},
    ],
)


def test_cells_read_as_the_tiles_do() -> None:
    shown = frame(TABLE).to_dict("records")
    assert shown[0] == {
        "Entity": "QueenofSanDiego",
        "Revenue": "$103,559",  # not "$103,559.00"
        "Margin": "42.1%",
        "Runway": "9.2 months",
        "Jobs": "—",
        "Per mile": "—",
    }
    assert shown[1] == {
        "Entity": "",
        "Revenue": "-$12",
        "Margin": "—",
        "Runway": "—",
        "Jobs": "3",
        "Per mile": "$1.23/nm",
    }


def test_no_cell_says_none() -> None:
    assert format_cell(None, "text") == "" and format_cell(None, "USD") == "—"
    assert format_cell("n/a", "USD") == "n/a"  # text in a number column stays text


def test_report_pages_show_no_none_and_whole_dollars(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    for view in ("views/cfo.py", "views/client_billing.py", "views/yacht_delivery.py"):
        at.switch_page(view).run()
        assert not at.exception, at.exception
        assert at.dataframe
        for df in at.dataframe:
            text = df.value.to_csv(index=False)
            assert not re.search(r"\b(None|nan|NaN)\b", text)
            # money in whole dollars: no cents on thousands (per-mile rates keep their cents)
            assert not re.search(r"\$\d{1,3}(,\d{3})+\.\d\d", text), text


def test_a_table_with_the_same_content_is_converted_once() -> None:
    twin = Table(TABLE.id, TABLE.title, list(TABLE.columns), [dict(r) for r in TABLE.rows])
    assert shown(twin) is shown(TABLE)  # a cached report's copy draws the same Arrow table
    assert shown(TABLE).to_pylist() == frame(TABLE).to_dict("records")
    changed = Table(TABLE.id, TABLE.title, TABLE.columns, [{**TABLE.rows[0], "jobs": 4}])
    assert shown(changed) is not shown(TABLE)
    assert shown(changed).column("Jobs").to_pylist() == ["4"]


def test_a_report_table_writes_its_csv_only_when_downloaded(ledger_dir: Path) -> None:
    """The CSV is a deferred download: no file is written on every run of the page."""
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    assert not at.exception, at.exception
    downloads = [d for d in at.get("download_button") if d.proto.label == "Download CSV"]
    assert downloads
    for d in downloads:
        assert d.proto.deferred_file_id and not d.proto.url
