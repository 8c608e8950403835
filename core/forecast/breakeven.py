"""Break-even trips per month by season, for the entities that run charters.

A **trip** is one journal entry that credits ``Income:Charters`` (or an account under it),
other than an intercompany one: the demo books and a charter's own bookkeeping post one such
entry when a charter is completed (a deposit goes to deferred revenue and is no trip).
Over the 12 whole months ending with the window's last month, each season's months give:

- average revenue per trip: charter income of those months / their trips;
- variable cost per trip: the entity's expenses marked ``variable`` of those months / trips;
- fixed costs per month: its other expenses (fixed, or not marked) of those months / months;

and break-even trips per month = fixed costs per month / (revenue - variable cost per trip),
against the trips actually run per month in that season. Seasons: summer Jun-Sep, shoulder
Apr-May and Oct, winter Nov-Mar.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import func, select

from core.auth.dashboard_users import UserScope
from core.ledger.models import Account, JournalLine
from core.ledger.scope import resolve_scope
from core.ledger.sql import path_under
from core.ledger.store import LedgerStore
from core.periods import month_add, month_of, months_ending

CHARTER_INCOME = "Income:Charters"
WINDOW_MONTHS = 12
SEASONS: dict[str, tuple[int, ...]] = {
    "summer": (6, 7, 8, 9),
    "shoulder": (4, 5, 10),
    "winter": (11, 12, 1, 2, 3),
}


def season_of(month: int) -> str:
    """The season of a yyyymm month."""
    return next(name for name, months in SEASONS.items() if month % 100 in months)


@dataclass(frozen=True)
class SeasonBreakEven:
    """One season of one charter entity over the window; money in cents."""

    season: str
    months: tuple[int, ...]  # the window's months in this season
    trips: int
    revenue: int  # charter income of those months
    variable: int  # variable expenses of those months
    fixed: int  # the other expenses of those months

    @property
    def trips_per_month(self) -> float:
        """Trips actually run, per month of the season."""
        return self.trips / len(self.months) if self.months else 0.0

    @property
    def revenue_per_trip(self) -> float | None:
        """Average charter income of a trip; None without trips."""
        return self.revenue / self.trips if self.trips else None

    @property
    def variable_per_trip(self) -> float | None:
        """Average variable cost of a trip; None without trips."""
        return self.variable / self.trips if self.trips else None

    @property
    def fixed_per_month(self) -> float:
        """Average fixed costs of a month of the season."""
        return self.fixed / len(self.months) if self.months else 0.0

    @property
    def margin_per_trip(self) -> float | None:
        """What a trip leaves toward the fixed costs; None without trips."""
        if self.revenue_per_trip is None or self.variable_per_trip is None:
            return None
        return self.revenue_per_trip - self.variable_per_trip

    @property
    def break_even(self) -> float | None:
        """Trips a month that cover the fixed costs; None when a trip covers nothing."""
        margin = self.margin_per_trip
        if margin is None or margin <= 0:
            return None
        return self.fixed_per_month / margin

    @property
    def trips_needed(self) -> int | None:
        """``break_even`` rounded up to whole trips."""
        value = self.break_even
        return None if value is None else math.ceil(round(value, 9))


@dataclass(frozen=True)
class CharterBreakEven:
    """The seasons of one charter entity over the window ``first``..``last``."""

    entity_id: str
    first: int
    last: int
    seasons: list[SeasonBreakEven]
    trips_by_month: dict[int, int]


def window_end(period: int, today: date) -> int:
    """The window's last month: ``period``, or last month when ``period`` is not over yet."""
    return min(period, month_add(month_of(today), -1))


class ScopedAsk(Protocol):
    """What break-even needs of a report request: who asks, which entity, which month."""

    reader: UserScope
    entity: str
    period: int


def break_even_trips(
    store: LedgerStore, request: ScopedAsk, *, today: date
) -> list[CharterBreakEven]:
    """Break-even trips by season for each charter entity of the request's scope (a
    ``ReportRequest``; core.reports depends on core.forecast, not the other way round)."""
    scope = resolve_scope(
        store, entity=request.entity, period=request.period, allowed=request.reader.entities
    )
    last = window_end(request.period, today)
    months = months_ending(last, WINDOW_MONTHS)
    trips = trip_counts(store, scope.entity_ids, months[0], last)
    charter_entities = sorted({entity for entity, _ in trips})
    if not charter_entities:
        return []
    flows: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in store.monthly_rows(charter_entities):
        if not months[0] <= r.month <= last:
            continue
        f = flows[(r.entity_id, r.month)]
        if r.root == "Income" and _is_charter(r.path) and not r.intercompany:
            f["revenue"] -= r.cents
        elif r.root == "Expenses":
            f["variable" if r.cost_behavior == "variable" else "fixed"] += r.cents
    out = []
    for entity in charter_entities:
        seasons = []
        for name in SEASONS:
            in_season = tuple(m for m in months if season_of(m) == name)
            seasons.append(
                SeasonBreakEven(
                    season=name,
                    months=in_season,
                    trips=sum(trips.get((entity, m), 0) for m in in_season),
                    **{k: sum(flows[(entity, m)][k] for m in in_season) for k in _FLOWS},
                )
            )
        by_month = {m: trips.get((entity, m), 0) for m in months}
        out.append(CharterBreakEven(entity, months[0], last, seasons, by_month))
    return out


_FLOWS = ("revenue", "variable", "fixed")


def _is_charter(path: str) -> bool:
    return path == CHARTER_INCOME or path.startswith(CHARTER_INCOME + ":")


def trip_counts(
    store: LedgerStore, entity_ids: Sequence[str], first: int, last: int
) -> dict[tuple[str, int], int]:
    """Trips per (entity, month): entries crediting a charter income account, not intercompany."""
    query = (
        select(
            JournalLine.entity_id,
            JournalLine.month,
            func.count(func.distinct(JournalLine.entry_id)),
        )
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.entity_id.in_(list(entity_ids)))
        .where(path_under(Account.path, CHARTER_INCOME))
        .where(JournalLine.month.between(first, last))
        .where(JournalLine.amount_cents < 0)
        .where(JournalLine.intercompany.is_(False))
        .group_by(JournalLine.entity_id, JournalLine.month)
    )
    with store.engine.connect() as conn:
        return {(e, m): int(n) for e, m, n in conn.execute(query)}
