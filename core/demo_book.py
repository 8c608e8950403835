"""The demo's book of one month: entries added through it, nothing dated after today, and each
entity's running bank balance carried across months.
"""

from __future__ import annotations

from datetime import date

from core.ledger.accounts import BANK
from core.ledger.store import NewEntry

FIXED, VARIABLE = "fixed", "variable"


class DemoBook:
    """Builds entries for one month, dropping anything dated after today."""

    def __init__(self, today: date, cash: dict[str, int], start: date) -> None:
        self.today = today
        self.start = start  # nothing is dated before the first month
        self.cash = cash  # running bank balance per entity, carried across months
        self.entries: list[NewEntry] = []

    def add(
        self, entity: str, day: date, text: str, lines: list[tuple[str, int]], **kw: object
    ) -> None:
        """Add an entry dated ``day`` unless that is after today."""
        if day <= self.today:
            self.entries.append(NewEntry(entity, day, text, lines, source="demo", **kw))  # type: ignore[arg-type]
            self.cash[entity] = self.cash.get(entity, 0) + sum(c for a, c in lines if a == BANK)

    def pay(
        self, entity: str, day: date, text: str, account: str, cents: int, behavior: str
    ) -> None:
        """An expense paid from the bank, with the account's cost behavior."""
        self.add(
            entity,
            day,
            text,
            [(account, cents), (BANK, -cents)],
            cost_behaviors={account: behavior},
        )

    def earn(self, entity: str, day: date, text: str, account: str, cents: int) -> None:
        """Income received into the bank."""
        self.add(entity, day, text, [(BANK, cents), (account, -cents)])
