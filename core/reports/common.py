"""Pieces every report builder shares: KPIs with their comparisons, and the report frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.periods import format_period, month_add, month_range, months_ending
from core.reports.headline import headline_ids
from core.reports.model import KPI, Direction, Report, Section, YtdValue, make_kpi
from core.reports.scope import Scope

KpiDef = tuple[str, str, str, Direction]  # id, label, unit, direction


TREND_MONTHS = 13  # the period and the same month a year earlier, side by side


def trend(month: int) -> list[int]:
    """The months a trend chart shows: the 13 ending with ``month``."""
    return months_ending(month, TREND_MONTHS)


def today_in(tz: ZoneInfo, now: datetime | None) -> date:
    """Today's date in the reporting time zone."""
    return (now or datetime.now(tz)).astimezone(tz).date()


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


def ytd_comparisons(
    flows: Sequence[str], values_for: Callable[[int], dict[str, float | None]], month: int
) -> dict[str, YtdValue]:
    """Flow KPIs summed over January..``month`` vs the same months a year earlier."""
    if not flows:
        return {}
    january = month // 100 * 100 + 1
    this_year = [values_for(m) for m in month_range(january, month)]
    last_year = [values_for(m) for m in month_range(month_add(january, -12), month_add(month, -12))]

    def total(rows: list[dict[str, float | None]], kid: str) -> float | None:
        values = [r[kid] for r in rows]
        return None if any(v is None for v in values) else round(sum(values), 2)  # type: ignore[arg-type]

    out: dict[str, YtdValue] = {}
    for kid in flows:
        now, before = total(this_year, kid), total(last_year, kid)
        delta = None if now is None or before is None else round(now - before, 2)
        out[kid] = YtdValue(now, before, delta)
    return out


def memo(
    values_for: Callable[[int], dict[str, float | None]],
) -> Callable[[int], dict[str, float | None]]:
    """``values_for`` computed once per month (YTD and deltas ask for the same months)."""
    cache: dict[int, dict[str, float | None]] = {}

    def get(m: int) -> dict[str, float | None]:
        if m not in cache:
            cache[m] = values_for(m)
        return cache[m]

    return get


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
    ytd: dict[str, YtdValue] | None = None,
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
        ytd=ytd or {},
        headline=headline_ids(report),
    )
