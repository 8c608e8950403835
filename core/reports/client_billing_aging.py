"""The client-billing audit's AR aging: open invoices by days past due on any chosen day."""

from __future__ import annotations

from datetime import date

from core.ledger.accounts import RECEIVABLE
from core.metrics import billing as bm
from core.records.store import account_balance_on
from core.reports.client_billing_data import Billing
from core.reports.formatting import dollars
from core.reports.model import Chart, Column, Finding, Section, Series, Table
from core.reports.palette import BLUE


def aging_section_id() -> str:
    """The id of the AR aging section (pages place the as-of picker above it)."""
    return "aging"


def aging_section(data: Billing, day: date) -> Section:
    """Receivables by days past the due date on ``day``, reconciled to the ledger."""
    open_items = data.open_on(day)
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
        ledger = account_balance_on(data.store, data.ids, RECEIVABLE, day)
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
