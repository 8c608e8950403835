"""Categorizing by hand on every ledger backend: one line or many without a rule, all or
nothing; the accounts offered include Equity; a rule's preview marks this month's lines."""

from __future__ import annotations

from datetime import date

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.books.categorize import (
    OWNER_ACCOUNTS,
    categorize_line,
    categorize_lines,
    category_accounts,
    rule_preview,
)
from core.errors import Forbidden, Invalid
from core.ledger.recategorize import saved_rules, suggest_pattern
from core.ledger.store import LedgerStore, ledger_revision, totals_by_account
from tests.conftest import BANK, entry

UNCAT = "Expenses:Uncategorized"
UNCAT_IN = "Income:Uncategorized"
ACC_OF_A = UserScope(
    email="acc@example.com", name="Acc", role="accountant", entities=frozenset({"A"})
)


@pytest.fixture
def queue(ledger: LedgerStore) -> LedgerStore:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    ledger.post(
        [
            entry("A", date(2026, 4, 2), "SHELL OIL 57442 SAUSALITO CA", (UNCAT, 80), (BANK, -80)),
            entry(
                "A", date(2026, 5, 9), "SHELL OIL 12345 MILL VALLEY CA", (UNCAT, 60), (BANK, -60)
            ),
            entry("A", date(2026, 5, 20), "SAUSALITO BAKERY SAUSALITO CA", (UNCAT, 9), (BANK, -9)),
            entry("A", date(2026, 5, 21), "Transfer from owner", (BANK, 5000), (UNCAT_IN, -5000)),
            entry("A", date(2026, 5, 22), "Owner draw", (UNCAT, 700), (BANK, -700)),
            entry("B", date(2026, 5, 11), "SHELL OIL 999 SAN DIEGO CA", (UNCAT, 45), (BANK, -45)),
        ]
    )
    return ledger


def _id(ledger: LedgerStore, text: str) -> int:
    lines = ledger.uncategorized_lines(["A", "B"], through_month=202612)
    return next(q.entry_id for q in lines if q.description == text)


def test_one_line_moves_without_a_rule(queue: LedgerStore) -> None:
    before = ledger_revision(queue)
    out = categorize_line(
        queue,
        actor=ACC_OF_A,
        entry_id=_id(queue, "SHELL OIL 57442 SAUSALITO CA"),
        account="Expenses:Fuel",
    )
    assert (out.moved_lines, out.moved_cents) == (1, 80_00)
    totals = totals_by_account(queue.monthly_rows(["A"]))
    assert totals["Expenses:Fuel"] == 80_00 and totals[UNCAT] == 769_00
    assert saved_rules(queue, "A") == []  # no rule was made
    assert queue.rollup_matches_lines() and ledger_revision(queue) != before


def test_many_lines_at_once_including_equity(queue: LedgerStore) -> None:
    picks = {
        _id(queue, "Transfer from owner"): "Equity:Owner Contributions",
        _id(queue, "Owner draw"): "Equity:Owner Draws",
        _id(queue, "SHELL OIL 12345 MILL VALLEY CA"): "Expenses:Fuel",
    }
    out = categorize_lines(queue, actor=OPERATOR, picks=picks)
    assert out.moved_lines == 3
    totals = totals_by_account(queue.monthly_rows(["A"]))
    assert totals["Equity:Owner Contributions"] == -5000_00
    assert totals["Equity:Owner Draws"] == 700_00
    assert totals["Expenses:Fuel"] == 60_00
    assert queue.rollup_matches_lines()


