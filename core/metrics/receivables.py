"""Receivables aging: payments settle the oldest open amounts first (FIFO).

``open_items`` replays every line; ``owed_older_than_window`` gets the same answer from a
balance and one window's debits, which is what reports over millions of lines use.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

AR_AGE_DAYS = 60  # "AR over 60 days": more than this many days past the due date


@dataclass(frozen=True)
class OpenItem:
    """An amount still owed: what remains of a receivable booked on ``booked``."""

    booked: date
    cents: int


def open_items(lines: Iterable[tuple[date, int]]) -> list[OpenItem]:
    """What is still owed after applying credits (payments) to the oldest debits first.

    ``lines`` are (date, signed cents) of a receivable account, debits positive, any order.
    A credit larger than everything open (an overpayment) is carried to later debits.
    """
    queue: deque[list] = deque()  # [date, cents] of open debits, oldest first
    credit = 0  # unapplied payments
    for day, cents in sorted(lines, key=lambda x: (x[0], -x[1])):
        if cents > 0:
            applied = min(credit, cents)
            credit -= applied
            if cents - applied:
                queue.append([day, cents - applied])
            continue
        credit += -cents
        while credit and queue:
            applied = min(credit, queue[0][1])
            queue[0][1] -= applied
            credit -= applied
            if not queue[0][1]:
                queue.popleft()
    return [OpenItem(d, c) for d, c in queue]


def older_than(items: Iterable[OpenItem], as_of: date, days: int) -> int:
    """Cents of open items booked more than ``days`` days before ``as_of``."""
    return sum(i.cents for i in items if (as_of - i.booked).days > days)


def owed_older_than_window(balance: int, window_debits: int) -> int:
    """Cents owed that were booked before a window, given the balance at its end and the
    debits booked inside it: under FIFO what is still owed is the newest debits."""
    return max(0, balance - max(window_debits, 0))
