"""What one report build reads from the ledger, each read (or series) made once.

The CEO report shows every persona's KPIs beside its own; they all start from the same
monthly rollup rows, finance series, targets and categorization queue. One ``Reads`` per
build lets each of them ask without reading or computing it again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore, TotalRow, UncategorizedLine
from core.metrics.finance import FinanceSeries
from core.reports.common import series_through, today_in
from core.reports.scope import Scope


class Reads:
    """The ledger reads of one report build for one scope (valid for that build only)."""

    def __init__(
        self, store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
    ) -> None:
        self.store, self.scope, self.tz, self.now = store, scope, tz, now
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
    def targets(self) -> dict[tuple[str, int], float]:
        """The scope's saved targets by (kpi id, month); none for a partial consolidation."""
        key = self.scope.target_key
        return self.store.targets(key) if key else {}

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
