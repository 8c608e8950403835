"""The CEO report: revenue against targets, assets, operational shortfalls, the KPI framework."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.assets.store import list_assets, usage
from core.ledger.models_assets import Asset
from core.ledger.store import LedgerStore
from core.metrics.finance import FinanceSeries
from core.metrics.portfolio import Gap, shortfall_counts, utilization
from core.ops.service import OpsService
from core.ops.shortfalls import HORIZON, TripShortfall, upcoming_shortfalls
from core.pace import month_to_date, prorate
from core.periods import as_of_day, days_in, month_add, month_label
from core.reports.ceo_assets import asset_chart, asset_table
from core.reports.ceo_data import AR_AGE_DAYS, OverdueReceivables, revenue_gaps
from core.reports.ceo_shortfalls import shortfall_items
from core.reports.common import (
    KpiDef,
    PaceBasis,
    compared_kpis,
    frame,
    memo,
    ytd_comparisons,
)
from core.reports.formatting import dollars, format_value
from core.reports.kpi_framework import kpi_framework
from core.reports.model import (
    KPI,
    Chart,
    Column,
    Finding,
    KpiGroup,
    Report,
    Section,
    Series,
    Table,
    YtdValue,
    make_kpi,
)
from core.reports.palette import BLUE, GREY
from core.reports.reads import Reads, TargetMonths
from core.reports.scope import Scope
from core.reports.since_yesterday import since_yesterday
from core.reports.targets import directions, ytd_with_targets

CEO_KPIS: list[KpiDef] = [
    ("revenue", "Revenue", "USD", "up"),
    ("revenue_gap", "Revenue vs target", "USD", "up"),
    ("net_income", "Net income", "USD", "up"),
    ("cash", "Cash", "USD", "up"),
    ("asset_utilization", "Asset utilization", "percent", "up"),
    ("ar_over_60", "AR over 60 days", "USD", "down"),
    ("uncategorized_count", "Uncategorized lines", "count", "down"),
]
OPS_KPIS: list[KpiDef] = [
    ("unfilled_slots", "Open crew slots", "count", "down"),
    ("unfinished_checklists", "Checklists not done", "count", "down"),
    ("guests_on_hold", "Guests on hold", "count", "down"),
]
CEO_FLOWS = ("revenue", "revenue_gap", "net_income")


def build_ceo(
    store: LedgerStore,
    scope: Scope,
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    ops: OpsService | None = None,
) -> Report:
    """Build the CEO report; ``ops`` adds the charter operations shortfalls."""
    m = scope.period
    now = now or datetime.now(tz)
    # shared with the KPI framework's personas; the targets read are the period's, and its
    # flows' from last January on (the year to date of both years and the compared months)
    months = TargetMonths(month_add(m // 100 * 100 + 1, -12), m, CEO_FLOWS)
    reads = Reads(store, scope, tz=tz, now=now, target_months=months)
    rows, series, targets, names = reads.rows, reads.series, reads.targets, reads.names
    assets = list_assets(store, scope.entity_ids)
    compared = [m, month_add(m, -1), month_add(m, -12)]
    usage_rows = usage(store, scope.entity_ids, compared)
    overdue = OverdueReceivables(store, scope, rows)
    overdue.on([as_of_day(x, reads.today) for x in compared])  # the KPIs' months, one read

    def ar_old(month: int) -> dict[str, int]:
        day = as_of_day(month, reads.today)
        return overdue.on([day])[day]

    def flows(month: int) -> dict[str, float | None]:  # cheap (no query): YTD asks 24 months
        mtd = month_to_date(month, reads.today)
        return ceo_flows(series, month, targets.get(("revenue", month)), mtd.day if mtd else None)

    def through(month: int, day: date) -> dict[str, float | None]:
        target = targets.get(("revenue", month))
        return ceo_flows(reads.series_through(month, day), month, target, day.day)

    pace = PaceBasis(reads.today, CEO_FLOWS, through)

    def values(month: int) -> dict[str, float | None]:
        return {
            **flows(month),
            "cash": dollars(series.cash(month)),
            "asset_utilization": utilization(usage_rows, month),
            "ar_over_60": dollars(sum(ar_old(month).values())),
            "uncategorized_count": float(len(reads.uncategorized(month))),
        }

    values_for = memo(values)
    kpis = compared_kpis(CEO_KPIS, values_for, m, lambda kid: targets.get((kid, m)), pace)
    # the gap has no target of its own: its colour is revenue's against revenue's target
    revenue = next(k for k in kpis if k.id == "revenue")
    kpis = [replace(k, status=revenue.status) if k.id == "revenue_gap" else k for k in kpis]

    ytd = ytd_with_targets(
        ytd_comparisons(CEO_FLOWS, flows, m, pace),
        directions(CEO_KPIS),
        targets,
        m,
        today=pace.today,
    )
    if "revenue_gap" in ytd:  # coloured as revenue is, year to date too
        ytd["revenue_gap"] = replace(ytd["revenue_gap"], status=ytd["revenue"].status)

    trips: list[TripShortfall] | None = None
    headline_groups = [
        KpiGroup(["revenue", "revenue_gap", "net_income", "cash"]),
        KpiGroup(["asset_utilization", "ar_over_60", "uncategorized_count"]),
    ]
    if ops is not None:
        trips = upcoming_shortfalls(ops, scope.entity_ids, now)
        kpis += _ops_kpis(trips, lambda kid: targets.get((kid, m)))
        headline_groups.append(KpiGroup([k[0] for k in OPS_KPIS]))

    gaps = revenue_gaps(reads)
    # asset revenue reads the year to date of the assets' revenue accounts only: each asset
    # scans those rows, not all of them
    ytd_rows = [r for r in rows if m // 100 * 100 < r.month <= m and _earns(r.path, assets)]
    by_id = {k.id: k for k in kpis}
    return frame(
        report="ceo",
        title="CEO report",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd,
        # the morning strip belongs to the month under way; a completed month reads as before
        since_yesterday=since_yesterday(store, scope, reads.today, trips=trips, now=now)
        if month_to_date(m, reads.today)
        else [],
        sections=[
            Section(
                "headline",
                f"{scope.name} · {month_label(m)}",
                [*headline_groups, *_findings(by_id, gaps, trips, m, ytd)],
            ),
            Section(
                "revenue_gaps",
                "Revenue against target",
                [_gap_chart(gaps, m), _gap_table(gaps, m)],
            ),
            Section(
                "assets",
                "Asset inventory",
                [
                    asset_table(assets, ytd_rows, usage_rows, m, names),
                    asset_chart(assets, ytd_rows, m),
                ],
            ),
            Section(
                "shortfalls",
                "Operational shortfalls",
                shortfall_items(reads, trips, ar_old(m)),
            ),
            Section(
                "framework",
                "KPI framework",
                [kpi_framework(reads, kpis)],
            ),
        ],
    )


def _earns(path: str, assets: list[Asset]) -> bool:
    """True when ``path`` is an asset's revenue account or below one."""
    return any(
        a.revenue_account
        and (path == a.revenue_account or path.startswith(a.revenue_account + ":"))
        for a in assets
    )


