"""Client billing metrics: AR aging as of any date, unbilled work, concentration, hourly rate.

Pure functions over the billing records (``core.ledger.models_records``). Money is integer cents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from core.ledger.models_records import Invoice, InvoicePayment, TimeEntry

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def bucket_of(days_past_due: int) -> str:
    """The aging bucket of an invoice this many days past its due date (<= 0: current)."""
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "90+"


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with money still owed on a date."""

    invoice: Invoice
    open_cents: int
    days_past_due: int
    bucket: str


def open_invoices(
    invoices: Iterable[Invoice], payments: Iterable[InvoicePayment], as_of: date
) -> list[OpenInvoice]:
    """Invoices issued by ``as_of`` less payments received by then, oldest due first."""
    paid: dict[str, int] = defaultdict(int)
    for p in payments:
        if p.paid_on <= as_of:
            paid[p.invoice_id] += p.amount_cents
    out = []
    for inv in invoices:
        if inv.issued_on > as_of:
            continue
        left = inv.amount_cents - paid[inv.id]
        if left:
            late = (as_of - inv.due_on).days
            out.append(OpenInvoice(inv, left, late, bucket_of(late)))
    return sorted(out, key=lambda o: (o.invoice.due_on, o.invoice.number))


def aging_totals(open_items: Iterable[OpenInvoice]) -> dict[str, int]:
    """Open cents per bucket, every bucket present, in bucket order."""
    out = dict.fromkeys(BUCKETS, 0)
    for o in open_items:
        out[o.bucket] += o.open_cents
    return out


def overdue_by_entity(open_items: Iterable[OpenInvoice], days: int) -> dict[str, int]:
    """Open cents more than ``days`` days past due, per entity with any."""
    out: dict[str, int] = defaultdict(int)
    for o in open_items:
        if o.days_past_due > days:
            out[o.invoice.entity_id] += o.open_cents
    return dict(out)


def aging_by_client(open_items: Iterable[OpenInvoice]) -> dict[str, dict[str, int]]:
    """Open cents per client id and bucket."""
    out: dict[str, dict[str, int]] = {}
    for o in open_items:
        row = out.setdefault(o.invoice.client_id, dict.fromkeys(BUCKETS, 0))
        row[o.bucket] += o.open_cents
    return out


def unbilled(entries: Iterable[TimeEntry], issued: Mapping[str, date], as_of: date) -> int:
    """Billable time worked by ``as_of`` not on an invoice issued by then (``issued``: invoice
    id -> issue date)."""
    total = 0
    for e in entries:
        if e.rate_cents and e.day <= as_of:
            when = issued.get(e.invoice_id) if e.invoice_id else None
            if when is None or when > as_of:
                total += e.minutes * e.rate_cents // 60
    return total


def invoiced_between(invoices: Iterable[Invoice], first: date, last: date) -> list[Invoice]:
    """Invoices issued in [first, last]."""
    return [i for i in invoices if first <= i.issued_on <= last]


def revenue_by_client(invoices: Iterable[Invoice]) -> dict[str, int]:
    """Invoiced cents per client id, largest first."""
    out: dict[str, int] = defaultdict(int)
    for i in invoices:
        out[i.client_id] += i.amount_cents
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def top_client_share(by_client: Mapping[str, int]) -> float | None:
    """The largest client's percent of the total; None when nothing was invoiced."""
    total = sum(by_client.values())
    if total <= 0:
        return None
    return 100 * max(by_client.values()) / total


def hours(entries: Iterable[TimeEntry]) -> float:
    """Hours logged."""
    return sum(e.minutes for e in entries) / 60


def effective_hourly_rate(revenue_cents: int, entries: Sequence[TimeEntry]) -> float | None:
    """Invoiced revenue per hour logged (retainer and project time), in cents; None without
    hours."""
    minutes = sum(e.minutes for e in entries)
    if not minutes:
        return None
    return revenue_cents * 60 / minutes
