"""The CEO report's operational shortfalls section: what is behind, per entity and per trip."""

from __future__ import annotations

from core.close.anomalies import open_anomalies
from core.ops.shortfalls import HORIZON, TripShortfall
from core.periods import month_label
from core.reports.ceo_data import AR_AGE_DAYS
from core.reports.close_shortfalls import close_past_due_items
from core.reports.formatting import dollars
from core.reports.model import (
    Column,
    Finding,
    Table,
)
from core.reports.reads import Reads


def shortfall_items(
    reads: Reads, trips: list[TripShortfall] | None, ar_old: dict[str, int]
) -> list[Table | Finding]:
    """The CEO's operational shortfalls: months past due for closing, receivables and
    bookkeeping per entity, open anomalies, and trips that still lack something."""
    scope, names, m = reads.scope, reads.names, reads.scope.period
    queue = reads.uncategorized(m)
    anomalies = open_anomalies(reads.store, scope.entity_ids, m)
    per_entity = []
    for eid in scope.entity_ids:
        lines = [q for q in queue if q.entity_id == eid]
        per_entity.append(
            {
                "entity": names.get(eid, eid),
                "ar_over_60": dollars(ar_old.get(eid, 0)),
                "uncategorized": len(lines),
                "uncategorized_amount": dollars(sum(abs(q.cents) for q in lines)),
                "open_anomalies": sum(a.entity_id == eid for a in anomalies),
            }
        )
    items: list[Table | Finding] = [
        *close_past_due_items(reads.store, scope.entity_ids, names, reads.today),
        Table(
            id="books_shortfalls",
            title=f"Receivables and bookkeeping at the end of {month_label(m)}",
            columns=[
                Column("entity", "Entity"),
                Column("ar_over_60", f"AR over {AR_AGE_DAYS} days", "USD"),
                Column("uncategorized", "Uncategorized lines", "count"),
                Column("uncategorized_amount", "Uncategorized amount", "USD"),
                Column("open_anomalies", "Open anomalies", "count"),
            ],
            rows=per_entity,
        ),
    ]
    if anomalies:
        items.append(
            Finding(
                f"{len(anomalies)} open anomal{'y' if len(anomalies) == 1 else 'ies'} in "
                f"{month_label(m)} (odd charges to review on the Close page), e.g. "
                f"{anomalies[0].label.lower()}: {anomalies[0].message}.",
                "watch",
            )
        )
    if trips is None:
        items.append(Finding("Charter operations are not connected to this report.", "info"))
        return items
    lacking = [t for t in trips if t.any]
    items.append(
        Table(
            id="trip_shortfalls",
            title=f"Trips in the next {HORIZON.days} days that still lack something",
            columns=[
                Column("starts", "Departs"),
                Column("trip", "Trip"),
                Column("entity", "Entity"),
                Column("open_slots", "Open crew slots", "count"),
                Column("checklist_open", "Checklist items open", "count"),
                Column("guests_on_hold", "Guests on hold", "count"),
            ],
            rows=[
                {
                    "starts": t.starts_at.strftime("%a %d %b %H:%M"),
                    "trip": t.title,
                    "entity": names.get(t.entity, t.entity),
                    "open_slots": t.open_slots,
                    "checklist_open": t.checklist_open,
                    "guests_on_hold": t.guests_on_hold,
                }
                for t in lacking
            ],
        )
    )
    return items
