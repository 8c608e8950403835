"""The forecast's values: items, weeks, scenarios and the forecast itself (frozen, Decimal dollars).

Amounts are signed cash: positive money in, negative money out, in dollars to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

SOURCES = ("recurring", "invoice", "lease", "baseline", "one-off")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ForecastItem:
    """One expected cash movement and where it comes from."""

    date: date
    amount: Decimal
    account: str
    source: str  # "recurring" | "invoice" | "lease" | "baseline" | "one-off"
    label: str
    entity_id: str


@dataclass(frozen=True)
class ForecastWeek:
    """Seven days of the horizon: money in and out, and the cash at the end of the week."""

    start: date
    end: date
    inflow: Decimal
    outflow: Decimal  # negative or zero
    net: Decimal
    closing: Decimal
    items: tuple[ForecastItem, ...] = ()


@dataclass(frozen=True)
class Adjust:
    """Scale every flow on accounts at or under ``prefix`` by ``pct`` percent (-25: a quarter
    less), optionally only on the days ``start``..``end`` (inclusive)."""

    prefix: str
    pct: Decimal
    start: date | None = None
    end: date | None = None

    def applies(self, item: ForecastItem) -> bool:
        """True when ``item`` is on an account under the prefix and inside the window."""
        under = item.account == self.prefix or item.account.startswith(self.prefix + ":")
        after = self.start is None or item.date >= self.start
        before = self.end is None or item.date <= self.end
        return under and after and before


@dataclass(frozen=True)
class OneOff:
    """A signed cash movement on one day (a boat engine: -18000)."""

    day: date
    amount: Decimal
    label: str = ""


@dataclass(frozen=True)
class Scenario:
    """What-ifs applied over the forecast; ``name`` set when saved."""

    name: str | None = None
    adjusts: tuple[Adjust, ...] = ()
    one_offs: tuple[OneOff, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the scenario changes nothing."""
        return not self.adjusts and not self.one_offs


@dataclass(frozen=True)
class Forecast:
    """Weekly cash from the day after ``as_of``, opening with the cash at the end of ``as_of``."""

    entity: str
    as_of: date
    opening: Decimal
    weeks: tuple[ForecastWeek, ...]
    scenario: Scenario | None = None
    entity_ids: tuple[str, ...] = field(default=())

    @property
    def low_week(self) -> ForecastWeek:
        """The week with the lowest closing cash (the first such week on a tie)."""
        return min(self.weeks, key=lambda w: w.closing)

    @property
    def low_point(self) -> Decimal:
        """The lowest weekly closing cash."""
        return self.low_week.closing

    @property
    def closing(self) -> Decimal:
        """The cash at the end of the last week."""
        return self.weeks[-1].closing if self.weeks else self.opening

    @property
    def weeks_below_zero(self) -> int:
        """How many weeks close below zero."""
        return sum(1 for w in self.weeks if w.closing < 0)

    @property
    def items(self) -> tuple[ForecastItem, ...]:
        """Every item of every week, in date order."""
        return tuple(i for w in self.weeks for i in w.items)
