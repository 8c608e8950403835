"""Recurring items: the days they fall on, and input refused with every problem listed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.errors import Forbidden, Invalid, NotFound
from core.forecast.recurring import (
    RecurringItem,
    add_recurring,
    list_recurring,
    remove_recurring,
)
from core.ledger.store import LedgerStore


def item(
    every: str, *, weekday: int | None = None, day: int | None = None, **kw: object
) -> RecurringItem:
    values: dict = {"starts": date(2026, 1, 1), "ends": None, **kw}
    return RecurringItem(None, "A", "x", "Expenses:X", Decimal("-1"), every, weekday, day, **values)


def test_a_monthly_day_is_clamped_to_the_months_end() -> None:
    days = item("month", day=31).occurrences(date(2026, 1, 1), date(2026, 4, 30))
    assert days == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    leap = item("month", day=30).occurrences(date(2028, 2, 1), date(2028, 2, 29))
    assert leap == [date(2028, 2, 29)]


def test_a_weekly_item_falls_on_its_weekday_between_start_and_end() -> None:
    friday = item("week", weekday=4, starts=date(2026, 1, 3), ends=date(2026, 1, 23))
    assert friday.occurrences(date(2026, 1, 1), date(2026, 2, 28)) == [
        date(2026, 1, 9),
        date(2026, 1, 16),
        date(2026, 1, 23),
    ]
    # no weekday: the start's own
    assert item("week", starts=date(2026, 1, 6)).occurrences(
        date(2026, 1, 1), date(2026, 1, 14)
    ) == [
        date(2026, 1, 6),
        date(2026, 1, 13),
    ]


def test_nothing_before_the_start_or_after_the_end() -> None:
    later = item("month", day=5, starts=date(2026, 3, 10))
    assert later.occurrences(date(2026, 1, 1), date(2026, 4, 30)) == [date(2026, 4, 5)]
    ended = item("month", day=5, ends=date(2026, 1, 4))
    assert ended.occurrences(date(2026, 1, 1), date(2026, 4, 30)) == []


def test_bad_input_lists_every_problem_and_writes_nothing(store: LedgerStore) -> None:
    store.add_entity(id="A", name="A")
    with pytest.raises(Invalid) as err:
        add_recurring(
            store,
            OPERATOR,
            entity_id="A",
            name=" ",
            account="Assets:Bank:Checking",
            amount="12.345",
            every="fortnight",
            weekday="FUNDAY",
            day="0",
            starts="2026-02-30",
            ends="soon",
        )
    problems = err.value.problems
    assert len(problems) == 8, problems
    assert any("cash account" in p for p in problems)
    assert any("FUNDAY" in p for p in problems)
    assert list_recurring(store, OPERATOR) == []


def test_add_list_remove_and_who_may(store: LedgerStore) -> None:
    store.add_entity(id="A", name="A")
    store.add_entity(id="B", name="B")
    kw = {
        "account": "Expenses:Payroll",
        "amount": "-2,500.00",
        "every": "month",
        "starts": "2026-01-15",
    }
    a = add_recurring(store, OPERATOR, entity_id="A", name="Payroll", **kw)
    b = add_recurring(store, OPERATOR, entity_id="B", name="Payroll", day=1, **kw)
    assert (a.amount, a.day, b.day) == (Decimal("-2500.00"), None, 1)
    cfo_b = UserScope(email="c@x", name="C", role="cfo", entities=frozenset({"B"}))
    assert [r.entity_id for r in list_recurring(store, cfo_b)] == ["B"]
    with pytest.raises(Forbidden):
        list_recurring(store, cfo_b, "A")
    with pytest.raises(Forbidden):
        remove_recurring(store, cfo_b, a.id or 0)
    accountant = UserScope(email="a@x", name="A", role="accountant", entities=None)
    with pytest.raises(Forbidden):
        add_recurring(store, accountant, entity_id="A", name="Rent", **kw)
    remove_recurring(store, cfo_b, b.id or 0)
    assert [r.id for r in list_recurring(store, OPERATOR)] == [a.id]
    with pytest.raises(NotFound):
        remove_recurring(store, OPERATOR, 999)
    with pytest.raises(Invalid) as err:
        add_recurring(store, OPERATOR, entity_id="Nope", name="X", **kw)
    assert "unknown entity" in err.value.problems[0]
