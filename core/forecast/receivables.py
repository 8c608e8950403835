"""Known receivables in the forecast: open client invoices by due date, rent from running
leases on its due day, and the collections expected beyond them at the history's pace."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.forecast.model import ForecastItem
from core.forecast.reads import RECEIVABLE, invoices_due, leases_running, rent_open
from core.forecast.values import CENT, to_dollars
from core.ledger.store import LedgerStore

HISTORY_WEEKS = 13  # the baseline's window, ending on as_of
BEYOND = "Collections beyond the open invoices, at the last 13 weeks' pace"


def receivable_items(
    store: LedgerStore,
    ids: tuple[str, ...],
    as_of: date,
    first: date,
    last: date,
    consolidated: bool = False,
) -> list[ForecastItem]:
    """Open invoices on their due dates and rent on its due days; what was due by ``as_of``
    and is still owed lands on the first day of week 1."""
    out = [
        ForecastItem(
            max(d.day, first), to_dollars(d.cents), d.account, "invoice", d.label, d.entity_id
        )
        for d in invoices_due(store, ids, as_of, consolidated)
        if d.day <= last
    ]
    charged = rent_open(store, ids, as_of, last)
    leases = leases_running(store, ids, first, last)
    names = {lease.id: f"Rent, unit {lease.unit_id} ({lease.tenant})" for lease in leases}
    entity_of = {lease.id: lease.entity_id for lease in leases}
    for (lease_id, _month), (due, cents) in sorted(charged.items()):
        if cents and lease_id in entity_of:
            label = names[lease_id] + (" (overdue)" if due <= as_of else "")
            out.append(
                ForecastItem(
                    max(due, first),
                    to_dollars(cents),
                    "Income:Rent",
                    "lease",
                    label,
                    entity_of[lease_id],
                )
            )
    for lease in leases:
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            due = date(year, month, min(lease.due_day, calendar.monthrange(year, month)[1]))
            if (
                first <= due <= last
                and lease.start <= due <= lease.end
                and (lease.id, year * 100 + month) not in charged
            ):
                out.append(
                    ForecastItem(
                        due,
                        to_dollars(lease.rent_cents),
                        "Income:Rent",
                        "lease",
                        names[lease.id],
                        lease.entity_id,
                    )
                )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def collections_beyond(
    moved: Mapping[tuple[str, str], int],
    invoicing: set[str],
    known: list[ForecastItem],
    weeks: list[tuple[date, date]],
) -> list[ForecastItem]:
    """Work not invoiced yet: for an entity that invoices clients (``invoicing``: no leases),
    when what its open invoices bring falls behind the pace of its collections over the
    history (its mean weekly cash from the receivable account), the shortfall, week by week
    (dated the week's first day)."""
    first = weeks[0][0] if weeks else date.min
    per_week: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(weeks))
    for item in known:
        per_week[item.entity_id][(item.date - first).days // 7] += item.amount
    out = []
    for eid in sorted(invoicing):
        cents = moved.get((eid, RECEIVABLE), 0)
        pace = (Decimal(cents) / 100 / HISTORY_WEEKS).quantize(CENT, rounding=ROUND_HALF_UP)
        if pace <= 0:
            continue
        behind = Decimal(0)  # what the pace expects and neither known items nor top-ups brought
        for k, (start, _) in enumerate(weeks):
            behind += pace - per_week[eid][k]
            if behind > 0:
                out.append(ForecastItem(start, behind, RECEIVABLE, "baseline", BEYOND, eid))
                behind = Decimal(0)
    return out
