"""What the client-billing audit reads: the windows of a scope's billing records that the
report of a month needs, and each month's KPI values from them."""

from __future__ import annotations

from datetime import date

from core.ledger.store import LedgerStore
from core.metrics import billing as bm
from core.metrics.billing import OpenInvoice
from core.periods import first_day, month_add
from core.records.billing_queries import (
    InvoicedByDay,
    TimeByDay,
    clients_of,
    open_invoices_on,
    projects_running,
    retainers_of,
)
from core.records.unbilled_queries import (
    UnbilledProject,
    unbilled_on,
    unbilled_on_days,
    unbilled_with_projects,
)
from core.records.window import window
from core.reports.ceo_data import OverdueReceivables
from core.reports.common import KpiDef, trend
from core.reports.formatting import dollars, pct

BILLING_KPIS: list[KpiDef] = [
    ("billed_revenue", "Invoiced", "USD", "up"),
    ("unbilled_work", "Unbilled work", "USD", "down"),
    ("ar_outstanding", "Receivables", "USD", "down"),
    ("ar_past_due", "Past due", "USD", "down"),
    ("ar_over_60", "AR over 60 days", "USD", "down"),
    ("top_client_share", "Top client share", "percent", "down"),
    ("effective_hourly_rate", "Effective hourly rate", "USD/hour", "up"),
    ("hours_logged", "Hours logged", "number", "up"),
]
FLOWS = (
    "billed_revenue",
    "hours_logged",
)  # summed year to date; the rest are rates, counts or balances


class Billing:
    """The windows of a scope's billing records that the report of ``month`` reads, with
    each month's figures."""

    def __init__(
        self,
        store: LedgerStore,
        ids: list[str],
        month: int,
        today: date,
        aging_day: date,
        overdue: OverdueReceivables,
    ) -> None:
        self.store = store
        self.ids = ids
        self.today = today
        self.overdue = overdue  # the scope's, as the CEO report reads it
        months = trend(month)
        start = window(min(months[0], month_add(month // 100 * 100 + 1, -12)), today)[0]
        last = window(month, today)[1]
        self.time = TimeByDay(store, ids, start, last)
        self.invoiced = InvoicedByDay(store, ids, start, last)
        self.clients = clients_of(store, ids)
        self.retainers = retainers_of(store, ids)
        self.names = {c.id: c.name for c in self.clients}
        compared = [
            window(x, today)[1] for x in (month, month_add(month, -1), month_add(month, -12))
        ]
        # the invoices themselves of the period's as-of day and the aging's (the tables); the
        # KPIs of the compared months need only their sums, read together in one pass
        self._open = open_invoices_on(store, ids, [last, aging_day])
        overdue.invoice_totals(compared)
        # the compared months' unbilled work in one statement (the period's comes below)
        self._unbilled = unbilled_on_days(store, ids, [d for d in compared if d != last])
        # hourly projects running on the period's as-of day (the engagements table), which
        # the unbilled table's projects are mostly among
        self.running = projects_running(store, ids, last)
        # the period's as-of day: its total and the per-project table come from one read
        self._unbilled[last], self._projects = unbilled_with_projects(
            store, ids, last, known={p.id: p for p in self.running}
        )
        self._projects_day = last

    def open_on(self, day: date) -> list[OpenInvoice]:
        """The invoices open on ``day``, oldest due first."""
        if day not in self._open:
            self._open.update(open_invoices_on(self.store, self.ids, [day]))
        return self._open[day]

    def unbilled(self, day: date) -> int:
        """Billable time worked by ``day`` and not invoiced by then (cents)."""
        if day not in self._unbilled:
            self._unbilled[day] = unbilled_on(self.store, self.ids, day)
        return self._unbilled[day]

    def unbilled_projects(self, day: date) -> list[UnbilledProject]:
        """Unbilled project time on ``day`` per project, most valuable first."""
        if day != self._projects_day:
            return unbilled_with_projects(self.store, self.ids, day)[1]
        return self._projects

    def rate(self, first: date, last: date) -> float | None:
        """(retainer fees + value of project time) per hour logged in [first, last], cents."""
        worked = self.time.between(first, last)
        fees = sum(self.invoiced.by_client(first, last, "retainer").values())
        return rate_per_hour(fees + worked.value, worked.minutes)

    def flows(self, month: int) -> dict[str, float | None]:
        """Just the summable KPIs of a month (year to date needs 24 months of them)."""
        return self.through(month, window(month, self.today)[1])

    def through(self, month: int, day: date) -> dict[str, float | None]:
        """The summable KPIs of ``month`` from its 1st to ``day`` (a month under way's pace)."""
        if not self.ids:
            return dict.fromkeys(FLOWS)
        first, last = first_day(month), day
        return {
            "billed_revenue": dollars(sum(self.invoiced.by_client(first, last).values())),
            "hours_logged": round(self.time.between(first, last).minutes / 60, 1),
        }

    def values(self, month: int) -> dict[str, float | None]:
        """Every KPI of a month; "AR over 60 days" covers the scope's receivables of any kind
        (the same figure as the CEO report's), the rest the billing records."""
        if not self.ids:  # the report does not apply: no figure at all
            return dict.fromkeys(k[0] for k in BILLING_KPIS)
        first, last = window(month, self.today)
        by_client = self.invoiced.by_client(first, last)
        open_sums = self.overdue.invoice_totals([last])[last].values()
        rate = self.rate(first, last)
        return {
            "billed_revenue": dollars(sum(by_client.values())),
            "unbilled_work": dollars(self.unbilled(last)),
            "ar_outstanding": dollars(sum(t.open for t in open_sums)),
            "ar_past_due": dollars(sum(t.past_due for t in open_sums)),
            "ar_over_60": dollars(self.overdue.total(last)),
            "top_client_share": pct(bm.top_client_share(by_client)),
            "effective_hourly_rate": None if rate is None else round(rate / 100, 2),
            "hours_logged": round(self.time.between(first, last).minutes / 60, 1),
        }


def rate_per_hour(revenue_cents: int, minutes: int) -> float | None:
    """Revenue per hour logged in cents (``metrics.billing.effective_hourly_rate`` from the
    total minutes); None without hours."""
    return revenue_cents * 60 / minutes if minutes else None
