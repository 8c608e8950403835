"""The client-billing audit: clients, retainers and hourly projects, time, unbilled work,
invoices, AR aging by due date as of any chosen date, revenue concentration and the
effective hourly rate.

Covers the scope's entities that have invoices or clients. Invoices reconcile to the billing
income (Income:Consulting and Income:Projects, intercompany excluded) and the aging total to
Assets:AccountsReceivable on the same date.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.audits.store import (
    RECEIVABLE,
    BillingRecords,
    account_balance_on,
    billing_records,
    entities_with,
)
from core.audits.window import pct, today_in, trend, window
from core.ledger.models_audits import Client, Invoice
from core.ledger.store import LedgerStore
from core.metrics import billing as bm
from core.periods import month_label, month_short
from core.reports.common import KpiDef, compared_kpis, frame, memo, ytd_comparisons
from core.reports.formatting import dollars
from core.reports.model import Chart, Column, Finding, KpiGroup, Report, Section, Series, Table
from core.reports.palette import AMBER, BLUE, GREEN, GREY, RED
from core.reports.scope import Scope

BUCKET_COLORS = [GREEN, AMBER, "#E67E22", RED, "#8E1B1B"]
BILLING_KPIS: list[KpiDef] = [
    ("billed_revenue", "Invoiced", "USD", "up"),
    ("unbilled_work", "Unbilled work", "USD", "down"),
    ("ar_outstanding", "Receivables", "USD", "down"),
    ("ar_past_due", "Past due", "USD", "down"),
    ("top_client_share", "Top client share", "percent", "down"),
    ("effective_hourly_rate", "Effective hourly rate", "USD/hour", "up"),
    ("hours_logged", "Hours logged", "number", "up"),
]
FLOWS = (
    "billed_revenue",
    "hours_logged",
)  # summed year to date; the rest are rates, counts or balances


class _Billing:
    """The billing records of a scope with each month's figures."""

    def __init__(self, store: LedgerStore, ids: list[str], today: date) -> None:
        self.ids = ids
        self.today = today
        self.r: BillingRecords = billing_records(store, ids)
        self.issued = {i.id: i.issued_on for i in self.r.invoices}
        self.names = {c.id: c.name for c in self.r.clients}
        self._by_day = sorted(self.r.time_entries, key=lambda e: e.day)  # for window lookups
        self._days = [e.day for e in self._by_day]

    def entries(self, first: date, last: date) -> list:
        lo = bisect_left(self._days, first)
        hi = bisect_right(self._days, last)
        return self._by_day[lo:hi]

    def rate(self, first: date, last: date) -> float | None:
        """(retainer fees + value of project time) per hour logged in [first, last], cents."""
        entries = self.entries(first, last)
        fees = sum(
            i.amount_cents
            for i in bm.invoiced_between(self.r.invoices, first, last)
            if i.kind == "retainer"
        )
        worked = sum(e.minutes * e.rate_cents // 60 for e in entries)
        return bm.effective_hourly_rate(fees + worked, entries)

    def flows(self, month: int) -> dict[str, float | None]:
        """Just the summable KPIs of a month (year to date needs 24 months of them)."""
        if not self.ids:
            return dict.fromkeys(FLOWS)
        first, last = window(month, self.today)
        invoiced = bm.invoiced_between(self.r.invoices, first, last)
        return {
            "billed_revenue": dollars(sum(i.amount_cents for i in invoiced)),
            "hours_logged": round(bm.hours(self.entries(first, last)), 1),
        }

    def values(self, month: int) -> dict[str, float | None]:
        if not self.ids:
            return dict.fromkeys(k[0] for k in BILLING_KPIS)
        first, last = window(month, self.today)
        invoiced = bm.invoiced_between(self.r.invoices, first, last)
        open_items = bm.open_invoices(self.r.invoices, self.r.payments, last)
        rate = self.rate(first, last)
        return {
            "billed_revenue": dollars(sum(i.amount_cents for i in invoiced)),
            "unbilled_work": dollars(bm.unbilled(self.r.time_entries, self.issued, last)),
            "ar_outstanding": dollars(sum(o.open_cents for o in open_items)),
            "ar_past_due": dollars(sum(o.open_cents for o in open_items if o.days_past_due > 0)),
            "top_client_share": pct(bm.top_client_share(bm.revenue_by_client(invoiced))),
            "effective_hourly_rate": None if rate is None else round(rate / 100, 2),
            "hours_logged": round(bm.hours(self.entries(first, last)), 1),
        }


def build_client_billing(
    store: LedgerStore,
    scope: Scope,
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    as_of: date | None = None,
) -> Report:
    """Build the client-billing audit; ``as_of`` dates the AR aging (default: the period's
    end, or today while the period runs)."""
    today = today_in(tz, now)
    ids = sorted(
        set(entities_with(store, Invoice, scope.entity_ids))
        | set(entities_with(store, Client, scope.entity_ids))
    )
    data = _Billing(store, ids, today)
    m = scope.period
    targets = store.targets(scope.target_key) if scope.target_key else {}
    values = memo(data.values)
    kpis = compared_kpis(BILLING_KPIS, values, m, lambda kid: targets.get((kid, m)))
    first, last = window(m, today)
    aging_day = as_of or last
    headline: list = [
        KpiGroup(["billed_revenue", "unbilled_work", "ar_outstanding", "ar_past_due"]),
        KpiGroup(["top_client_share", "effective_hourly_rate", "hours_logged"]),
    ]
    if not ids:
        headline.append(Finding(f"No client-billing records for {scope.name}.", "info"))
    else:
        headline += _findings(data, first, last)
    return frame(
        report="client-billing",
        title="Client billing audit",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd_comparisons(FLOWS, data.flows, m),
        sections=[
            Section("headline", f"{scope.name} · {month_label(m)} · as of {last}", headline),
            Section(
                "clients",
                "Clients and revenue concentration",
                [_clients(data, first, last), _concentration_chart(data, first, last)],
            ),
            Section("engagements", "Retainers and hourly projects", [_engagements(data, last)]),
            Section(
                "time",
                "Time and unbilled work",
                [_time_chart(data, m), _unbilled(data, last)],
            ),
            Section("invoices", "Invoices", [_invoices(data, first, last)]),
            # last, so a page can put its as-of picker right above it
            _aging_section(store, data, aging_day),
        ],
    )


def aging_section_id() -> str:
    """The id of the AR aging section (pages place the as-of picker above it)."""
    return "aging"


def _findings(data: _Billing, first: date, last: date) -> list[Finding]:
    out: list[Finding] = []
    invoiced = bm.invoiced_between(data.r.invoices, first, last)
    by_client = bm.revenue_by_client(invoiced)
    share = bm.top_client_share(by_client)
    if share is not None:
        top = next(iter(by_client))
        out.append(
            Finding(
                f"{data.names.get(top, top)} was {share:.0f}% of the "
                f"${sum(by_client.values()) / 100:,.0f} invoiced from {first} to {last}.",
                "watch" if share >= 40 else "info",
            )
        )
    open_items = bm.open_invoices(data.r.invoices, data.r.payments, last)
    late = [o for o in open_items if o.days_past_due > 60]
    if late:
        out.append(
            Finding(
                f"{len(late)} invoices (${sum(o.open_cents for o in late) / 100:,.0f}) are more "
                f"than 60 days past due on {last}.",
                "bad" if any(o.days_past_due > 90 for o in late) else "watch",
            )
        )
    unbilled = bm.unbilled(data.r.time_entries, data.issued, last)
    if unbilled:
        out.append(
            Finding(f"${unbilled / 100:,.0f} of project time is worked but not invoiced on {last}.")
        )
    return out


def _clients(data: _Billing, first: date, last: date) -> Table:
    invoiced = bm.revenue_by_client(bm.invoiced_between(data.r.invoices, first, last))
    total = sum(invoiced.values())
    entries = data.entries(first, last)
    open_by = bm.aging_by_client(bm.open_invoices(data.r.invoices, data.r.payments, last))
    retained = {r.client_id for r in data.r.retainers}
    rows = []
    for c in data.r.clients:
        mine = [e for e in entries if e.client_id == c.id]
        value = sum(e.minutes * e.rate_cents // 60 for e in mine)
        fees = sum(
            i.amount_cents
            for i in bm.invoiced_between(data.r.invoices, first, last)
            if i.client_id == c.id and i.kind == "retainer"
        )
        rate = bm.effective_hourly_rate(value + fees, mine)
        if not (invoiced.get(c.id) or mine or open_by.get(c.id)):
            continue  # no activity in the period: keep the table to the clients that matter
        rows.append(
            {
                "client": c.name,
                "billing": "retainer" if c.id in retained else "hourly projects",
                "terms": f"net {c.terms_days}",
                "invoiced": dollars(invoiced.get(c.id, 0)),
                "share": pct(100 * invoiced.get(c.id, 0) / total) if total else None,
                "hours": round(bm.hours(mine), 1),
                "rate": None if rate is None else round(rate / 100, 2),
                "open": dollars(sum(open_by.get(c.id, {}).values())),
            }
        )
    rows.sort(key=lambda r: -(r["invoiced"] or 0))
    return Table(
        id="clients",
        title=f"Clients, {first} to {last}",
        columns=[
            Column("client", "Client"),
            Column("billing", "Billing"),
            Column("terms", "Terms"),
            Column("invoiced", "Invoiced", "USD"),
            Column("share", "Share (%)", "percent"),
            Column("hours", "Hours", "number"),
            Column("rate", "Effective rate / h", "USD"),
            Column("open", f"Open AR on {last}", "USD"),
        ],
        rows=rows,
    )


def _concentration_chart(data: _Billing, first: date, last: date) -> Chart:
    by_client = bm.revenue_by_client(bm.invoiced_between(data.r.invoices, first, last))
    return Chart(
        id="concentration",
        title="Invoiced by client",
        x=[data.names.get(c, c) for c in by_client],
        series=[Series("Invoiced", [dollars(v) for v in by_client.values()], "bar", BLUE)],
    )


def _engagements(data: _Billing, last: date) -> Table:
    rows = []
    for r in data.r.retainers:
        if r.start <= last and (r.end is None or r.end >= last):
            rows.append(
                {
                    "client": data.names.get(r.client_id, r.client_id),
                    "kind": "retainer",
                    "name": f"{r.hours_included} h/month included",
                    "start": str(r.start),
                    "end": str(r.end or ""),
                    "terms": dollars(r.monthly_cents),
                    "unit": "per month",
                }
            )
    for p in sorted(data.r.projects, key=lambda p: p.start, reverse=True):
        if p.start <= last and p.end >= last:
            rows.append(
                {
                    "client": data.names.get(p.client_id, p.client_id),
                    "kind": "hourly project",
                    "name": p.name,
                    "start": str(p.start),
                    "end": str(p.end),
                    "terms": dollars(p.rate_cents),
                    "unit": "per hour",
                }
            )
    return Table(
        id="engagements",
        title=f"Engagements running on {last}",
        columns=[
            Column("client", "Client"),
            Column("kind", "Kind"),
            Column("name", "Engagement"),
            Column("start", "Start"),
            Column("end", "End"),
            Column("terms", "Price", "USD"),
            Column("unit", "Per"),
        ],
        rows=rows,
    )


def _time_chart(data: _Billing, m: int) -> Chart:
    months = trend(m)
    hours, rates = [], []
    for x in months:
        first, last = window(x, data.today)
        hours.append(round(bm.hours(data.entries(first, last)), 1))
        rate = data.rate(first, last)
        rates.append(None if rate is None else round(rate / 100, 2))
    return Chart(
        id="hours_rate",
        title="Hours logged and effective hourly rate by month",
        x=[month_short(x) for x in months],
        series=[Series("Effective rate / h", rates, "line", GREEN)],
        unit="USD",
        secondary=Series("Hours", hours, "line", GREY),
        secondary_unit="hours",
    )


def _unbilled(data: _Billing, last: date) -> Table:
    projects = {p.id: p for p in data.r.projects}
    cells: dict[str, list[float]] = {}
    for e in data.r.time_entries:
        if not e.rate_cents or e.day > last or e.project_id is None:
            continue
        when = data.issued.get(e.invoice_id) if e.invoice_id else None
        if when is not None and when <= last:
            continue
        row = cells.setdefault(e.project_id, [0.0, 0.0])
        row[0] += e.minutes / 60
        row[1] += e.minutes * e.rate_cents // 60
    return Table(
        id="unbilled",
        title=f"Unbilled project time on {last}",
        columns=[
            Column("client", "Client"),
            Column("project", "Project"),
            Column("hours", "Hours", "number"),
            Column("rate", "Rate / h", "USD"),
            Column("value", "Value", "USD"),
        ],
        rows=[
            {
                "client": data.names.get(projects[pid].client_id, ""),
                "project": f"{projects[pid].name} ({pid.split(':')[-1]})",
                "hours": round(h, 2),
                "rate": dollars(projects[pid].rate_cents),
                "value": dollars(v),
            }
            for pid, (h, v) in sorted(cells.items(), key=lambda kv: -kv[1][1])
        ],
    )


def _invoices(data: _Billing, first: date, last: date) -> Table:
    paid: dict[str, date] = {}
    for p in data.r.payments:
        if p.paid_on <= last:
            paid[p.invoice_id] = max(paid.get(p.invoice_id, p.paid_on), p.paid_on)
    open_items = {o.invoice.id: o for o in bm.open_invoices(data.r.invoices, data.r.payments, last)}
    shown = bm.invoiced_between(data.r.invoices, first, last)
    return Table(
        id="invoices",
        title=f"Invoices issued from {first} to {last} (total = billing income)",
        columns=[
            Column("number", "Invoice"),
            Column("client", "Client"),
            Column("kind", "Kind"),
            Column("issued", "Issued"),
            Column("due", "Due"),
            Column("amount", "Amount", "USD"),
            Column("paid", "Paid on"),
            Column("open", "Open", "USD"),
        ],
        rows=[
            {
                "number": i.number,
                "client": data.names.get(i.client_id, i.client_id),
                "kind": i.kind,
                "issued": str(i.issued_on),
                "due": str(i.due_on),
                "amount": dollars(i.amount_cents),
                "paid": str(paid[i.id]) if i.id in paid and i.id not in open_items else "",
                "open": dollars(open_items[i.id].open_cents) if i.id in open_items else 0.0,
            }
            for i in shown
        ],
    )


def _aging_section(store: LedgerStore, data: _Billing, day: date) -> Section:
    open_items = bm.open_invoices(data.r.invoices, data.r.payments, day)
    totals = bm.aging_totals(open_items)
    by_client = bm.aging_by_client(open_items)
    rows = []
    for cid, buckets in sorted(by_client.items(), key=lambda kv: -sum(kv[1].values())):
        rows.append(
            {
                "client": data.names.get(cid, cid),
                **{b: dollars(v) for b, v in buckets.items()},
                "total": dollars(sum(buckets.values())),
            }
        )
    if rows:
        rows.append(
            {
                "client": "Total",
                **{b: dollars(v) for b, v in totals.items()},
                "total": dollars(sum(totals.values())),
            }
        )
    items: list = []
    if data.ids:
        ledger = account_balance_on(store, data.ids, RECEIVABLE, day)
        aged = sum(totals.values())
        same = ledger == aged
        items.append(
            Finding(
                f"AR aging total ${aged / 100:,.2f} on {day}; ledger {RECEIVABLE} balance "
                f"${ledger / 100:,.2f} on the same date: "
                + ("they agree." if same else f"they differ by ${(ledger - aged) / 100:,.2f}."),
                "info" if same else "bad",
            )
        )
    items += [
        Chart(
            id="aging",
            title=f"Receivables by days past due on {day}",
            x=list(bm.BUCKETS),
            series=[Series("Open", [dollars(totals[b]) for b in bm.BUCKETS], "bar", BLUE)],
        ),
        Table(
            id="aging_by_client",
            title=f"AR aging by client on {day} (by due date)",
            columns=[
                Column("client", "Client"),
                *[Column(b, b if b != "current" else "Current", "USD") for b in bm.BUCKETS],
                Column("total", "Total", "USD"),
            ],
            rows=rows,
        ),
        Table(
            id="open_invoices",
            title=f"Open invoices on {day}",
            columns=[
                Column("number", "Invoice"),
                Column("client", "Client"),
                Column("issued", "Issued"),
                Column("due", "Due"),
                Column("days", "Days past due", "count"),
                Column("bucket", "Bucket"),
                Column("open", "Open", "USD"),
            ],
            rows=[
                {
                    "number": o.invoice.number,
                    "client": data.names.get(o.invoice.client_id, o.invoice.client_id),
                    "issued": str(o.invoice.issued_on),
                    "due": str(o.invoice.due_on),
                    "days": max(o.days_past_due, 0),
                    "bucket": o.bucket,
                    "open": dollars(o.open_cents),
                }
                for o in open_items
            ],
        ),
    ]
    return Section(aging_section_id(), f"AR aging as of {day}", items)
