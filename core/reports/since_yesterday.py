"""The morning strip: what moved since yesterday, each figure linked to where it is seen.

"Since yesterday" is the lines and bookings dated yesterday or today in the reporting time
zone; trips look ahead a week. Everything is limited to the report's entities.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from core.ledger.store import LedgerStore
from core.marketing.store import booking_sums
from core.metrics.finance import is_cash_account
from core.ops.shortfalls import TripShortfall
from core.periods import month_of
from core.reports.formatting import dollars
from core.reports.links import scope_link
from core.reports.model import Movement
from core.reports.scope import Scope

TRIPS_AHEAD = timedelta(days=7)


def since_yesterday(
    store: LedgerStore,
    scope: Scope,
    today: date,
    *,
    trips: Sequence[TripShortfall] | None = None,
    now: datetime | None = None,
) -> list[Movement]:
    """Cash moved, new bookings and new uncategorized lines since yesterday; with ``trips``
    (the ops service's upcoming trips, departing after ``now``) the trips of the next 7 days."""
    yesterday = today - timedelta(days=1)
    month = month_of(today)

    def link(page: str) -> str:
        return scope_link(page, scope.entity, month)

    out = [
        Movement(
            "cash_moved",
            "Cash moved",
            dollars(cash_moved(store, scope, yesterday, today)),
            "USD",
            link("cfo"),
        ),
        Movement(
            "new_bookings",
            "New bookings",
            float(booking_sums(store, scope.entity_ids, yesterday, today)[0]),
            "count",
            link("cmo"),
        ),
        Movement(
            "new_uncategorized",
            "New uncategorized lines",
            float(
                len(
                    store.uncategorized_lines(
                        scope.entity_ids, through_month=month, since=yesterday
                    )
                )
            ),
            "count",
            link("accounting"),
        ),
    ]
    if trips is not None and now is not None:
        soon = [t for t in trips if t.starts_at <= now + TRIPS_AHEAD]
        out.append(
            Movement(
                "trips_next_7_days",
                "Trips in the next 7 days",
                float(len(soon)),
                "count",
                link("operations"),
            )
        )
    return out


def cash_moved(store: LedgerStore, scope: Scope, first: date, last: date) -> int:
    """Net cents into (positive) or out of the scope's cash accounts over ``first``..``last``;
    a consolidated scope leaves out transfers between its own entities."""
    return sum(
        r.cents
        for r in store.rows_between(scope.entity_ids, first, last)
        if is_cash_account(r.path) and not (scope.consolidated and r.intercompany)
    )
