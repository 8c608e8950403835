"""Drill-down: the ledger lines behind a money KPI, which sum to it exactly.

Each drillable KPI names its lines (accounts, months) and how their sum becomes the KPI:
a sign (income is credited, so revenue is minus the sum) and, for a mean, a divisor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.errors import Invalid
from core.ledger.lines import LedgerLine, LineQuery, find_lines
from core.ledger.store import LedgerStore
from core.metrics.finance import WINDOW
from core.periods import month_add, month_label
from core.reports.request import ReportRequest, resolve_request
from core.reports.scope import Scope


@dataclass(frozen=True)
class DrillSpec:
    """How a KPI is made of lines: which lines, the sign, a divisor, and what it means."""

    query: Callable[[int, bool], LineQuery]  # (period, consolidated) -> lines
    sign: int
    explain: str
    divisor: int = 1
    absolute: bool = False  # sum of absolute amounts (e.g. uncategorized amount)


def _month(prefixes: tuple[str, ...]) -> Callable[[int, bool], LineQuery]:
    return lambda m, cons: LineQuery(prefixes, month_from=m, month_to=m, exclude_intercompany=cons)


def _through(prefixes: tuple[str, ...]) -> Callable[[int, bool], LineQuery]:
    return lambda m, cons: LineQuery(prefixes, month_to=m, exclude_intercompany=cons)


CASH = ("Assets:Bank", "Assets:Cash")
DRILLS: dict[str, DrillSpec] = {
    "revenue": DrillSpec(
        _month(("Income",)), -1, "Income lines in the month, credits shown positive."
    ),
    "expenses": DrillSpec(_month(("Expenses",)), 1, "Expense lines in the month."),
    "net_income": DrillSpec(
        _month(("Income", "Expenses")),
        -1,
        "Income and expense lines in the month: revenue − expenses.",
    ),
    "cash": DrillSpec(_through(CASH), 1, "Every bank and cash line up to the month's end."),
    "deferred_revenue": DrillSpec(
        _through(("Liabilities:DeferredRevenue",)),
        -1,
        "Deposits in and recognized, up to the month's end.",
    ),
    "burn_rate": DrillSpec(
        # the Equity lines cancel the cash paid to or put in by owners: burn leaves them out
        lambda m, cons: LineQuery(
            (*CASH, "Equity"),
            month_from=month_add(m, -(WINDOW - 1)),
            month_to=m,
            exclude_intercompany=cons,
        ),
        -1,
        f"Bank and cash lines of the last {WINDOW} months, with the Equity lines that cancel "
        f"money paid to or put in by owners; their net decrease ÷ {WINDOW}.",
        divisor=WINDOW,
    ),
    "owner_distributions": DrillSpec(
        _month(("Equity",)), 1, "Equity lines in the month: paid to owners less put in."
    ),
    # audits: the records post these lines, so the lines add up to the record-based KPI
    "rent_due": DrillSpec(_month(("Income:Rent",)), -1, "Rent charged in the month (Income:Rent)."),
    "billed_revenue": DrillSpec(
        lambda m, cons: LineQuery(
            ("Income:Consulting", "Income:Projects"),
            month_from=m,
            month_to=m,
            exclude_intercompany=True,  # intercompany work is not invoiced to clients
        ),
        -1,
        "Invoices to clients in the month (consulting and project income).",
    ),
    "maintenance_cost": DrillSpec(
        _month(("Expenses:Repairs",)), 1, "Repairs posted in the month (closed tickets)."
    ),
    "crew_cost": DrillSpec(_month(("Expenses:CrewFees",)), 1, "Delivery crew fees in the month."),
    "trial_balance_difference": DrillSpec(
        _through(()), 1, "Every line up to the month's end: debits minus credits."
    ),
    "uncategorized_amount": DrillSpec(
        lambda m, cons: LineQuery(exact_suffix=":Uncategorized", month_to=m),
        1,
        "Lines on *:Uncategorized accounts up to the month's end, in absolute value.",
        absolute=True,
    ),
}


@dataclass(frozen=True)
class DrillDown:
    """The lines behind one KPI and the value they add up to."""

    kpi_id: str
    period: str
    explain: str
    lines: list[LedgerLine]
    count: int
    value: float  # dollars, computed from every matching line exactly as the KPI is
    lines_sum: float  # dollars: the plain signed sum of the lines (before sign/divisor)
    sign: int = 1
    absolute: bool = False
    divisor: int = 1

    def amount(self, line: LedgerLine) -> float:
        """A line's amount in the KPI's sense (income positive), in dollars: these add up to
        the KPI (times the divisor, for a mean)."""
        cents = abs(line.cents) if self.absolute else self.sign * line.cents
        return cents / 100


def drillable(kpi_id: str) -> bool:
    """True when the KPI is a sum of ledger lines that can be listed."""
    return kpi_id in DRILLS


def drill_down(store: LedgerStore, scope: Scope, kpi_id: str, *, limit: int = 500) -> DrillDown:
    """The lines behind ``kpi_id`` for a resolved scope (entity filter applied in SQL)."""
    spec = DRILLS.get(kpi_id)
    if spec is None:
        raise Invalid(f"{kpi_id!r} is not made of ledger lines, so it has no drill-down")
    found = find_lines(
        store, scope.entity_ids, spec.query(scope.period, scope.consolidated), limit=limit
    )
    raw = found.total_abs_cents if spec.absolute else spec.sign * found.total_cents
    value = raw / spec.divisor
    if kpi_id == "burn_rate":
        value = max(value, 0.0)  # no burn when cash did not fall (CONTRACT section 4)
    return DrillDown(
        kpi_id=kpi_id,
        period=month_label(scope.period),
        explain=spec.explain,
        lines=found.lines,
        count=found.count,
        value=round(value / 100, 2),
        lines_sum=round(found.total_cents / 100, 2),
        sign=spec.sign,
        absolute=spec.absolute,
        divisor=spec.divisor,
    )


def drill_down_for(
    store: LedgerStore, request: ReportRequest, kpi_id: str, *, limit: int = 500
) -> DrillDown:
    """The lines behind ``kpi_id`` within the request's scope (checked against its reader)."""
    return drill_down(store, resolve_request(store, request), kpi_id, limit=limit)
