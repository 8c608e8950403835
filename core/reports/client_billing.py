"""The client-billing audit: clients, retainers and hourly projects, time, unbilled work,
invoices, AR aging by due date as of any chosen date, revenue concentration and the
effective hourly rate.

Covers the scope's entities that have invoices or clients. Invoices reconcile to the billing
income (Income:Consulting and Income:Projects, intercompany excluded) and the aging total to
Assets:AccountsReceivable on the same date.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.ledger.models_records import Client, Invoice
from core.ledger.store import LedgerStore
from core.metrics import billing as bm
from core.metrics.receivables import AR_AGE_DAYS
from core.periods import month_add, month_label, month_short
from core.records.billing_queries import (
    Worked,
    invoices_between,
)
from core.records.store import entities_with
from core.records.window import window
from core.reports.ceo_data import OverdueReceivables
from core.reports.client_billing_aging import aging_section
from core.reports.client_billing_aging import aging_section_id as aging_section_id
from core.reports.client_billing_data import BILLING_KPIS, FLOWS, Billing, rate_per_hour
from core.reports.common import (
    PaceBasis,
    compared_kpis,
    frame,
    memo,
    today_in,
    trend,
    ytd_comparisons,
)
from core.reports.formatting import dollars, pct
from core.reports.model import Chart, Column, Finding, KpiGroup, Report, Section, Series, Table
from core.reports.palette import BLUE, GREEN, GREY
from core.reports.reads import TargetMonths, scope_targets
from core.reports.scope import Scope
from core.reports.targets import directions, ytd_with_targets


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
    invoiced = entities_with(store, Invoice, scope.entity_ids)
    ids = sorted(set(invoiced) | set(entities_with(store, Client, scope.entity_ids)))
    m = scope.period
    first, last = window(m, today)
    aging_day = as_of or last
    overdue = OverdueReceivables(store, scope, invoiced=invoiced)
    data = Billing(store, ids, m, today, aging_day, overdue)
    if ids:  # the KPIs' three months' ledger lines in one read
        overdue.on([window(month, today)[1] for month in (m, month_add(m, -1), month_add(m, -12))])
    # the KPIs' targets of the period, the flows' of the year to date
    targets = scope_targets(store, scope, months=TargetMonths(m // 100 * 100 + 1, m, FLOWS))
    values = memo(data.values)
    pace = PaceBasis(today, FLOWS, data.through)
    kpis = compared_kpis(BILLING_KPIS, values, m, lambda kid: targets.get((kid, m)), pace)
    headline: list = [
        KpiGroup(["billed_revenue", "unbilled_work", "ar_outstanding", "ar_past_due"]),
        KpiGroup(["ar_over_60", "top_client_share", "effective_hourly_rate", "hours_logged"]),
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
        ytd=ytd_with_targets(
            ytd_comparisons(FLOWS, data.flows, m, pace),
            directions(BILLING_KPIS),
            targets,
            m,
            today=pace.today,
        ),
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
            aging_section(data, aging_day),
        ],
    )


def _findings(data: Billing, first: date, last: date) -> list[Finding]:
    out: list[Finding] = []
    by_client = data.invoiced.by_client(first, last)
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
    open_items = data.open_on(last)
    late = [o for o in open_items if o.days_past_due > AR_AGE_DAYS]
    if late:
        out.append(
            Finding(
                f"{len(late)} invoice{'s' if len(late) > 1 else ''} "
                f"(${sum(o.open_cents for o in late) / 100:,.0f}) "
                f"{'are' if len(late) > 1 else 'is'} more than {AR_AGE_DAYS} days past due "
                f"on {last}.",
                "bad" if any(o.days_past_due > 90 for o in late) else "watch",
            )
        )
    unbilled = data.unbilled(last)
    if unbilled:
        out.append(
            Finding(f"${unbilled / 100:,.0f} of project time is worked but not invoiced on {last}.")
        )
    return out


def _clients(data: Billing, first: date, last: date) -> Table:
    invoiced = data.invoiced.by_client(first, last)
    fees = data.invoiced.by_client(first, last, "retainer")
    total = sum(invoiced.values())
    open_by = bm.aging_by_client(data.open_on(last))
    retained = {r.client_id for r in data.retainers}
    worked = data.time.by_client(first, last)
    rows = []
    for c in data.clients:
        mine = worked.get(c.id, Worked())
        rate = rate_per_hour(mine.value + fees.get(c.id, 0), mine.minutes)
        if not (invoiced.get(c.id) or mine.count or open_by.get(c.id)):
            continue  # no activity in the period: keep the table to the clients that matter
        rows.append(
            {
                "client": c.name,
                "billing": "retainer" if c.id in retained else "hourly projects",
                "terms": f"net {c.terms_days}",
                "invoiced": dollars(invoiced.get(c.id, 0)),
                "share": pct(100 * invoiced.get(c.id, 0) / total) if total else None,
                "hours": round(mine.minutes / 60, 1),
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


def _concentration_chart(data: Billing, first: date, last: date) -> Chart:
    by_client = data.invoiced.by_client(first, last)
    return Chart(
        id="concentration",
        title="Invoiced by client",
        x=[data.names.get(c, c) for c in by_client],
        series=[Series("Invoiced", [dollars(v) for v in by_client.values()], "bar", BLUE)],
    )


def _engagements(data: Billing, last: date) -> Table:
    rows = []
    for r in data.retainers:
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
    for p in data.running:  # running on the period's as-of day, ``last``
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


def _time_chart(data: Billing, m: int) -> Chart:
    months = trend(m)
    hours, rates = [], []
    for x in months:
        first, last = window(x, data.today)
        hours.append(round(data.time.between(first, last).minutes / 60, 1))
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


def _unbilled(data: Billing, last: date) -> Table:
    cells = data.unbilled_projects(last)
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
                "client": data.names.get(p.client_id, ""),
                "project": f"{p.name} ({p.project_id.split(':')[-1]})",
                "hours": round(p.minutes / 60, 2),
                "rate": dollars(p.rate_cents),
                "value": dollars(int(p.value)),
            }
            for p in cells
        ],
    )


def _invoices(data: Billing, first: date, last: date) -> Table:
    open_items = {o.invoice.id: o for o in data.open_on(last)}
    shown = invoices_between(data.store, data.ids, first, last)
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
                "paid": str(i.paid_on) if i.paid_on and i.id not in open_items else "",
                "open": dollars(open_items[i.id].open_cents) if i.id in open_items else 0.0,
            }
            for i in shown
        ],
    )
