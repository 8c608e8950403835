"""The rental audit: units, leases, rent roll, collected vs due, vacancy, maintenance, NOI,
cap rate at the stated valuation, and the lease-expiry timeline.

Covers the scope's entities that have rental records; the rent roll reconciles to Income:Rent.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.ledger.models_records import RentalUnit
from core.ledger.store import LedgerStore
from core.metrics import rental as rm
from core.periods import month_add, month_label, month_of, month_short
from core.records.store import RentalRecords, entities_with, rental_records
from core.records.window import window
from core.reports.common import KpiDef, compared_kpis, frame, memo, today_in, trend, ytd_comparisons
from core.reports.formatting import dollars, pct
from core.reports.model import Chart, Column, Finding, KpiGroup, Report, Section, Series, Table
from core.reports.palette import AMBER, BLUE, GREEN, GREY
from core.reports.scope import Scope

RENTAL_KPIS: list[KpiDef] = [
    ("rent_due", "Rent due", "USD", "up"),
    ("rent_collected", "Rent collected", "USD", "up"),
    ("rent_collection_rate", "Collection rate", "percent", "up"),
    ("occupancy", "Occupancy", "percent", "up"),
    ("vacancy_days", "Vacancy days", "count", "down"),
    ("maintenance_cost", "Maintenance cost", "USD", "down"),
    ("open_tickets", "Open tickets", "count", "down"),
    ("noi", "Net operating income", "USD", "up"),
    ("cap_rate", "Cap rate (trailing 12 mo)", "percent", "up"),
]
FLOWS = (
    "rent_due",
    "rent_collected",
    "vacancy_days",
    "maintenance_cost",
    "noi",
)  # summed year to date; the rest are rates, counts or balances


class _Rental:
    """The records and ledger totals of a scope, with each month's figures."""

    def __init__(self, store: LedgerStore, ids: list[str], today: date) -> None:
        self.ids = ids
        self.today = today
        self.r: RentalRecords = rental_records(store, ids)
        totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for row in store.monthly_rows(ids):
            totals[row.month][row.path] += row.cents
        self.totals = totals
        self.valuation = sum(p.valuation_cents for p in self.r.properties)

    def noi(self, month: int) -> int:
        return rm.net_operating_income(self.totals.get(month, {}))

    def noi_12m(self, month: int) -> int:
        return sum(self.noi(month_add(month, -i)) for i in range(12))

    def values(self, month: int) -> dict[str, float | None]:
        if not self.ids:
            return dict.fromkeys(k[0] for k in RENTAL_KPIS)
        first, last = window(month, self.today)
        r = self.r
        return {
            "rent_due": dollars(rm.rent_due(r.charges, month)),
            "rent_collected": dollars(rm.rent_collected(r.payments, first, last)),
            "rent_collection_rate": pct(rm.collection_rate(r.charges, r.payments, month, last)),
            "occupancy": pct(rm.occupancy(r.units, r.leases, first, last)),
            "vacancy_days": float(rm.vacancy_days(r.units, r.leases, first, last)),
            "maintenance_cost": dollars(rm.maintenance_cost(r.tickets, first, last)),
            "open_tickets": float(rm.open_tickets(r.tickets, last)),
            "noi": dollars(self.noi(month)),
            "cap_rate": pct(rm.cap_rate(self.noi_12m(month), self.valuation))
            if self.valuation
            else None,
        }


