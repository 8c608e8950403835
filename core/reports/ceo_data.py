"""What the CEO report reads from the ledger beyond the monthly totals: overdue receivables
(shared with client billing) and each entity's revenue against its target."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from core.ledger.accounts import RECEIVABLE
from core.ledger.lines import LineQuery, debits_in_windows
from core.ledger.models_records import Invoice
from core.ledger.store import LedgerStore, TotalRow
from core.metrics.finance import FinanceSeries
from core.metrics.portfolio import Gap, revenue_gap
from core.metrics.receivables import AR_AGE_DAYS, owed_older_than_window
from core.periods import last_day, month_of
from core.records.billing_queries import OpenTotals, open_totals_on
from core.records.store import entities_with
from core.reports.reads import Reads
from core.reports.scope import Scope


class OverdueReceivables:
    """Receivables more than ``AR_AGE_DAYS`` days past their due date and unpaid on a day, per
    entity of a scope: the one definition of "AR over 60 days" every report shows.

    An entity that keeps invoices (client billing) ages each invoice from its due date by its
    own payments; the others' receivables (rent charges post on their due date, ledger
    entries) are due the day they are booked, payments settling the oldest first (FIFO)."""

    def __init__(
        self,
        store: LedgerStore,
        scope: Scope,
        rows: list[TotalRow] | None = None,
        invoiced: list[str] | None = None,
    ) -> None:
        """``rows``: the scope's monthly rows when already read; ``invoiced``: the scope's
        entities that keep invoices, when already known."""
        self.store, self.scope, self._rows = store, scope, rows
        if invoiced is None:
            invoiced = entities_with(store, Invoice, scope.entity_ids)
        self.invoiced = invoiced
        self.booked = [e for e in scope.entity_ids if e not in set(self.invoiced)]
        self._on: dict[date, dict[str, int]] = {}
        self._invoice_totals: dict[date, dict[str, OpenTotals]] = {}

    def invoice_totals(self, days: Sequence[date]) -> dict[date, dict[str, OpenTotals]]:
        """The invoicing entities' open invoice sums on each of ``days`` (``overdue``: more
        than ``AR_AGE_DAYS`` past due), the days not read yet in one read."""
        missing = sorted(set(days) - set(self._invoice_totals))
        if missing:
            self._invoice_totals.update(
                open_totals_on(self.store, self.invoiced, missing, AR_AGE_DAYS)
            )
        return {day: self._invoice_totals[day] for day in days}

    def on(self, days: Sequence[date]) -> dict[date, dict[str, int]]:
        """Cents per entity owing any, on each of ``days`` (the days not read yet, in one
        read of the invoices and one of the lines)."""
        missing = sorted(set(days) - set(self._on))
        if missing:
            invoiced = self.invoice_totals(missing)
            booked = self._booked_on(missing)
            for day in missing:
                self._on[day] = {
                    **{e: t.overdue for e, t in invoiced[day].items() if t.overdue},
                    **{e: c for e, c in booked[day].items() if c},
                }
        return {day: self._on[day] for day in days}

    def total(self, day: date) -> int:
        """Cents over the whole scope on ``day``."""
        return sum(self.on([day])[day].values())

    def _booked_on(self, days: Sequence[date]) -> dict[date, dict[str, int]]:
        """FIFO over the receivable lines: the balance at each day's month end from the
        monthly totals, less the debits booked from ``AR_AGE_DAYS`` before the day on."""
        if not self.booked:
            return {d: {} for d in days}
        if self._rows is None:  # not shared by the caller: the receivable accounts only
            self._rows = self.store.monthly_rows_under(self.booked, RECEIVABLE)
        owed = [
            r
            for r in self._rows
            if r.entity_id in self.booked
            and (r.path == RECEIVABLE or r.path.startswith(RECEIVABLE + ":"))
            and not (self.scope.consolidated and r.intercompany)
        ]
        balances: list[dict[str, int]] = []
        windows: list[tuple[date, date]] = []
        for day in days:
            month = month_of(day)
            balance: dict[str, int] = defaultdict(int)
            for r in owed:
                if r.month <= month:
                    balance[r.entity_id] += r.cents
            balances.append({e: cents for e, cents in balance.items() if cents > 0})
            # booked on or after the window's first day: at most AR_AGE_DAYS days old
            windows.append((day - timedelta(days=AR_AGE_DAYS), last_day(month)))
        recent = debits_in_windows(
            self.store,
            sorted({e for owing in balances for e in owing}),
            LineQuery((RECEIVABLE,), exclude_intercompany=self.scope.consolidated),
            windows,
        )
        return {
            day: {e: owed_older_than_window(b, debits.get(e, 0)) for e, b in balance.items()}
            for day, balance, debits in zip(days, balances, recent, strict=True)
        }


def revenue_gaps(reads: Reads) -> list[Gap]:
    """Actual vs target revenue per entity (own books) and for the scope, month and YTD; the
    scope's target is ``Reads.targets``' (a portfolio's own, or its entities' summed)."""
    scope = reads.scope
    saved = reads.saved_targets  # read once per build, with the scope's own targets
    own = {e: {k: v for k, v in saved[e].items() if k[0] == "revenue"} for e in scope.entity_ids}
    income: dict[str, list[TotalRow]] = defaultdict(list)  # revenue reads these rows alone
    for r in reads.rows:
        if r.root == "Income":
            income[r.entity_id].append(r)
    gaps = [
        revenue_gap(
            reads.names.get(eid, eid),
            total=False,
            series=FinanceSeries.from_rows(income[eid], consolidated=False),
            targets=own[eid],
            month=scope.period,
        )
        for eid in scope.entity_ids
    ]
    if len(scope.entity_ids) > 1:
        gaps.append(
            revenue_gap(
                scope.name,
                total=True,
                series=reads.series,
                targets={k: v for k, v in reads.targets.items() if k[0] == "revenue"},
                month=scope.period,
            )
        )
    return gaps
