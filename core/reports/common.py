"""Pieces every report builder shares: KPIs with their comparisons, and the report frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.periods import format_period, month_add
from core.reports.model import KPI, Direction, Report, Section, make_kpi
from core.reports.scope import Scope

KpiDef = tuple[str, str, str, Direction]  # id, label, unit, direction


def compared_kpis(
    defs: Sequence[KpiDef],
    values_for: Callable[[int], dict[str, float | None]],
    month: int,
    targets: Callable[[str], float | None],
) -> list[KPI]:
    """KPIs for ``month`` with deltas vs the previous month and the same month last year."""
    now, prev, year_ago = (
        values_for(m) for m in (month, month_add(month, -1), month_add(month, -12))
    )
    return [
        make_kpi(
            kid,
            label,
            unit,
            direction,
            value=now[kid],
            previous=prev[kid],
            year_ago=year_ago[kid],
            target=targets(kid),
        )
        for kid, label, unit, direction in defs
    ]


def frame(
    *,
    report: str,
    title: str,
    store: LedgerStore,
    scope: Scope,
    tz: ZoneInfo,
    now: datetime | None,
    kpis: list[KPI],
    sections: list[Section],
) -> Report:
    """A Report with the scope, period, as-of time and data freshness filled in."""
    last = store.last_entry_date()
    return Report(
        report=report,
        title=title,
        entity=scope.entity,
        entity_name=scope.name,
        period=format_period(scope.period),
        as_of=(now or datetime.now(tz)).astimezone(tz).isoformat(timespec="seconds"),
        timezone=str(tz),
        currency="USD",
        kpis=kpis,
        sections=sections,
        data_through=last.isoformat() if last else None,
    )
