"""Portfolio metrics the CEO reads: asset utilization and revenue, trip shortfalls, revenue gaps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.ledger.amounts import dollars
from core.ledger.models_assets import Asset, AssetUsage
from core.ledger.store import TotalRow
from core.metrics.finance import FinanceSeries
from core.ops.shortfalls import TripShortfall
from core.periods import month_range

Targets = Mapping[tuple[str, int], float]  # (kpi id, yyyymm) -> target, as the ledger keeps them


def utilization(rows: list[AssetUsage], month: int) -> float | None:
    """Days used over days available across assets with usage in ``month``, in percent."""
    used = sum(r.used_days for r in rows if r.month == month)
    available = sum(r.available_days for r in rows if r.month == month)
    return round(used / available * 100, 1) if available else None


def asset_revenue(asset: Asset, rows: list[TotalRow], months: list[int]) -> int | None:
    """The asset's share of its revenue account's income (its own entity's books), in cents."""
    if not asset.revenue_account:
        return None
    prefix = asset.revenue_account
    cents = -sum(
        r.cents
        for r in rows
        if r.entity_id == asset.entity_id
        and r.month in months
        and (r.path == prefix or r.path.startswith(prefix + ":"))
    )
    return round(cents * asset.revenue_share)


def shortfall_counts(trips: list[TripShortfall]) -> dict[str, int]:
    """Open crew slots, unfinished checklists and guests on hold over the coming trips."""
    return {
        "unfilled_slots": sum(t.open_slots for t in trips),
        "unfinished_checklists": sum(1 for t in trips if t.checklist_open),
        "guests_on_hold": sum(t.guests_on_hold for t in trips),
    }


@dataclass(frozen=True)
class Gap:
    """Revenue against target for one entity (or the whole scope), month and year to date."""

    entity: str
    total: bool
    actual: float
    target: float | None
    ytd_actual: float
    ytd_target: float | None

    @property
    def gap(self) -> float | None:
        """Actual minus target; None without a target."""
        return None if self.target is None else round(self.actual - self.target, 2)

    @property
    def gap_pct(self) -> float | None:
        """The gap as a percentage of the target."""
        return (
            None if not self.target else round((self.actual - self.target) / self.target * 100, 1)
        )

    @property
    def ytd_gap(self) -> float | None:
        """Year-to-date actual minus year-to-date target."""
        return None if self.ytd_target is None else round(self.ytd_actual - self.ytd_target, 2)

    def row(self) -> dict[str, object]:
        """Cells for the gaps table."""
        return {
            "entity": self.entity,
            "actual": self.actual,
            "target": self.target,
            "gap": self.gap,
            "gap_pct": self.gap_pct,
            "ytd_actual": self.ytd_actual,
            "ytd_target": self.ytd_target,
            "ytd_gap": self.ytd_gap,
        }


def revenue_gap(
    entity: str, *, total: bool, series: FinanceSeries, targets: Targets, month: int
) -> Gap:
    """Revenue against the saved revenue targets for ``month`` and the year to ``month``."""
    ytd_months = month_range(month // 100 * 100 + 1, month)
    ytd_targets = [targets.get(("revenue", x)) for x in ytd_months]
    return Gap(
        entity=entity,
        total=total,
        actual=dollars(series.revenue(month)) or 0.0,
        target=targets.get(("revenue", month)),
        ytd_actual=dollars(sum(series.revenue(x) for x in ytd_months)) or 0.0,
        ytd_target=None
        if any(t is None for t in ytd_targets)
        else round(sum(t or 0.0 for t in ytd_targets), 2),
    )
