"""AppTest of /data's statement import: explicit business, preview, column mapping, undo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import UserScope
from core.books import import_runs
from core.books.import_runs import list_import_runs
from core.config import get_settings
from core.ledger.store import open_ledger
from tests.dashboard.test_data_page import open_data

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BOFA = (FIXTURES / "bofa_checking.csv").read_bytes()
OWNER = UserScope("owner@example.com", "Owner", "owner", None)
ODD = b"When,Payee,Value\n2026-03-03,CHARTER one,100.00\n2026-03-04,FUEL DOCK,-20.50\n"


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def _choose(at: AppTest, entity: str = "JADA") -> AppTest:
    at.selectbox(key="import_entity").select(entity).run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def _runs() -> list:  # type: ignore[type-arg]
    return list_import_runs(open_ledger(get_settings().ledger_url), actor=OWNER)


def test_no_business_is_chosen_for_the_owner_and_nothing_is_read(ledger_dir: Path) -> None:
    at = open_data()
    picker = at.selectbox(key="import_entity")
    assert picker.value is None and picker.placeholder == "Choose a business"
    _upload(at, "bofa_checking.csv", BOFA)
    assert any("Choose the business" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label.startswith("Import")]
    assert _runs() == []


def test_the_preview_shows_rows_accounts_and_skipped_lines_then_imports(
    ledger_dir: Path,
) -> None:
    at = _choose(_upload(open_data(), "bofa_checking.csv", BOFA))
    preview = next(d for d in at.dataframe if "Goes to" in d.value.columns).value
    assert list(preview["Row"]) == [9, 10, 11, 12, 13, 14]
    assert list(preview["Amount"])[:2] == ["$1,200.00", "-$85.40"]
    assert "uncategorized" in set(preview["Goes to"])
    assert set(preview["Already imported"]) == {""}
    infos = [i.value for i in at.info]
    assert any("Skipped 5 lines before the header row (rows 1–5)" in i for i in infos)
    assert any("Skipped 1 line with a balance and no amount (row 8)" in i for i in infos)
    assert any("date ← “Date”" in c.value for c in at.caption)

    _button(at, "Import 6 rows").click().run()
    assert not at.exception, at.exception
    assert any("Imported 6 rows into JADA (sailing yacht)" in s.value for s in at.success)
    done = next(s.value for s in at.success if "Imported 6 rows" in s.value)
    assert re.search(r"(No anomalies|\d+ anomal(y|ies): .+)\.$", done), done  # the digest
    (run,) = _runs()
    assert (run.entity_id, run.file_name, run.created_by) == (
        "JADA",
        "bofa_checking.csv",
        "owner@example.com",
    )
    assert (run.rows, run.imported, run.skipped_lines) == (6, 6, 6)
    text = " ".join(m.value for m in at.markdown)
    assert f"**Run {run.id}**" in text and "bofa_checking.csv" in text and "**imported**" in text

    # the uploader was emptied; the same file again is marked already imported
    _choose(_upload(at, "bofa_checking.csv", BOFA))
    preview = next(d for d in at.dataframe if "Goes to" in d.value.columns).value
    assert set(preview["Already imported"]) == {"yes, skipped"}
    assert _button(at, "Nothing new to import").disabled


def test_a_file_detection_misses_is_mapped_by_hand(ledger_dir: Path) -> None:
    at = _choose(_upload(open_data(), "odd.csv", ODD))
    assert any("cannot be imported as it is" in e.value for e in at.error)
    assert not [b for b in at.button if b.label.startswith("Import")]
    boxes = {s.label: s for s in at.selectbox if s.key and s.key.startswith("import_map_")}
    assert boxes["Date"].options == ["— none —", "When", "Payee", "Value"]
    boxes["Date"].select("When")
    boxes["Description"].select("Payee")
    boxes["Amount"].select("Value")
    _button(at, "Use these columns").click().run()
    assert not at.exception, at.exception
    preview = next(d for d in at.dataframe if "Goes to" in d.value.columns).value
    assert list(preview["Amount"]) == ["$100.00", "-$20.50"]
    _button(at, "Import 2 rows").click().run()
    assert any("Imported 2 rows into JADA" in s.value for s in at.success)
    assert [r.imported for r in _runs()] == [2]


def test_an_incomplete_mapping_is_refused_in_words(ledger_dir: Path) -> None:
    at = _choose(_upload(open_data(), "odd.csv", ODD))
    boxes = {s.label: s for s in at.selectbox if s.key and s.key.startswith("import_map_")}
    boxes["Date"].select("When")
    _button(at, "Use these columns").click().run()
    assert any("name the description column" in e.value for e in at.error)


def test_undo_asks_first_then_takes_the_run_back(ledger_dir: Path) -> None:
    at = _choose(_upload(open_data(), "bofa_checking.csv", BOFA))
    _button(at, "Import 6 rows").click().run()
    store = open_ledger(get_settings().ledger_url)
    lines = store.line_count()
    (run,) = _runs()
    at.button(key=f"undo_{run.id}").click().run()
    assert any(f"Undo run {run.id}?" in w.value for w in at.warning)
    assert store.line_count() == lines  # asking writes nothing
    at.button(key=f"undo_no_{run.id}").click().run()
    assert not any("Undo run" in w.value for w in at.warning)

    at.button(key=f"undo_{run.id}").click().run()
    at.button(key=f"undo_yes_{run.id}").click().run()
    assert not at.exception, at.exception
    assert any(f"Run {run.id} undone: 6 entries removed." in s.value for s in at.success)
    assert store.line_count() == lines - 12
    assert _runs()[0].undone_at is not None
    assert f"undo_{run.id}" not in [b.key for b in at.button]
    assert any("undone" in m.value and "by owner@example.com" in m.value for m in at.markdown)


def test_a_refused_undo_says_why_next_to_the_run_and_loses_nothing(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _choose(_upload(open_data(), "bofa_checking.csv", BOFA))
    _button(at, "Import 6 rows").click().run()
    (run,) = _runs()
    store = open_ledger(get_settings().ledger_url)
    lines = store.line_count()
    monkeypatch.setattr(
        import_runs, "locked_months_problem", lambda *_: "March 2026 is closed and locked"
    )
    at.button(key=f"undo_{run.id}").click().run()
    at.button(key=f"undo_yes_{run.id}").click().run()
    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error]
    assert error.startswith("Nothing was undone.") and "March 2026 is closed" in error
    assert store.line_count() == lines
    assert _runs()[0].undone_at is None
    assert f"undo_{run.id}" in [b.key for b in at.button]  # it can be tried again later


def test_a_scoped_cfo_imports_only_into_their_business(ledger_dir: Path) -> None:
    at = open_data("dump@example.com")
    assert at.selectbox(key="import_entity").options == ["QuickDumpNow"]
    _choose(_upload(at, "bofa_checking.csv", BOFA), "QuickDumpNow")
    _button(at, "Import 6 rows").click().run()
    (run,) = _runs()
    assert (run.entity_id, run.created_by) == ("QuickDumpNow", "dump@example.com")


def test_the_header_row_is_picked_by_hand_below_a_preamble(ledger_dir: Path) -> None:
    at = _choose(_upload(open_data(), "odd.csv", b"Account 1234 summary,,\n" + ODD))
    header = at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Header row"))
    assert header.value == 1  # detection failed: the first row is offered first
    header.select(2).run()
    boxes = {s.label: s for s in at.selectbox if s.key and s.key.startswith("import_map_")}
    assert boxes["Date"].options == ["— none —", "When", "Payee", "Value"]
    boxes["Date"].select("When")
    boxes["Description"].select("Payee")
    boxes["Amount"].select("Value")
    _button(at, "Use these columns").click().run()
    assert any("Skipped 1 line before the header row (row 1)" in i.value for i in at.info)
    assert _button(at, "Import 2 rows")
    _button(at, "Detect the columns again").click().run()
    assert any("cannot be imported as it is" in e.value for e in at.error)
