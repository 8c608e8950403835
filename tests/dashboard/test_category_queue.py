"""AppTest of the categorization queue on /accounting: pick accounts in the table, save at once."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import UserScope
from core.books.categorize import categorize_line
from core.config import get_settings
from core.ledger.store import LedgerStore, UncategorizedLine, open_ledger
from core.periods import format_period, month_add, month_of
from dashboard import core_calls
from dashboard.category_queue import editor_key
from tests.dashboard.conftest import sign_in

EVERY_MONTH = 209912


def store() -> LedgerStore:
    return open_ledger(get_settings().ledger_url)


def queued(entities: list[str] | None = None) -> list[UncategorizedLine]:
    s = store()
    return s.uncategorized_lines(
        entities or [e.id for e in s.list_entities()], through_month=EVERY_MONTH
    )


def accounting(email: str = "owner@example.com") -> AppTest:
    # last month's queue: the demo leaves one line in each of three businesses there
    last_month = month_add(month_of(datetime.now(get_settings().tz).date()), -1)
    at = sign_in(email, period=format_period(last_month))
    at.switch_page("views/accounting.py").run()
    assert not at.exception, at.exception
    return at


def shown_lines(at: AppTest) -> dict[str, list[int]]:
    """Each editable table's key and the entry ids of its rows."""
    return {t.key: [int(i) for i in t.value.index] for t in at.data_editor}


def options(at: AppTest, key: str) -> list[str]:
    table = next(t for t in at.data_editor if t.key == key)
    return json.loads(table.proto.columns)["Account"]["type_config"]["options"]


def pick(at: AppTest, key: str, row: int, account: str) -> None:
    """What a person does in the browser: choose ``account`` in row ``row`` of a table."""
    at.session_state[key] = {
        "edited_rows": {row: {"Account": account}},
        "added_rows": [],
        "deleted_rows": [],
    }


def picked_two(queen_account: str) -> tuple[AppTest, dict[str, list[int]], str, str]:
    """/accounting with QuickDumpNow's line picked for fuel and Queen of San Diego's for
    ``queen_account``; the tables and those two tables' keys."""
    at = accounting()
    tables = shown_lines(at)
    dump = next(k for k in tables if "QuickDumpNow" in k)
    queen = next(k for k in tables if "QueenofSanDiego" in k)
    pick(at, dump, 0, "Expenses:Fuel")
    pick(at, queen, 0, queen_account)
    at.run()
    return at, tables, dump, queen


def save(at: AppTest) -> AppTest:
    return at.button(key="save_categories").click().run()


def test_one_table_per_business_offers_its_own_accounts_and_equity(ledger_dir: Path) -> None:
    at = accounting()
    tables = shown_lines(at)
    assert len(tables) == 3  # the demo leaves one line in each of three businesses
    dump = next(k for k in tables if k.startswith("catq-QuickDumpNow-out-"))
    offered = options(at, dump)
    assert "Expenses:Fuel" in offered and "Expenses:DumpFees" in offered
    assert {"Equity:Owner Contributions", "Equity:Owner Draws"} <= set(offered)
    assert not any(a.startswith("Income") or a.endswith(":Uncategorized") for a in offered)
    # another business offers its own chart, not QuickDumpNow's
    centaur = next(k for k in tables if k.startswith("catq-DangerousCentaur-out-"))
    assert "Expenses:DumpFees" not in options(at, centaur)
    assert at.button(key="save_categories").disabled  # nothing picked yet


def test_save_categories_moves_every_picked_line_at_once(ledger_dir: Path) -> None:
    before = queued()
    at, tables, dump, queen = picked_two("Equity:Owner Draws")
    assert not at.button(key="save_categories").disabled
    assert any(c.value == "2 line(s) picked." for c in at.caption)
    save(at)
    assert not at.exception, at.exception
    moved = {tables[dump][0], tables[queen][0]}
    after = queued()
    assert len(after) == len(before) - 2
    assert not moved & {q.entry_id for q in after}
    assert store().rollup_matches_lines()
    assert any("Categorized 2 line(s)" in t.proto.body for t in at.toast)
    # the saved lines have left the tables; the rest is still there, with nothing picked
    left = shown_lines(at)
    assert not moved & {i for ids in left.values() for i in ids}
    assert len(left) == 1
    assert at.button(key="save_categories").disabled


def test_one_bad_pick_saves_nothing_and_names_the_line(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at, tables, dump, queen = picked_two("Expenses:Marketing")
    # someone else categorizes the QuickDumpNow line between the page's read and the save
    owner = UserScope(email="o@example.com", name="o", role="owner", entities=None)
    real = core_calls.categorize_lines

    def racing(picks: dict[int, str], user: UserScope) -> object:
        categorize_line(store(), actor=owner, entry_id=tables[dump][0], account="Expenses:Labor")
        return real(picks, user)

    monkeypatch.setattr(core_calls, "categorize_lines", racing)
    save(at)
    assert not at.exception, at.exception
    left = {q.entry_id for q in queued()}
    assert tables[queen][0] in left  # the Queen of San Diego pick was not saved either
    error = at.error[0].value
    assert "nothing was categorized" in error
    assert "POS PURCHASE 4411 HOME DEPOT: is not waiting for a category" in error
    assert not at.toast
    assert store().rollup_matches_lines()


def test_a_scoped_cfo_sees_only_their_business(ledger_dir: Path) -> None:
    at = accounting("dump@example.com")
    tables = shown_lines(at)
    assert list(tables) and all(k.startswith("catq-QuickDumpNow-") for k in tables)


def test_editor_key_follows_the_lines() -> None:
    a = UncategorizedLine(1, "E", date(2026, 1, 1), "X", "Expenses:Uncategorized", 100)
    b = UncategorizedLine(2, "E", date(2026, 1, 2), "Y", "Expenses:Uncategorized", 100)
    assert editor_key("E", False, [a, b]) == editor_key("E", False, [a, b])
    assert editor_key("E", False, [a, b]) != editor_key("E", False, [b])
    assert editor_key("E", False, [a]) != editor_key("E", True, [a])
