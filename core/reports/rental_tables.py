"""The rental audit's tables: rent roll, units, leases, maintenance tickets, trailing NOI and
lease expiries.
"""

from __future__ import annotations

from datetime import date

from core.metrics import rental as rm
from core.periods import month_add, month_label, month_of
from core.records.window import window
from core.reports.common import trend
from core.reports.formatting import dollars
from core.reports.model import Column, Table
from core.reports.rental_data import RentalData


def rent_roll_table(
    data: RentalData, m: int, first: date, last: date, unit_names: dict[str, str]
) -> Table:
    """The month's rent roll by unit, with a total row (it reconciles to Income:Rent)."""
    rows = rm.rent_roll(
        data.r.units, data.r.leases, data.r.charges, data.r.payments, m, first, last
    )
    out: list[dict[str, object]] = []
    for u, row in zip(data.r.units, rows, strict=True):
        out.append(
            {
                "unit": unit_names[u.id],
                "tenant": row.tenant or "(vacant)",
                "lease_start": str(row.lease_start or ""),
                "lease_end": str(row.lease_end or ""),
                "rent": dollars(row.rent_cents),
                "due": dollars(row.due_cents),
                "collected": dollars(row.collected_cents),
                "balance": dollars(row.balance_cents),
                "vacancy_days": row.vacancy_days,
            }
        )
    if out:
        out.append(
            {
                "unit": "Total",
                "tenant": "",
                "lease_start": "",
                "lease_end": "",
                "rent": dollars(sum(r.rent_cents or 0 for r in rows)),
                "due": dollars(sum(r.due_cents for r in rows)),
                "collected": dollars(sum(r.collected_cents for r in rows)),
                "balance": dollars(sum(r.balance_cents for r in rows)),
                "vacancy_days": sum(r.vacancy_days for r in rows),
            }
        )
    return Table(
        id="rent_roll",
        title=f"Rent roll, {month_label(m)} (collected by {last}; total = Income:Rent)",
        columns=[
            Column("unit", "Unit"),
            Column("tenant", "Tenant"),
            Column("lease_start", "Lease start"),
            Column("lease_end", "Lease end"),
            Column("rent", "Monthly rent", "USD"),
            Column("due", "Due", "USD"),
            Column("collected", "Collected", "USD"),
            Column("balance", "Balance", "USD"),
            Column("vacancy_days", "Vacancy days", "count"),
        ],
        rows=out,
    )


def units_table(data: RentalData, unit_names: dict[str, str]) -> Table:
    """Every unit with its bedrooms and asking rent."""
    return Table(
        id="units",
        title="Units",
        columns=[
            Column("unit", "Unit"),
            Column("bedrooms", "Bedrooms", "count"),
            Column("market_rent", "Asking rent", "USD"),
        ],
        rows=[
            {
                "unit": unit_names[u.id],
                "bedrooms": u.bedrooms,
                "market_rent": dollars(u.market_rent_cents),
            }
            for u in data.r.units
        ],
    )


def leases_table(data: RentalData, unit_names: dict[str, str]) -> Table:
    """Every lease, newest first, new tenant or renewal."""
    leases = sorted(data.r.leases, key=lambda x: (x.start, x.unit_id), reverse=True)
    return Table(
        id="leases",
        title="Leases (newest first)",
        columns=[
            Column("unit", "Unit"),
            Column("tenant", "Tenant"),
            Column("start", "Start"),
            Column("end", "End"),
            Column("rent", "Monthly rent", "USD"),
            Column("kind", "Kind"),
        ],
        rows=[
            {
                "unit": unit_names.get(x.unit_id, x.unit_id),
                "tenant": x.tenant,
                "start": str(x.start),
                "end": str(x.end),
                "rent": dollars(x.rent_cents),
                "kind": "renewal" if x.renewal_of else "new tenant",
            }
            for x in leases
        ],
    )


def tickets_table(data: RentalData, first: date, last: date, unit_names: dict[str, str]) -> Table:
    """Maintenance tickets opened over the trend's months up to ``last``, newest first."""
    since = window(trend(month_of(last))[0], data.today)[0]
    shown = [t for t in reversed(data.r.tickets) if since <= t.opened_on <= last]
    return Table(
        id="tickets",
        title=f"Maintenance tickets opened from {since} to {last} (newest first)",
        columns=[
            Column("ticket", "Ticket"),
            Column("unit", "Unit"),
            Column("category", "Category"),
            Column("description", "Description"),
            Column("opened", "Opened"),
            Column("closed", "Closed"),
            Column("cost", "Cost", "USD"),
        ],
        rows=[
            {
                "ticket": t.id.split(":")[-1],
                "unit": unit_names.get(t.unit_id, t.unit_id),
                "category": t.category,
                "description": t.description,
                "opened": str(t.opened_on),
                "closed": str(t.closed_on) if t.closed_on and t.closed_on <= last else "open",
                "cost": dollars(t.cost_cents if t.closed_on and t.closed_on <= last else 0),
            }
            for t in shown
        ],
    )


def noi_table(data: RentalData, m: int) -> Table:
    """Trailing-12-month income, operating expenses, NOI, valuation and cap rate."""
    income = opex = 0
    for i in range(12):
        t = data.totals.get(month_add(m, -i), {})
        income += -sum(c for p, c in t.items() if p.startswith("Income:"))
        opex += sum(
            c
            for p, c in t.items()
            if p.startswith("Expenses:") and not p.startswith(rm.NON_OPERATING)
        )
    noi = income - opex
    first = month_label(month_add(m, -11))
    return Table(
        id="noi",
        title=f"Trailing 12 months, {first} to {month_label(m)}",
        columns=[Column("line", "Line"), Column("amount", "Amount", "USD"), Column("note", "Note")],
        rows=[
            {"line": "Income", "amount": dollars(income), "note": "Income:* (rent)"},
            {
                "line": "Operating expenses",
                "amount": dollars(opex),
                "note": "Expenses:* less mortgage interest, depreciation, income tax",
            },
            {"line": "Net operating income", "amount": dollars(noi), "note": ""},
            {
                "line": "Stated valuation",
                "amount": dollars(data.valuation) if data.valuation else None,
                "note": ", ".join(f"{p.name} valued {p.valuation_date}" for p in data.r.properties),
            },
            {
                "line": "Cap rate",
                "amount": None,
                "note": f"{rm.cap_rate(noi, data.valuation):.2f}%" if data.valuation else "n/a",
            },
        ]
        if data.ids
        else [],
    )


def expiry_table(data: RentalData, last: date, unit_names: dict[str, str]) -> Table:
    """Leases in force or signed, by end date, with the days left."""
    leases = rm.lease_expiries(data.r.leases, last)
    return Table(
        id="lease_expiries",
        title="Leases in force or signed, by end date",
        columns=[
            Column("unit", "Unit"),
            Column("tenant", "Tenant"),
            Column("start", "Start"),
            Column("end", "Ends"),
            Column("days", "Days left", "count"),
            Column("ends_in", "Ends in"),
            Column("rent", "Monthly rent", "USD"),
        ],
        rows=[
            {
                "unit": unit_names.get(x.unit_id, x.unit_id),
                "tenant": x.tenant,
                "start": str(x.start),
                "end": str(x.end),
                "days": (x.end - last).days,
                "ends_in": month_label(month_of(x.end)),
                "rent": dollars(x.rent_cents),
            }
            for x in leases
        ],
    )
