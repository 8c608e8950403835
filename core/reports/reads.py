"""What one report build reads from the ledger, each read (or series) made once.

The CEO report shows every persona's KPIs beside its own; they all start from the same
monthly rollup rows, finance series, targets and categorization queue. One ``Reads`` per
build lets each of them ask without reading or computing it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, or_, select

from core.ledger.models import Target
from core.ledger.store import LedgerStore, TotalRow, UncategorizedLine
from core.metrics.finance import FinanceSeries
from core.reports.common import series_through, today_in
from core.reports.scope import Scope
from core.reports.targets import summed_targets


@dataclass(frozen=True)
class TargetMonths:
    """Which saved targets a report reads: every KPI's of the month ``last`` (its KPIs), and
    those of ``flows`` from ``first`` to ``last`` (its year-to-date figures)."""

    first: int
    last: int
    flows: tuple[str, ...] = ()


Months = TargetMonths | None  # None: every target saved


def scope_targets(
    store: LedgerStore,
    scope: Scope,
    saved: dict[str, dict[tuple[str, int], float]] | None = None,
    months: Months = None,
) -> dict[tuple[str, int], float]:
    """The targets that apply to a scope, by (kpi id, month): an entity's own; for a
    consolidation, the target saved on the portfolio itself where there is one, else the sum
    of its entities' for an additive KPI when every entity has one (ratios do not add up).
    A partial consolidation ("All my entities") has only the sums. ``saved``: the scope's
    ``targets_of`` when already read; ``months``: the targets a report reads (the rest are
    not read)."""
    if not scope.consolidated and saved is not None:
        return saved[scope.entity]
    if not scope.consolidated and months is None:
        return store.targets(scope.entity)
    saved = saved if saved is not None else targets_of(store, target_keys(scope), months=months)
    if not scope.consolidated:
        return saved[scope.entity]
    own = saved.get(scope.target_key, {}) if scope.target_key else {}
    return {**summed_targets([saved[e] for e in scope.entity_ids]), **own}


def target_keys(scope: Scope) -> list[str]:
    """Whose saved targets a scope reads: its entities', and its own key's (``all``)."""
    own = (
        [scope.target_key] if scope.target_key and scope.target_key not in scope.entity_ids else []
    )
    return [*scope.entity_ids, *own]


def targets_of(
    store: LedgerStore, keys: Sequence[str], kpi_id: str | None = None, *, months: Months = None
) -> dict[str, dict[tuple[str, int], float]]:
    """The saved targets of several entities (or ``all``) in one read, per key (every key
    present), optionally of one KPI only, of ``months`` only."""
    out: dict[str, dict[tuple[str, int], float]] = {key: {} for key in keys}
    params: dict[str, object] = {"keys": list(keys), "kpi": kpi_id}
    if months is not None:
        params.update(first=months.first, last=months.last, flows=list(months.flows))
    with store.engine.connect() as conn:
        q = _targets_query(kpi_id is not None, months is not None)
        for key, kpi, month, value in conn.execute(q, params):
            out[key][(kpi, month)] = value
    return out


@cache
def _targets_query(one_kpi: bool, some_months: bool) -> Any:
    """The statement of ``targets_of`` (parameters keys, kpi, first, last, flows), built
    once per shape."""
    q = select(Target.entity_id, Target.kpi_id, Target.month, Target.value).where(
        Target.entity_id.in_(bindparam("keys", expanding=True))
    )
    if one_kpi:
        q = q.where(Target.kpi_id == bindparam("kpi"))
    if some_months:
        last = bindparam("last")
        q = q.where(
            Target.month.between(bindparam("first"), last),
            or_(Target.month == last, Target.kpi_id.in_(bindparam("flows", expanding=True))),
        )
    return q


class Reads:
    """The ledger reads of one report build for one scope (valid for that build only)."""

    def __init__(
        self,
        store: LedgerStore,
        scope: Scope,
        *,
        tz: ZoneInfo,
        now: datetime | None = None,
        target_months: Months = None,
    ) -> None:
        """``target_months``: the targets the build reads (default every one)."""
        self.store, self.scope, self.tz, self.now = store, scope, tz, now
        self.target_months = target_months
        self._queues: dict[int, list[UncategorizedLine]] = {}
        self._through: dict[tuple[int, date], FinanceSeries] = {}

    @cached_property
    def today(self) -> date:
        """Today in the reporting time zone."""
        return today_in(self.tz, self.now)

    @cached_property
    def rows(self) -> list[TotalRow]:
        """The scope's monthly rollup rows."""
        return self.store.monthly_rows(self.scope.entity_ids)

    @cached_property
    def series(self) -> FinanceSeries:
        """The scope's finance series (intercompany eliminated when consolidated)."""
        return FinanceSeries.from_rows(self.rows, consolidated=self.scope.consolidated)

    @cached_property
    def entity_series(self) -> dict[str, FinanceSeries]:
        """Each entity of the scope on its own books (intercompany included)."""
        grouped: dict[str, list[TotalRow]] = defaultdict(list)
        for r in self.rows:
            grouped[r.entity_id].append(r)
        return {
            eid: FinanceSeries.from_rows(grouped.get(eid, []), consolidated=False)
            for eid in self.scope.entity_ids
        }

    @cached_property
    def saved_targets(self) -> dict[str, dict[tuple[str, int], float]]:
        """Every target saved on the scope's entities and on its own key (of
        ``target_months``), read once."""
        return targets_of(self.store, target_keys(self.scope), months=self.target_months)

    @cached_property
    def targets(self) -> dict[tuple[str, int], float]:
        """The scope's targets by (kpi id, month): ``scope_targets``."""
        return scope_targets(self.store, self.scope, self.saved_targets)

    def target(self, kpi_id: str) -> float | None:
        """The target of a KPI for the scope's period."""
        return self.targets.get((kpi_id, self.scope.period))

    @cached_property
    def names(self) -> dict[str, str]:
        """Entity names by id."""
        return {e.id: e.name for e in self.store.list_entities()}

    def uncategorized(self, through_month: int) -> list[UncategorizedLine]:
        """Lines waiting for a category, dated up to the end of ``through_month``."""
        if through_month not in self._queues:
            self._queues[through_month] = self.store.uncategorized_lines(
                self.scope.entity_ids, through_month=through_month
            )
        return self._queues[through_month]

    def series_through(self, month: int, day: date) -> FinanceSeries:
        """The scope's finance series of ``month`` from its 1st to ``day`` (read once: the
        CEO's flows and the CFO's KPIs beside them pace against the same reads)."""
        if (month, day) not in self._through:
            self._through[(month, day)] = series_through(self.store, self.scope, month, day)
        return self._through[(month, day)]
