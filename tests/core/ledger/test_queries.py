"""Dated reads of the ledger: a month's rollup rows through a day."""

from __future__ import annotations

from datetime import date

from core.ledger.store import LedgerStore, totals_by_account
from tests.conftest import BANK, entry


def test_rows_between_reads_only_the_dated_window(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    store.post(
        [
            entry("A", date(2026, 10, 31), "before", (BANK, 1), ("Income:Sales", -1)),
            entry("A", date(2026, 11, 1), "first", (BANK, 10), ("Income:Sales", -10)),
            entry("A", date(2026, 11, 25), "last", (BANK, 100), ("Income:Sales", -100)),
            entry("A", date(2026, 11, 26), "after", (BANK, 1000), ("Income:Sales", -1000)),
            entry("B", date(2026, 11, 5), "other", (BANK, 7), ("Income:Sales", -7)),
        ]
    )
    rows = store.rows_between(["A"], date(2026, 11, 1), date(2026, 11, 25))
    assert totals_by_account(rows) == {BANK: 110_00, "Income:Sales": -110_00}
    assert {(r.entity_id, r.month, r.root) for r in rows} == {
        ("A", 202611, "Assets"),
        ("A", 202611, "Income"),
    }
    # a window across a month end keeps each line's own month
    across = store.rows_between(["A", "B"], date(2026, 10, 31), date(2026, 11, 1))
    assert sorted((r.month, r.cents) for r in across if r.path == BANK) == [
        (202610, 1_00),
        (202611, 10_00),
    ]


def test_uncategorized_lines_since_a_day(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.post(
        [
            entry("A", date(2026, 11, 2), "old", ("Expenses:Uncategorized", 5), (BANK, -5)),
            entry("A", date(2026, 11, 24), "new", ("Expenses:Uncategorized", 6), (BANK, -6)),
        ]
    )
    lines = store.uncategorized_lines(["A"], through_month=202611, since=date(2026, 11, 24))
    assert [q.description for q in lines] == ["new"]
    assert len(store.uncategorized_lines(["A"], through_month=202611)) == 2