def ceo_flows(
    series: FinanceSeries, month: int, target: float | None, day: int | None
) -> dict[str, float | None]:
    """Revenue, its gap to target and net income of ``month``; read through ``day`` (a month
    under way, or the same day of an earlier one), the gap is to the target pro-rated to it."""
    revenue = dollars(series.revenue(month))
    if day is not None:
        target = prorate(target, day, days_in(month))
    return {
        "revenue": revenue,
        "revenue_gap": None if target is None else round(revenue - target, 2),
        "net_income": dollars(series.net_income(month)),
    }


def _ops_kpis(trips: list[TripShortfall], target: Callable[[str], float | None]) -> list[KPI]:
    """Counts over the next 14 days: there is no last month or last year to compare."""
    counts = shortfall_counts(trips)
    return [
        make_kpi(
            kid,
            label,
            unit,
            direction,
            value=float(counts[kid]),
            previous=None,
            year_ago=None,
            target=target(kid),
        )
        for kid, label, unit, direction in OPS_KPIS
    ]


def _gap_chart(gaps: list[Gap], m: int) -> Chart:
    entities = [g for g in gaps if not g.total]
    return Chart(
        id="revenue_vs_target",
        title=f"Revenue vs target by entity, {month_label(m)}",
        x=[g.entity for g in entities],
        series=[
            Series("Actual", [g.actual for g in entities], "bar", BLUE),
            Series("Target", [g.target for g in entities], "bar", GREY),
        ],
    )


