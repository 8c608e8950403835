"""AppTest of "Apply to similar" on /accounting: a merchant pattern, a marked preview, a rule."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ledger.store import LedgerStore, open_ledger
from tests.dashboard.conftest import sign_in

EVERY_MONTH = 209912
HOME_DEPOT = "POS PURCHASE 4411 HOME DEPOT"


def store() -> LedgerStore:
    return open_ledger(get_settings().ledger_url)


def home_depot_ids() -> set[int]:
    lines = store().uncategorized_lines(["QuickDumpNow"], through_month=EVERY_MONTH)
    return {q.entry_id for q in lines if q.description == HOME_DEPOT}


def on_home_depot() -> tuple[AppTest, int]:
    """/accounting (last month) with the month's HOME DEPOT line picked for a rule."""
    at = sign_in("owner@example.com")
    at.switch_page("views/accounting.py").run()
    assert not at.exception, at.exception
    box = at.selectbox(key="rule_line")
    box.set_value(next(label for label in box.options if HOME_DEPOT in label)).run()
    assert not at.exception, at.exception
    picked = at.selectbox(key="rule_line").value
    assert picked.description == HOME_DEPOT
    return at, picked.entry_id


def test_the_pattern_is_the_merchant_and_the_preview_marks_this_month(ledger_dir: Path) -> None:
    at, _ = on_home_depot()
    (pattern,) = [t for t in at.text_input if t.key and t.key.startswith("rule_pattern_")]
    assert pattern.value == r"\bHOME\s+DEPOT\b"
    preview = at.dataframe[-1].value  # below the queue's tables
    assert len(preview) == len(home_depot_ids()) == 2  # last month's line and this month's
    assert preview["When"].iloc[0].startswith("★ ")  # the month in view comes first
    assert list(preview["When"].iloc[1:]) == ["other month"]
    assert any("1 in " in c.value and "1 in other months" in c.value for c in at.caption)


def test_save_rule_moves_every_similar_line(ledger_dir: Path) -> None:
    at, entry_id = on_home_depot()
    at.selectbox(key=f"rule_account_{entry_id}").set_value("Expenses:Labor").run()
    at.button(key="save_rule").click().run()
    assert not at.exception, at.exception
    assert home_depot_ids() == set()
    assert store().rollup_matches_lines()
    assert any("2 line(s) moved to Expenses:Labor" in t.proto.body for t in at.toast)


def test_a_pattern_that_misses_the_line_changes_nothing(ledger_dir: Path) -> None:
    at, entry_id = on_home_depot()
    at.text_input(key=f"rule_pattern_{entry_id}").input("LOWES").run()
    assert any("Matches 0" in c.value for c in at.caption)
    assert at.button(key="save_rule").disabled  # nothing to move
    at.text_input(key=f"rule_pattern_{entry_id}").input("HOME (DEPOT").run()
    assert not at.exception, at.exception
    assert "not a valid regular expression" in at.error[0].value
    assert home_depot_ids() != set()
