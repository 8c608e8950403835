"""The ledger store: balanced postings only, all or nothing, rollup kept exact."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import Conflict, Invalid, NotFound
from core.ledger.store import LedgerStore, NewEntry, account_root, totals_by_account
from tests.conftest import BANK, entry


def test_unbalanced_entry_is_refused_and_nothing_is_written(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    good = entry("A", date(2026, 1, 5), "ok", (BANK, 100), ("Income:Sales", -100))
    bad = entry("A", date(2026, 1, 6), "bad", (BANK, 100), ("Income:Sales", -90))
    with pytest.raises(Invalid) as err:
        store.post([good, bad])
    assert "unbalanced" in str(err.value)
    assert "entry 2" in str(err.value)
    assert store.line_count() == 0


def test_every_problem_of_every_entry_is_listed(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    one_line = NewEntry("A", date(2026, 1, 1), "x", [(BANK, 0)])
    bad_root = entry("A", date(2026, 1, 1), "y", ("Cash", 5), ("Income:Sales", -5))
    with pytest.raises(Invalid) as err:
        store.post([one_line, bad_root])
    problems = err.value.problems
    assert any(p.startswith("entry 1: an entry needs at least two lines") for p in problems)
    assert any(p.startswith("entry 2: account 'Cash' must start with") for p in problems)


def test_unknown_entity_is_refused(store: LedgerStore) -> None:
    with pytest.raises(Invalid, match="unknown entity 'Nope'"):
        store.post([entry("Nope", date(2026, 1, 1), "x", (BANK, 1), ("Income:Sales", -1))])
    assert store.is_empty()


def test_duplicate_entity_and_unknown_entity_lookup(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    with pytest.raises(Conflict):
        store.add_entity(id="A", name="Again")
    with pytest.raises(NotFound):
        store.get_entity("B")
    with pytest.raises(Invalid):
        store.add_entity(id="has space", name="x")


def test_account_paths_are_validated() -> None:
    assert account_root("Expenses:Fuel") == "Expenses"
    for bad in ("Fuel", "Expenses", "Expenses::Fuel", "Revenue:Sales", "Assets:"):
        with pytest.raises(Invalid):
            account_root(bad)


def test_fingerprinted_entries_post_once(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    e = entry("A", date(2026, 2, 1), "x", (BANK, 10), ("Income:Sales", -10), fingerprint="fp1")
    first = store.post([e])
    again = store.post([e, e])
    assert (first.posted, first.skipped) == (1, 0)
    assert (again.posted, again.skipped) == (0, 2)
    assert store.line_count() == 2


def test_rollup_matches_a_fresh_aggregation_of_lines(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    entries = [
        entry("A", date(2026, 1, 31), "jan", (BANK, 50), ("Income:Sales", -50)),
        entry("A", date(2026, 2, 1), "feb", (BANK, 70), ("Income:Sales", -70)),
        entry("B", date(2026, 2, 1), "ic", ("Expenses:Rent", 30), (BANK, -30), intercompany=True),
        entry("A", date(2026, 2, 9), "feb2", ("Expenses:Fuel", 12.34), (BANK, -12.34)),
    ]
    store.post(entries[:2])
    store.post(entries[2:])
    assert store.rollup_matches_lines()
    rows = store.monthly_rows(["A"])
    assert totals_by_account(rows) == {
        BANK: 107_66,
        "Income:Sales": -120_00,
        "Expenses:Fuel": 12_34,
    }
    by_month = {(r.path, r.month): r.cents for r in rows}
    assert by_month[("Income:Sales", 202601)] == -50_00  # Jan 31 stays in January
    assert by_month[("Income:Sales", 202602)] == -70_00


def test_expense_accounts_default_to_fixed_unless_told(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.post(
        [
            entry("A", date(2026, 1, 2), "a", ("Expenses:Rent", 1), (BANK, -1)),
            entry(
                "A",
                date(2026, 1, 2),
                "b",
                ("Expenses:Fuel", 1),
                (BANK, -1),
                cost_behaviors={"Expenses:Fuel": "variable"},
            ),
        ]
    )
    behaviors = {r.path: r.cost_behavior for r in store.monthly_rows(["A"])}
    assert behaviors == {"Expenses:Rent": "fixed", "Expenses:Fuel": "variable", BANK: None}


def test_delete_entities_removes_everything_of_theirs(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    store.post([entry("A", date(2026, 1, 2), "a", (BANK, 1), ("Income:X", -1))])
    store.post([entry("B", date(2026, 1, 2), "b", (BANK, 2), ("Income:X", -2))])
    store.delete_entities(["A"])
    assert [e.id for e in store.list_entities()] == ["B"]
    assert store.line_count() == 2
    assert store.rollup_matches_lines()