def _gap_table(gaps: list[Gap], m: int) -> Table:
    return Table(
        id="revenue_gaps",
        title=f"Revenue gaps, {month_label(m)} and year to date (each entity on its own books)",
        columns=[
            Column("entity", "Entity"),
            Column("actual", "Revenue", "USD"),
            Column("target", "Target", "USD"),
            Column("gap", "Gap", "USD"),
            Column("gap_pct", "Gap %", "percent"),
            Column("ytd_actual", "YTD revenue", "USD"),
            Column("ytd_target", "YTD target", "USD"),
            Column("ytd_gap", "YTD gap", "USD"),
        ],
        rows=[g.row() for g in gaps],
    )


def _findings(
    by_id: dict[str, KPI],
    gaps: list[Gap],
    trips: list[TripShortfall] | None,
    m: int,
    ytd: dict[str, YtdValue],
) -> list[Finding]:
    out: list[Finding] = []
    entities = [g for g in gaps if not g.total and g.gap is not None]
    if entities:
        worst = min(entities, key=lambda g: g.gap or 0.0)
        best = max(entities, key=lambda g: g.gap or 0.0)
        met = sum(1 for g in entities if (g.gap or 0.0) >= 0)
        out.append(
            Finding(
                f"{met} of {len(entities)} entities met their {month_label(m)} revenue target.",
                "info" if met == len(entities) else "watch",
            )
        )
        if worst.gap is not None and worst.gap < 0 and worst.gap_pct is not None:
            out.append(
                Finding(
                    f"Largest shortfall: {worst.entity} took in {_usd(worst.actual)} against a "
                    f"{_usd(worst.target)} target, {_usd(-worst.gap)} "
                    f"({abs(worst.gap_pct):.0f}%) short.",
                    "bad" if worst.gap_pct < -10 else "watch",
                )
            )
        if best.gap is not None and best.gap > 0 and best.gap_pct is not None:
            out.append(
                Finding(
                    f"Largest surplus: {best.entity}, {_usd(best.gap)} "
                    f"({best.gap_pct:.0f}%) above its target.",
                    "info",
                )
            )
    gap_ytd, rev_ytd = ytd.get("revenue_gap"), ytd.get("revenue")
    if gap_ytd and gap_ytd.value is not None and rev_ytd and rev_ytd.value is not None:
        word = "above" if gap_ytd.value >= 0 else "below"
        out.append(
            Finding(
                f"Year to date, revenue is {_usd(rev_ytd.value)}, "
                f"{_usd(abs(gap_ytd.value))} {word} target.",
                "info" if gap_ytd.value >= 0 else "watch",
            )
        )
    ar = by_id["ar_over_60"].value
    if ar:
        out.append(
            Finding(f"{_usd(ar)} of receivables is more than {AR_AGE_DAYS} days past due.", "watch")
        )
    short = [t for t in trips or [] if t.open_slots]
    if trips and short:
        out.append(
            Finding(
                f"{len(short)} of {len(trips)} trips in the next {HORIZON.days} days still "
                f"have open crew slots ({sum(t.open_slots for t in short)} in all).",
                "watch",
            )
        )
    return out


def _usd(value: float | None) -> str:
    return format_value(value, "USD")