def test_one_bad_pick_lists_every_problem_and_changes_nothing(queue: LedgerStore) -> None:
    good = _id(queue, "Owner draw")
    done = _id(queue, "SHELL OIL 57442 SAUSALITO CA")
    categorize_line(queue, actor=OPERATOR, entry_id=done, account="Expenses:Fuel")
    lines = queue.uncategorized_lines(["A"], through_month=202612)
    with pytest.raises(Invalid) as err:
        categorize_lines(
            queue, actor=OPERATOR, picks={good: "Equity:Owner Draws", done: "Expenses:Fuel"}
        )
    assert err.value.problems == [
        f"line {done}: is not waiting for a category (already categorized?)"
    ]
    assert queue.uncategorized_lines(["A"], through_month=202612) == lines
    with pytest.raises(Invalid) as err:
        categorize_lines(queue, actor=OPERATOR, picks={good: "Fuel", 999_999: "Expenses:X"})
    assert len(err.value.problems) == 1 and "must start with" in err.value.problems[0]
    with pytest.raises(Invalid, match="nothing was categorized") as err:
        categorize_lines(queue, actor=OPERATOR, picks={999_999: "Expenses:X"})
    assert err.value.problems == ["line 999999: there is no such entry"]
    with pytest.raises(Invalid):
        categorize_lines(queue, actor=OPERATOR, picks={good: UNCAT})


def test_other_entities_and_roles_are_refused(queue: LedgerStore) -> None:
    beta = _id(queue, "SHELL OIL 999 SAN DIEGO CA")
    with pytest.raises(Forbidden, match="access to entity 'B'"):
        categorize_line(queue, actor=ACC_OF_A, entry_id=beta, account="Expenses:Fuel")
    mine = _id(queue, "Owner draw")
    with pytest.raises(Forbidden, match="access to entity 'B'"):  # a mixed batch: nothing moves
        categorize_lines(
            queue, actor=ACC_OF_A, picks={mine: "Equity:Owner Draws", beta: "Expenses:Fuel"}
        )
    assert len(queue.uncategorized_lines(["A", "B"], through_month=202612)) == 6
    ceo = UserScope(email="ceo@example.com", name="Ceo", role="ceo", entities=None)
    with pytest.raises(Forbidden, match="only the owner"):
        categorize_line(queue, actor=ceo, entry_id=mine, account="Equity:Owner Draws")
    with pytest.raises(Forbidden):
        rule_preview(queue, actor=ACC_OF_A, entity_id="B", pattern="SHELL", month=202605)
    with pytest.raises(Forbidden):
        category_accounts(queue, actor=ACC_OF_A, entity_id="B", money_in=False)


def test_rule_preview_from_the_merchant_marks_this_month(queue: LedgerStore) -> None:
    pattern = suggest_pattern("SHELL OIL 57442 SAUSALITO CA")
    matches = rule_preview(queue, actor=ACC_OF_A, entity_id="A", pattern=pattern, month=202605)
    assert [(m.description, m.this_month) for m in matches] == [
        ("SHELL OIL 12345 MILL VALLEY CA", True),
        ("SHELL OIL 57442 SAUSALITO CA", False),
    ]  # not the bakery in the same town, not Beta's Shell
    assert matches[0].path == UNCAT and matches[0].cents == 60_00
    with pytest.raises(Invalid):
        rule_preview(queue, actor=ACC_OF_A, entity_id="A", pattern="(", month=202605)


def test_accounts_offered_include_equity(queue: LedgerStore) -> None:
    categorize_line(
        queue, actor=OPERATOR, entry_id=_id(queue, "Owner draw"), account="Equity:Distributions"
    )
    categorize_line(
        queue,
        actor=OPERATOR,
        entry_id=_id(queue, "SHELL OIL 57442 SAUSALITO CA"),
        account="Expenses:Fuel",
    )
    out = category_accounts(queue, actor=ACC_OF_A, entity_id="A", money_in=False)
    assert out[0] == "Expenses:Fuel"
    assert set(out) == {"Expenses:Fuel", "Equity:Distributions", *OWNER_ACCOUNTS}
    money_in = category_accounts(queue, actor=ACC_OF_A, entity_id="A", money_in=True)
    assert "Expenses:Fuel" not in money_in and "Equity:Owner Contributions" in money_in
