"""AR aging by FIFO on hand-made lines."""

from __future__ import annotations

from datetime import date

from core.metrics.receivables import OpenItem, older_than, open_items, owed_older_than_window


def test_payments_settle_the_oldest_first() -> None:
    lines = [
        (date(2026, 1, 10), 1000_00),
        (date(2026, 2, 10), 500_00),
        (date(2026, 3, 1), -1200_00),  # pays January and 200 of February
        (date(2026, 3, 5), 700_00),
    ]
    items = open_items(lines)
    assert items == [OpenItem(date(2026, 2, 10), 300_00), OpenItem(date(2026, 3, 5), 700_00)]
    assert older_than(items, date(2026, 4, 30), 60) == 300_00  # Feb 10 is 79 days before
    assert older_than(items, date(2026, 4, 10), 60) == 0


def test_overpayment_is_carried_to_later_invoices() -> None:
    items = open_items(
        [(date(2026, 1, 1), 100_00), (date(2026, 1, 2), -150_00), (date(2026, 1, 3), 80_00)]
    )
    assert items == [OpenItem(date(2026, 1, 3), 30_00)]


def test_nothing_owed() -> None:
    assert open_items([]) == []
    assert open_items([(date(2026, 1, 1), 100_00), (date(2026, 1, 1), -100_00)]) == []


def test_the_window_shortcut_matches_a_full_replay() -> None:
    lines = [
        (date(2026, 1, 10), 1000_00),
        (date(2026, 2, 10), 500_00),
        (date(2026, 3, 1), -1200_00),
        (date(2026, 3, 5), 700_00),
        (date(2026, 4, 20), -100_00),
    ]
    end = date(2026, 4, 30)
    balance = sum(c for _, c in lines)
    recent = sum(c for d, c in lines if c > 0 and (end - d).days <= 60)
    assert owed_older_than_window(balance, recent) == older_than(open_items(lines), end, 60)
    assert owed_older_than_window(-50_00, 0) == 0  # overpaid: nothing owed
