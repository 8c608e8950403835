"""Pieces every report builder shares: KPIs with their comparisons, and the report frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.metrics.finance import FinanceSeries
from core.pace import MonthToDate, month_to_date, prorate
from core.periods import first_day, format_period, month_add, month_range, months_ending
from core.reports.headline import headline_ids
from core.reports.model import (
    KPI,
    Direction,
    Movement,
    Pace,
    Report,
    Section,
    YtdValue,
    kpi_status,
    make_kpi,
)
from core.reports.scope import Scope

KpiDef = tuple[str, str, str, Direction]  # id, label, unit, direction


TREND_MONTHS = 13  # the period and the same month a year earlier, side by side


def trend(month: int) -> list[int]:
    """The months a trend chart shows: the 13 ending with ``month``."""
    return months_ending(month, TREND_MONTHS)


def today_in(tz: ZoneInfo, now: datetime | None) -> date:
    """Today's calendar date in the reporting time zone (a DST change never moves it)."""
    return (now or datetime.now(tz)).astimezone(tz).date()


Values = dict[str, float | None]


class PaceBasis:
    """What pacing a month under way needs: today, the flow KPIs, and their values of a month
    read through one day (``through(month, day)``: the 1st to ``day`` inclusive, read once)."""

    def __init__(
        self, today: date, flows: Sequence[str], through: Callable[[int, date], Values]
    ) -> None:
        self.today, self.flows, self._through = today, tuple(flows), through
        self._cache: dict[tuple[int, date], Values] = {}

    def month_to_date(self, month: int) -> MonthToDate | None:
        """``month`` under way today, or None."""
        return month_to_date(month, self.today)

    def through(self, month: int, day: date) -> Values:
        """The flows of ``month`` from its 1st to ``day``."""
        key = (month, day)
        if key not in self._cache:
            values = self._through(month, day)
            self._cache[key] = {kid: values.get(kid) for kid in self.flows}
        return self._cache[key]


def series_through(store: LedgerStore, scope: Scope, month: int, day: date) -> FinanceSeries:
    """The scope's finance series of ``month`` from its 1st to ``day`` (one dated read)."""
    rows = store.rows_between(scope.entity_ids, first_day(month), day)
    return FinanceSeries.from_rows(rows, consolidated=scope.consolidated)


def compared_kpis(
    defs: Sequence[KpiDef],
    values_for: Callable[[int], Values],
    month: int,
    targets: Callable[[str], float | None],
    pace: PaceBasis | None = None,
) -> list[KPI]:
    """KPIs for ``month`` with deltas vs the previous month and the same month last year.

    With ``pace`` and ``month`` under way, each flow KPI is judged like for like
    (``paced_kpi``); a completed month, or no ``pace``, compares whole months."""
    now, prev, year_ago = (
        values_for(m) for m in (month, month_add(month, -1), month_add(month, -12))
    )
    mtd = pace.month_to_date(month) if pace else None
    out: list[KPI] = []
    for kid, label, unit, direction in defs:
        if pace and mtd and kid in pace.flows:
            last_month = pace.through(month_add(month, -1), mtd.last_month).get(kid)
            last_year = pace.through(month_add(month, -12), mtd.last_year).get(kid)
            out.append(
                paced_kpi(
                    (kid, label, unit, direction),
                    now[kid],
                    targets(kid),
                    mtd,
                    last_month=last_month,
                    last_year=last_year,
                )
            )
            continue
        out.append(
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
        )
    return out


def paced_kpi(
    definition: KpiDef,
    value: float | None,
    target: float | None,
    mtd: MonthToDate,
    *,
    last_month: float | None,
    last_year: float | None,
) -> KPI:
    """A flow KPI of a month under way: its status against the target pro-rated to today,
    its deltas against last month and last year through the same day."""
    kid, label, unit, direction = definition
    paced_target = prorate(target, mtd.day, mtd.days)
    kpi = make_kpi(
        kid,
        label,
        unit,
        direction,
        value=value,
        previous=last_month,
        year_ago=last_year,
        target=target,
    )
    return replace(
        kpi,
        status=kpi_status(value, paced_target, direction),
        pace=Pace(mtd.day, mtd.days, paced_target, last_month, last_year),
    )


def ytd_comparisons(
    flows: Sequence[str],
    values_for: Callable[[int], dict[str, float | None]],
    month: int,
    pace: PaceBasis | None = None,
) -> dict[str, YtdValue]:
    """Flow KPIs summed over January..``month`` vs the same months a year earlier (a month
    under way, with ``pace``, against last year through the same day)."""
    if not flows:
        return {}
    january = month // 100 * 100 + 1
    this_year = [values_for(m) for m in month_range(january, month)]
    last_year = [values_for(m) for m in month_range(month_add(january, -12), month_add(month, -12))]
    mtd = pace.month_to_date(month) if pace else None
    if pace and mtd:
        last_year[-1] = {**last_year[-1], **pace.through(month_add(month, -12), mtd.last_year)}

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
    since_yesterday: list[Movement] | None = None,
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
        since_yesterday=since_yesterday or [],
    )