def build_rental(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the rental audit for a resolved scope."""
    today = today_in(tz, now)
    ids = entities_with(store, RentalUnit, scope.entity_ids)
    data = _Rental(store, ids, today)
    m = scope.period
    targets = store.targets(scope.target_key) if scope.target_key else {}
    values = memo(data.values)
    kpis = compared_kpis(RENTAL_KPIS, values, m, lambda kid: targets.get((kid, m)))
    first, last = window(m, today)
    names = {e.id: e.name for e in store.list_entities()}
    headline: list = [
        KpiGroup(["rent_due", "rent_collected", "rent_collection_rate"]),
        KpiGroup(["occupancy", "vacancy_days", "maintenance_cost", "open_tickets"]),
        KpiGroup(["noi", "cap_rate"]),
    ]
    if not ids:
        headline.append(Finding(f"No rental records for {scope.name}.", "info"))
    else:
        headline += _findings(data, m, first, last)
    label = "unit" if len(ids) <= 1 else "entity_unit"
    unit_names = {
        u.id: u.name if label == "unit" else f"{names.get(u.entity_id, u.entity_id)} {u.name}"
        for u in data.r.units
    }
    return frame(
        report="rental",
        title="Rental audit",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd_comparisons(FLOWS, values, m),
        sections=[
            Section("headline", f"{scope.name} · {month_label(m)} · as of {last}", headline),
            Section("rent_roll", "Rent roll", [_roll(data, m, first, last, unit_names)]),
            Section("collections", "Collected vs due", [_collections_chart(data, m)]),
            Section(
                "units", "Units and leases", [_units(data, unit_names), _leases(data, unit_names)]
            ),
            Section(
                "maintenance",
                "Maintenance",
                [_tickets(data, first, last, unit_names), _maintenance_chart(data, m)],
            ),
            Section(
                "noi",
                "Net operating income and cap rate",
                [_noi_table(data, m), _noi_chart(data, m)],
            ),
            Section(
                "expiries",
                "Lease-expiry timeline",
                [_expiry_chart(data, last, unit_names), _expiry_table(data, last, unit_names)],
            ),
        ],
    )


def _findings(data: _Rental, m: int, first: date, last: date) -> list[Finding]:
    r = data.r
    out: list[Finding] = []
    due = rm.rent_due(r.charges, m)
    got = rm.paid_by({c.id for c in r.charges if c.month == m}, r.payments, last)
    if due:
        sev = "info" if got >= due else "watch"
        out.append(
            Finding(
                f"${got / 100:,.0f} of the ${due / 100:,.0f} rent due for {month_label(m)} "
                f"was collected by {last} ({100 * got / due:.0f}%).",
                sev,
            )
        )
    vacant = rm.vacancy_days(r.units, r.leases, first, last)
    if vacant:
        out.append(
            Finding(
                f"{vacant} vacancy days across {len(r.units)} units from {first} to {last}.",
                "watch",
            )
        )
    if data.valuation:
        noi12 = data.noi_12m(m)
        out.append(
            Finding(
                f"Trailing-12-month NOI of ${noi12 / 100:,.0f} on the stated valuation of "
                f"${data.valuation / 100:,.0f} is a cap rate of "
                f"{rm.cap_rate(noi12, data.valuation) or 0:.2f}%.",
                "info",
            )
        )
    soon = [
        x
        for x in rm.lease_expiries(r.leases, last)
        if x.start <= last and (x.end - last).days <= 60
    ]
    for lease in soon:
        renewed = any(y.renewal_of == lease.id for y in r.leases)
        if not renewed:
            out.append(
                Finding(
                    f"The lease of {lease.tenant} ends on {lease.end} "
                    f"({(lease.end - last).days} days) with no renewal recorded.",
                    "watch",
                )
            )
    return out


def _roll(data: _Rental, m: int, first: date, last: date, unit_names: dict[str, str]) -> Table:
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


def _collections_chart(data: _Rental, m: int) -> Chart:
    months = trend(m)
    due, got, rate = [], [], []
    for x in months:
        v = data.values(x) if data.ids else {}
        due.append(v.get("rent_due"))
        got.append(v.get("rent_collected"))
        rate.append(v.get("rent_collection_rate"))
    return Chart(
        id="collected_vs_due",
        title="Rent due and collected by month",
        x=[month_short(x) for x in months],
        series=[Series("Due", due, "bar", GREY), Series("Collected", got, "bar", BLUE)],
        secondary=Series("Collection rate (%)", rate, "line", GREEN),
        secondary_unit="percent",
    )


def _units(data: _Rental, unit_names: dict[str, str]) -> Table:
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


def _leases(data: _Rental, unit_names: dict[str, str]) -> Table:
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


def _tickets(data: _Rental, first: date, last: date, unit_names: dict[str, str]) -> Table:
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


def _maintenance_chart(data: _Rental, m: int) -> Chart:
    months = trend(m)
    cost, opened = [], []
    for x in months:
        first, last = window(x, data.today)
        cost.append(dollars(rm.maintenance_cost(data.r.tickets, first, last)))
        opened.append(float(sum(1 for t in data.r.tickets if first <= t.opened_on <= last)))
    return Chart(
        id="maintenance",
        title="Maintenance cost and tickets opened by month",
        x=[month_short(x) for x in months],
        series=[Series("Cost", cost, "bar", AMBER)],
        secondary=Series("Tickets opened", opened, "line", BLUE),
        secondary_unit="count",
    )


def _noi_table(data: _Rental, m: int) -> Table:
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


def _noi_chart(data: _Rental, m: int) -> Chart:
    months = trend(m)
    return Chart(
        id="noi_trend",
        title="Net operating income by month",
        x=[month_short(x) for x in months],
        series=[
            Series(
                "NOI", [dollars(data.noi(x)) if data.ids else None for x in months], "bar", GREEN
            )
        ],
    )


def _expiry_chart(data: _Rental, last: date, unit_names: dict[str, str]) -> Chart:
    leases = rm.lease_expiries(data.r.leases, last)
    return Chart(
        id="lease_expiry",
        title=f"Days until each lease ends (from {last})",
        x=[f"{unit_names.get(x.unit_id, x.unit_id)} · {x.tenant} · {x.end}" for x in leases],
        series=[
            Series("Days to expiry", [float((x.end - last).days) for x in leases], "bar", BLUE)
        ],
        unit="count",
    )


def _expiry_table(data: _Rental, last: date, unit_names: dict[str, str]) -> Table:
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
