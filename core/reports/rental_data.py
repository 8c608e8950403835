"""The rental audit's data: a scope's rental records and ledger totals, with each month's
KPI values (rent, occupancy, maintenance, NOI, cap rate).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from core.ledger.store import LedgerStore
from core.metrics import rental as rm
from core.periods import month_add
from core.records.store import RentalRecords, rental_records
from core.records.window import window
from core.reports.common import KpiDef
from core.reports.formatting import dollars, pct

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


class RentalData:
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
