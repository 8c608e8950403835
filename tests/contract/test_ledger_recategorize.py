"""'Make a rule from this': lines move with their rollup, all or nothing; imports reuse it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.errors import Forbidden, Invalid
from core.ledger.csv_import import import_csv
from core.ledger.recategorize import apply_rule, matching_lines, saved_rules
from core.ledger.store import LedgerStore, ledger_revision, totals_by_account
from tests.conftest import BANK, entry

UNCAT = "Expenses:Uncategorized"


@pytest.fixture
def queue(ledger: LedgerStore) -> LedgerStore:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    ledger.post(
        [
            entry("A", date(2026, 4, 2), "POS 4411 HOME DEPOT", (UNCAT, 120), (BANK, -120)),
            entry("A", date(2026, 5, 9), "POS 7781 home depot #2", (UNCAT, 80.5), (BANK, -80.5)),
            entry("A", date(2026, 5, 10), "ACH VENDOR 8812", (UNCAT, 300), (BANK, -300)),
            entry("B", date(2026, 5, 11), "POS HOME DEPOT", (UNCAT, 45), (BANK, -45)),
        ]
    )
    return ledger


def _entry_id(ledger: LedgerStore, text: str) -> int:
    return next(
        q.entry_id
        for q in ledger.uncategorized_lines(["A", "B"], through_month=202612)
        if q.description == text
    )


def test_rule_moves_matching_lines_and_keeps_the_rollup_true(queue: LedgerStore) -> None:
    before = ledger_revision(queue)
    out = apply_rule(
        queue,
        entity_id="A",
        pattern="home depot",
        account="Expenses:Supplies",
        cost_behavior="variable",
        created_by="owner@example.com",
        picked_entry_id=_entry_id(queue, "POS 4411 HOME DEPOT"),
    )
    assert (out.moved_lines, out.moved_cents) == (2, 200_50)
    totals = totals_by_account(queue.monthly_rows(["A"]))
    assert totals["Expenses:Supplies"] == 200_50
    assert totals[UNCAT] == 300_00
    assert queue.rollup_matches_lines()
    # Beta's line matched the text but belongs to another entity: untouched
    assert [q.description for q in queue.uncategorized_lines(["B"], through_month=202612)] == [
        "POS HOME DEPOT"
    ]
    assert ledger_revision(queue) != before
    supplies = next(r for r in queue.monthly_rows(["A"]) if r.path == "Expenses:Supplies")
    assert supplies.cost_behavior == "variable"


def test_a_pattern_that_misses_the_picked_line_changes_nothing(queue: LedgerStore) -> None:
    with pytest.raises(Invalid, match="does not match the line you picked"):
        apply_rule(
            queue,
            entity_id="A",
            pattern="VENDOR",
            account="Expenses:Supplies",
            picked_entry_id=_entry_id(queue, "POS 4411 HOME DEPOT"),
        )
    assert len(queue.uncategorized_lines(["A"], through_month=202612)) == 3
    assert saved_rules(queue, "A") == []
    assert "Expenses:Supplies" not in totals_by_account(queue.monthly_rows(["A"]))


@pytest.mark.parametrize(
    ("pattern", "account", "behavior"),
    [
        ("(", "Expenses:Supplies", None),
        ("x", "Nope:Thing", None),
        ("x", UNCAT, None),
        ("x", "Expenses:A", "sometimes"),
        ("", "Expenses:A", None),
    ],
)
def test_bad_rules_are_refused(
    queue: LedgerStore, pattern: str, account: str, behavior: str | None
) -> None:
    with pytest.raises(Invalid):
        apply_rule(queue, entity_id="A", pattern=pattern, account=account, cost_behavior=behavior)
    assert saved_rules(queue, "A") == []


def test_an_entity_outside_the_scope_is_refused(queue: LedgerStore) -> None:
    with pytest.raises(Forbidden):
        apply_rule(
            queue, entity_id="B", pattern="DEPOT", account="Expenses:Supplies", allowed={"A"}
        )
    assert len(queue.uncategorized_lines(["B"], through_month=202612)) == 1


def test_preview_and_later_imports_use_the_saved_rule(queue: LedgerStore, tmp_path: Path) -> None:
    assert len(matching_lines(queue, entity_id="A", pattern="depot")) == 2
    apply_rule(queue, entity_id="A", pattern="depot", account="Expenses:Supplies")
    csv = tmp_path / "bank.csv"
    csv.write_text(
        "date,description,amount\n2026-06-01,POS 9 HOME DEPOT,-19.99\n2026-06-02,COFFEE,-4.50\n"
    )
    result = import_csv(queue, path=str(csv), entity_id="A", account=BANK)
    assert result.uncategorized == 1  # the coffee; the Home Depot row followed the saved rule
    assert totals_by_account(queue.monthly_rows(["A"]))["Expenses:Supplies"] == 200_50 + 19_99
