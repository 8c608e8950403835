"""Months past due for closing: the previous month locked by the 10th, on the CEO report."""

from __future__ import annotations

from datetime import date

from core.auth.dashboard_users import OPERATOR
from core.close.locks import lock_period
from core.close.past_due import due_month, months_past_due
from core.ledger.store import LedgerStore, NewEntry
from core.reports.close_shortfalls import close_past_due_items

BANK = "Assets:Bank:Checking"


def test_a_month_is_due_after_the_10th_of_the_next(store: LedgerStore) -> None:
    assert due_month(date(2026, 11, 10)) == 202609  # October may still be closed today
    assert due_month(date(2026, 11, 11)) == 202610
    assert due_month(date(2026, 1, 5)) == 202511


def test_entities_with_open_months_due_are_listed_until_locked(store: LedgerStore) -> None:
    for eid in ("A", "B", "Empty"):
        store.add_entity(id=eid, name=eid)
    for eid in ("A", "B"):
        store.post([NewEntry(eid, date(2026, 8, 3), "Sale", [(BANK, 100), ("Income:Sales", -100)])])
    today = date(2026, 11, 11)
    lock_period(store, OPERATOR, "B", 202609, force=True, reason="test")
    late = months_past_due(store, ["A", "B", "Empty"], today)
    assert [(p.entity_id, p.first_open, p.months, p.locked_through) for p in late] == [
        ("A", 202608, 3, None),
        ("B", 202610, 1, 202609),
    ]
    lock_period(store, OPERATOR, "B", 202610, force=True, reason="test")
    (table,) = close_past_due_items(store, ["A", "B"], {"A": "Alpha"}, today)
    assert table.rows == [  # type: ignore[union-attr]
        {"entity": "Alpha", "due": "Oct 2026", "locked_through": "never", "months_open": 3}
    ]
    lock_period(store, OPERATOR, "A", 202610, force=True, reason="test")
    assert close_past_due_items(store, ["A", "B"], {}, today) == []
