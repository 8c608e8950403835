"""The rental audit's charts: collected vs due, maintenance, NOI and lease expiries by month."""

from __future__ import annotations

from datetime import date

from core.metrics import rental as rm
from core.periods import month_short
from core.records.window import window
from core.reports.common import trend
from core.reports.formatting import dollars
from core.reports.model import Chart, Series
from core.reports.palette import AMBER, BLUE, GREEN, GREY
from core.reports.rental_data import RentalData


def collections_chart(data: RentalData, m: int) -> Chart:
    """Rent due and collected by month, with the collection rate."""
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


def maintenance_chart(data: RentalData, m: int) -> Chart:
    """Maintenance cost and tickets opened by month."""
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


def noi_chart(data: RentalData, m: int) -> Chart:
    """Net operating income by month."""
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


def expiry_chart(data: RentalData, last: date, unit_names: dict[str, str]) -> Chart:
    """Days until each lease ends, from ``last``."""
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
