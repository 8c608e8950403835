"""The ``forecast`` report: the 13-week cash forecast as KPIs, a chart of weekly closing cash,
the weeks, and where the money comes from; JSON adds a top-level ``weeks`` list (dollars).

KPIs: ``opening_cash``, ``cash_low_point`` (the lowest weekly closing), ``cash_low_week`` (that
week's first day, ISO), ``closing_cash`` (the last week's) and ``weeks_below_zero``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.forecast.build import forecast_of_scope
from core.forecast.model import ZERO, Forecast, Scenario
from core.ledger.store import LedgerStore
from core.records.window import window
from core.reports.common import frame, today_in
from core.reports.model import KPI, Chart, Column, Finding, KpiGroup, Report, Section, Series, Table
from core.reports.palette import BLUE, GREY
from core.reports.scope import Scope

KPI_IDS = ("opening_cash", "cash_low_point", "cash_low_week", "closing_cash", "weeks_below_zero")


@dataclass(frozen=True)
class ForecastReport(Report):
    """A Report with the forecast's weeks and horizon beside the usual keys."""

    weeks: list[dict[str, Any]] = field(default_factory=list)
    forecast: dict[str, Any] = field(default_factory=dict)


def _usd(amount: Decimal) -> float:
    return float(amount)


def _kpi(kid: str, label: str, value: Any, unit: str, status: str = "none") -> KPI:
    return KPI(kid, label, value, unit, None, "up", status, None, None)  # type: ignore[arg-type]


def forecast_kpis(f: Forecast) -> list[KPI]:
    """The five KPIs of a forecast (a week closing below zero makes two of them bad)."""
    # no target: a tile is only flagged when cash goes below zero
    low = "bad" if f.low_point < 0 else "none"
    below = "bad" if f.weeks_below_zero else "none"
    return [
        _kpi("opening_cash", "Opening cash", _usd(f.opening), "USD"),
        _kpi("cash_low_point", "Lowest weekly cash", _usd(f.low_point), "USD", low),
        _kpi("cash_low_week", "Lowest week starts", f.low_week.start.isoformat(), "date"),
        _kpi("closing_cash", f"Cash in {len(f.weeks)} weeks", _usd(f.closing), "USD"),
        _kpi("weeks_below_zero", "Weeks below zero", f.weeks_below_zero, "count", below),
    ]


def weeks_json(f: Forecast) -> list[dict[str, Any]]:
    """The weeks as the JSON format lists them (dollars)."""
    return [
        {
            "start": w.start.isoformat(),
            "end": w.end.isoformat(),
            "inflow": _usd(w.inflow),
            "outflow": _usd(w.outflow),
            "net": _usd(w.net),
            "closing": _usd(w.closing),
        }
        for w in f.weeks
    ]


def scenario_json(scenario: Scenario | None) -> dict[str, Any] | None:
    """The scenario applied, in JSON terms (None for the plain forecast)."""
    if scenario is None:
        return None
    return {
        "name": scenario.name,
        "adjusts": [
            {
                "prefix": a.prefix,
                "pct": float(a.pct),
                "start": a.start.isoformat() if a.start else None,
                "end": a.end.isoformat() if a.end else None,
            }
            for a in scenario.adjusts
        ],
        "one_offs": [
            {"day": o.day.isoformat(), "amount": _usd(o.amount), "label": o.label}
            for o in scenario.one_offs
        ],
    }


def _sources_table(f: Forecast) -> Table:
    """What the horizon's money is made of: totals by source and account."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for item in f.items:
        totals[(item.source, item.account)] += item.amount
        counts[(item.source, item.account)] += 1
    rows = [
        {"source": src, "account": acct or "—", "items": counts[(src, acct)], "total": _usd(t)}
        for (src, acct), t in sorted(totals.items(), key=lambda kv: (kv[1], kv[0]))
    ]
    columns = [
        Column("source", "Source"),
        Column("account", "Account"),
        Column("items", "Items", "count"),
        Column("total", "Total over the horizon", "USD"),
    ]
    return Table("forecast_sources", "Totals by source and account", columns, rows)


def _weeks_table(f: Forecast) -> Table:
    columns = [
        Column("start", "Week from"),
        Column("inflow", "In", "USD"),
        Column("outflow", "Out", "USD"),
        Column("net", "Net", "USD"),
        Column("closing", "Closing cash", "USD"),
    ]
    rows = [{**w, "start": w["start"]} for w in weeks_json(f)]
    return Table("forecast_weeks", "Week by week", columns, rows)


def _chart(f: Forecast) -> Chart:
    return Chart(
        "forecast_closing",
        "Closing cash by week",
        [w.start.isoformat() for w in f.weeks],
        [
            Series("Closing cash", [_usd(w.closing) for w in f.weeks], "line", BLUE),
            Series("Zero", [0.0 for _ in f.weeks], "line", GREY, dash=True),
        ],
    )


def _findings(f: Forecast) -> list[Finding]:
    low = f.low_week
    out = [
        Finding(
            f"Cash is lowest in the week from {low.start.isoformat()}: "
            f"${_usd(low.closing):,.0f}, against ${_usd(f.opening):,.0f} at the start.",
            "bad" if low.closing < 0 else "info",
        )
    ]
    if f.weeks_below_zero:
        first = next(w for w in f.weeks if w.closing < 0)
        out.append(
            Finding(
                f"{f.weeks_below_zero} week(s) close below zero, the first from "
                f"{first.start.isoformat()}.",
                "bad",
            )
        )
    if f.scenario is not None:
        out.append(Finding(f"Scenario applied: {f.scenario.name or 'unsaved what-if'}.", "watch"))
    return out


def build_forecast_report(
    store: LedgerStore,
    scope: Scope,
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    as_of: date | None = None,
    weeks: int = 13,
    scenario: Scenario | None = None,
    by_entity: Mapping[str, Scenario] | None = None,
) -> ForecastReport:
    """The forecast report of a resolved scope from ``as_of`` (default: the end of the scope's
    period, or today while it runs, as the audits' as-of day)."""
    day = as_of or window(scope.period, today_in(tz, now))[1]
    f = forecast_of_scope(store, scope, day, weeks, scenario, by_entity=by_entity)
    base = frame(
        report="forecast",
        title=f"Cash forecast, {len(f.weeks)} weeks",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=forecast_kpis(f),
        sections=[
            Section(
                "headline",
                f"{scope.name} · from {day.isoformat()}",
                [KpiGroup(list(KPI_IDS)), *_findings(f)],
            ),
            Section("closing", "Closing cash by week", [_chart(f), _weeks_table(f)]),
            Section("sources", "Where the money comes from", [_sources_table(f)]),
        ],
    )
    horizon = {
        "as_of": day.isoformat(),
        "weeks": len(f.weeks),
        "scenario": scenario_json(f.scenario),
    }
    return ForecastReport(**vars(base), weeks=weeks_json(f), forecast=horizon)
