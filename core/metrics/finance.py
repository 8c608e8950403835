"""Finance metrics over monthly account totals (CONTRACT section 4).

All money is integer cents; Income is credited (negative in the ledger) and reported positive.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from core.ledger.store import TotalRow
from core.periods import month_add

WINDOW = 3  # months in the burn-rate and break-even windows


def is_cash_account(path: str) -> bool:
    """Cash is ``Assets:Bank:*`` and ``Assets:Cash:*``."""
    return path.startswith(("Assets:Bank:", "Assets:Cash:")) or path in (
        "Assets:Bank",
        "Assets:Cash",
    )


def is_deferred_revenue(path: str) -> bool:
    """Deferred revenue is ``Liabilities:DeferredRevenue`` and its children."""
    return path == "Liabilities:DeferredRevenue" or path.startswith("Liabilities:DeferredRevenue:")


@dataclass
class MonthFigures:
    """One month's flows, in cents."""

    revenue: int = 0
    expenses: int = 0
    fixed: int = 0
    variable: int = 0
    cash_change: int = 0
    deferred_change: int = 0
    owner_flow: int = 0  # net Equity debits: paid to owners (+) less put in by owners (-)


class FinanceSeries:
    """Monthly flows of one scope with the balances and ratios derived from them."""

    def __init__(self, months: dict[int, MonthFigures]) -> None:
        self._months = months
        self._order = sorted(months)
        self._cash = list(accumulate(months[m].cash_change for m in self._order))
        # cash as if owners had neither taken nor put in money: what operations alone left
        self._operating = list(
            accumulate(months[m].cash_change + months[m].owner_flow for m in self._order)
        )
        self._deferred = list(accumulate(months[m].deferred_change for m in self._order))

    @classmethod
    def from_rows(cls, rows: Iterable[TotalRow], *, consolidated: bool) -> FinanceSeries:
        """Build from rollup rows; a consolidated scope drops intercompany lines."""
        months: dict[int, MonthFigures] = {}
        for r in rows:
            if consolidated and r.intercompany:
                continue
            f = months.setdefault(r.month, MonthFigures())
            if r.root == "Income":
                f.revenue -= r.cents
            elif r.root == "Expenses":
                f.expenses += r.cents
                if r.cost_behavior == "variable":
                    f.variable += r.cents
                else:
                    f.fixed += r.cents
            elif is_cash_account(r.path):
                f.cash_change += r.cents
            elif is_deferred_revenue(r.path):
                f.deferred_change -= r.cents
            elif r.root == "Equity":
                f.owner_flow += r.cents
        return cls(months)

    @property
    def months(self) -> list[int]:
        """Months with any activity, oldest first."""
        return list(self._order)

    def month(self, m: int) -> MonthFigures:
        """Flows of one month (zeros when nothing happened)."""
        return self._months.get(m) or MonthFigures()

    def revenue(self, m: int) -> int:
        """Recognized income in the month."""
        return self.month(m).revenue

    def expenses(self, m: int) -> int:
        """Expenses in the month."""
        return self.month(m).expenses

    def net_income(self, m: int) -> int:
        """Revenue minus expenses."""
        return self.revenue(m) - self.expenses(m)

    def _balance(self, running: list[int], m: int) -> int:
        i = bisect_right(self._order, m)
        return running[i - 1] if i else 0

    def cash(self, m: int) -> int:
        """Cash balance at the end of the month."""
        return self._balance(self._cash, m)

    def deferred_revenue(self, m: int) -> int:
        """Deferred revenue (a liability, positive) at the end of the month."""
        return self._balance(self._deferred, m)

    def owner_distributions(self, m: int) -> int:
        """Money paid to owners in the month less money they put in (Equity flows, netted)."""
        return self.month(m).owner_flow

    def burn_rate(self, m: int) -> float:
        """Mean monthly net decrease in cash over the window ending with ``m``, leaving out
        the flows with owners (Equity: contributions, distributions, draws); 0 if none."""
        operating = self._balance(self._operating, m)
        before = self._balance(self._operating, month_add(m, -WINDOW))
        decrease = (before - operating) / WINDOW
        return decrease if decrease > 0 else 0.0

    def runway_months(self, m: int) -> float | None:
        """Cash over burn rate; None when there is no burn."""
        burn = self.burn_rate(m)
        return self.cash(m) / burn if burn else None

    def break_even_revenue(self, m: int) -> float | None:
        """Fixed / (1 - variable / revenue) on window means; None when variable >= revenue."""
        window = [self.month(month_add(m, -k)) for k in range(WINDOW)]
        revenue = sum(f.revenue for f in window) / WINDOW
        variable = sum(f.variable for f in window) / WINDOW
        fixed = sum(f.fixed for f in window) / WINDOW
        if revenue <= 0 or variable >= revenue:
            return None
        return fixed / (1 - variable / revenue)
