"""The rental audit: units, leases, rent roll, collected vs due, vacancy, maintenance, NOI,
cap rate at the stated valuation, and the lease-expiry timeline.

Covers the scope's entities that have rental records; the rent roll reconciles to Income:Rent.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.ledger.models_records import RentalUnit
from core.ledger.store import LedgerStore
from core.metrics import rental as rm
from core.periods import month_label
from core.records.store import entities_with
from core.records.window import window
from core.reports.common import compared_kpis, frame, memo, today_in, ytd_comparisons
from core.reports.model import Finding, KpiGroup, Report, Section
from core.reports.reads import scope_targets
from core.reports.rental_charts import collections_chart, expiry_chart, maintenance_chart, noi_chart
from core.reports.rental_data import RENTAL_KPIS, RentalData
from core.reports.rental_tables import (
    expiry_table,
    leases_table,
    noi_table,
    rent_roll_table,
    tickets_table,
    units_table,
)
from core.reports.scope import Scope
from core.reports.targets import directions, ytd_with_targets

FLOWS = (
    "rent_due",
    "rent_collected",
    "vacancy_days",
    "maintenance_cost",
    "noi",
)  # summed year to date; the rest are rates, counts or balances


def build_rental(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the rental audit for a resolved scope."""
    today = today_in(tz, now)
    ids = entities_with(store, RentalUnit, scope.entity_ids)
    data = RentalData(store, ids, today)
    m = scope.period
    targets = scope_targets(store, scope)
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
        ytd=ytd_with_targets(
            ytd_comparisons(FLOWS, values, m), directions(RENTAL_KPIS), targets, m
        ),
        sections=[
            Section("headline", f"{scope.name} · {month_label(m)} · as of {last}", headline),
            Section("rent_roll", "Rent roll", [rent_roll_table(data, m, first, last, unit_names)]),
            Section("collections", "Collected vs due", [collections_chart(data, m)]),
            Section(
                "units",
                "Units and leases",
                [units_table(data, unit_names), leases_table(data, unit_names)],
            ),
            Section(
                "maintenance",
                "Maintenance",
                [tickets_table(data, first, last, unit_names), maintenance_chart(data, m)],
            ),
            Section(
                "noi",
                "Net operating income and cap rate",
                [noi_table(data, m), noi_chart(data, m)],
            ),
            Section(
                "expiries",
                "Lease-expiry timeline",
                [expiry_chart(data, last, unit_names), expiry_table(data, last, unit_names)],
            ),
        ],
    )


def _findings(data: RentalData, m: int, first: date, last: date) -> list[Finding]:
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
