"""Budget against actual per account group, for a report's month and its year to date.

An account group is a budgeted account path: its actual is every ledger account at that path
or below it, in the natural sense (income earned, money spent). A consolidated scope sums its
entities' budgets by path and leaves intercompany lines out of the actuals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from core.budgets.records import budgets
from core.ledger.store import LedgerStore, TotalRow
from core.periods import format_period
from core.reports.request import ReportRequest, resolve_request


@dataclass(frozen=True)
class VarianceRow:
    """One account group: budget and actual (cents) for the month and the year to date."""

    account: str
    budget_month: int
    actual_month: int
    budget_ytd: int
    actual_ytd: int

    @property
    def is_income(self) -> bool:
        """Income: more than budget is good; expenses: less is."""
        return self.account.startswith("Income")

    @property
    def variance_month(self) -> int:
        """Actual minus budget in the month."""
        return self.actual_month - self.budget_month

    @property
    def variance_ytd(self) -> int:
        """Actual minus budget in the year to date."""
        return self.actual_ytd - self.budget_ytd

    def favorable(self, variance: int) -> bool:
        """True when ``variance`` of this group is good news (or nothing)."""
        return variance >= 0 if self.is_income else variance <= 0


@dataclass(frozen=True)
class BudgetVsActual:
    """The comparison of one scope and month; ``rows`` empty when nothing is budgeted."""

    entity: str
    entity_name: str
    period: int
    rows: list[VarianceRow]

    @property
    def ytd_label(self) -> str:
        """The year-to-date span, e.g. ``2026-01 to 2026-05``."""
        return f"{format_period(self.period // 100 * 100 + 1)} to {format_period(self.period)}"


def budget_vs_actual(store: LedgerStore, request: ReportRequest) -> BudgetVsActual:
    """Budget, actual and variance per budgeted account group for the request's scope."""
    scope = resolve_request(store, request)
    month = request.period
    january = month // 100 * 100 + 1
    budget_month: dict[str, int] = defaultdict(int)
    budget_ytd: dict[str, int] = defaultdict(int)
    for b in budgets(store, scope.entity_ids, january, month):
        budget_ytd[b.account] += b.amount_cents
        if b.month == month:
            budget_month[b.account] += b.amount_cents
    accounts = sorted(budget_ytd, key=lambda a: (not a.startswith("Income"), a))
    rows = [
        r
        for r in store.monthly_rows(scope.entity_ids)
        if january <= r.month <= month and not (scope.consolidated and r.intercompany)
    ]
    return BudgetVsActual(
        entity=scope.entity,
        entity_name=scope.name,
        period=month,
        rows=[
            VarianceRow(
                account=a,
                budget_month=budget_month[a],
                actual_month=_actual(rows, a, first=month),
                budget_ytd=budget_ytd[a],
                actual_ytd=_actual(rows, a, first=january),
            )
            for a in accounts
        ],
    )


def _actual(rows: list[TotalRow], account: str, *, first: int) -> int:
    """Natural-sense total of the rows at or under ``account`` from month ``first`` on."""
    under = account + ":"
    cents = sum(
        r.cents
        for r in rows
        if r.month >= first and (r.path == account or r.path.startswith(under))
    )
    return -cents if account.startswith("Income") else cents
