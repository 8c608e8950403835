"""The CFO report: revenue, expenses, cash, burn, runway and break-even (CONTRACT section 4)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore, TotalRow
from core.metrics.finance import FinanceSeries
from core.periods import month_add, month_label, month_short
from core.reports.common import (
    KpiDef,
    PaceBasis,
    compared_kpis,
    frame,
    memo,
    trend,
    ytd_comparisons,
)
from core.reports.formatting import dollars
from core.reports.model import (
    KPI,
    Chart,
    Column,
    Finding,
    KpiGroup,
    Report,
    Section,
    Series,
    Severity,
    Table,
)
from core.reports.palette import AMBER, BLUE, GREEN, GREY, RED
from core.reports.reads import Reads
from core.reports.scope import Scope
from core.reports.targets import directions, ytd_with_targets

# id, label, unit, direction
CFO_KPIS: list[KpiDef] = [
    ("revenue", "Revenue", "USD", "up"),
    ("expenses", "Expenses", "USD", "down"),
    ("net_income", "Net income", "USD", "up"),
    ("cash", "Cash", "USD", "up"),
    ("burn_rate", "Burn rate", "USD/month", "down"),
    ("runway_months", "Runway", "months", "up"),
    ("break_even_revenue", "Break-even revenue", "USD", "down"),
    ("deferred_revenue", "Deferred revenue", "USD", "up"),
    ("owner_distributions", "Owner distributions", "USD", "down"),
]
# summed year to date; the rest are balances or rates
CFO_FLOWS = ("revenue", "expenses", "net_income", "owner_distributions")


def cfo_values(series: FinanceSeries, m: int) -> dict[str, float | None]:
    """Every CFO KPI value for month ``m`` in dollars (runway in months)."""
    runway = series.runway_months(m)
    return {
        "revenue": dollars(series.revenue(m)),
        "expenses": dollars(series.expenses(m)),
        "net_income": dollars(series.net_income(m)),
        "cash": dollars(series.cash(m)),
        "burn_rate": dollars(series.burn_rate(m)),
        "runway_months": None if runway is None else round(runway, 1),
        "break_even_revenue": dollars(series.break_even_revenue(m)),
        "deferred_revenue": dollars(series.deferred_revenue(m)),
        "owner_distributions": dollars(series.owner_distributions(m)),
    }


def cfo_pace(reads: Reads) -> PaceBasis:
    """The CFO flows of a month through a day, for a month under way."""
    return PaceBasis(
        reads.today,
        CFO_FLOWS,
        lambda month, day: cfo_values(reads.series_through(month, day), month),
    )


def cfo_kpis(reads: Reads, pace: PaceBasis | None = None) -> list[KPI]:
    """The CFO KPIs of the scope's period with their comparisons and targets."""
    values = memo(lambda month: cfo_values(reads.series, month))
    kpis = compared_kpis(
        CFO_KPIS, values, reads.scope.period, reads.target, pace or cfo_pace(reads)
    )
    return [_unlimited_runway(k, values(reads.scope.period)) for k in kpis]


def _unlimited_runway(kpi: KPI, values: dict[str, float | None]) -> KPI:
    """No burn means no runway figure (cash does not run out), which meets any runway
    target: without this the tile said "No target" beside its target."""
    unlimited = kpi.value is None and values["burn_rate"] == 0
    if kpi.id == "runway_months" and unlimited and kpi.target is not None:
        return replace(kpi, status="good")
    return kpi


def build_cfo(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the CFO report for a resolved scope."""
    reads = Reads(store, scope, tz=tz, now=now)
    rows, series, names, by_entity = reads.rows, reads.series, reads.names, reads.entity_series
    m = scope.period
    values = memo(lambda month: cfo_values(series, month))
    pace = cfo_pace(reads)
    kpis = cfo_kpis(reads, pace)
    return frame(
        report="cfo",
        title="CFO report",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd_with_targets(
            ytd_comparisons(CFO_FLOWS, values, m, pace),
            directions(CFO_KPIS),
            reads.targets,
            m,
            today=pace.today,
        ),
        sections=[
            Section(
                "headline",
                f"{scope.name} · {month_label(m)}",
                [
                    KpiGroup(["revenue", "expenses", "net_income", "cash"]),
                    # cash: what operations burn, how long it lasts, what owners took out
                    KpiGroup(["burn_rate", "runway_months", "owner_distributions"]),
                    KpiGroup(["break_even_revenue", "deferred_revenue"]),
                    *_findings(kpis, series, m),
                ],
            ),
            Section("pnl", "Profit and loss", [_pnl_chart(series, m), _pnl_table(rows, scope, m)]),
            Section("cash", "Cash and runway", [_cash_chart(series, m)]),
            Section("break_even", "Break-even", [_break_even_chart(series, m)]),
            Section(
                "entities",
                "Burn by entity",
                [_burn_chart(by_entity, names, m), _entity_table(by_entity, names, m)],
            ),
        ],
    )


def _pnl_chart(series: FinanceSeries, m: int) -> Chart:
    months = trend(m)
    return Chart(
        id="pnl_trend",
        title="Revenue, expenses and net income by month",
        x=[month_short(x) for x in months],
        series=[
            Series("Revenue", [dollars(series.revenue(x)) for x in months], "bar", BLUE),
            Series("Expenses", [dollars(series.expenses(x)) for x in months], "bar", GREY),
            Series("Net income", [dollars(series.net_income(x)) for x in months], "line", GREEN),
        ],
    )


def _cash_chart(series: FinanceSeries, m: int) -> Chart:
    months = trend(m)
    runway = [series.runway_months(x) for x in months]
    return Chart(
        id="cash_runway",
        title="Cash at month end, and runway",
        x=[month_short(x) for x in months],
        series=[Series("Cash", [dollars(series.cash(x)) for x in months], "bar", BLUE)],
        secondary=Series(
            "Runway (months)",
            [None if r is None else round(r, 1) for r in runway],
            "line",
            AMBER,
        ),
        secondary_unit="months",
    )


def _break_even_chart(series: FinanceSeries, m: int) -> Chart:
    months = trend(m)
    return Chart(
        id="break_even",
        title="Actual revenue vs break-even revenue",
        x=[month_short(x) for x in months],
        series=[
            Series("Actual revenue", [dollars(series.revenue(x)) for x in months], "bar", BLUE),
            Series(
                "Break-even revenue",
                [dollars(series.break_even_revenue(x)) for x in months],
                "line",
                RED,
                dash=True,
            ),
        ],
    )


def _burn_chart(by_entity: dict[str, FinanceSeries], names: dict[str, str], m: int) -> Chart:
    ids = sorted(by_entity, key=lambda e: -by_entity[e].burn_rate(m))
    return Chart(
        id="burn_by_entity",
        title=f"Burn rate by entity (3 months to {month_label(m)})",
        x=[names.get(e, e) for e in ids],
        series=[
            Series("Burn rate", [dollars(by_entity[e].burn_rate(m)) for e in ids], "bar", RED),
            Series("Net income", [dollars(by_entity[e].net_income(m)) for e in ids], "bar", GREEN),
        ],
        unit="USD/month",
    )


def _entity_table(by_entity: dict[str, FinanceSeries], names: dict[str, str], m: int) -> Table:
    rows = []
    for eid, s in sorted(by_entity.items(), key=lambda kv: names.get(kv[0], kv[0])):
        v = cfo_values(s, m)
        rows.append({"entity": names.get(eid, eid), **v})
    return Table(
        id="entities",
        title="Entities (each on its own books, intercompany included)",
        columns=[
            Column("entity", "Entity"),
            Column("revenue", "Revenue", "USD"),
            Column("expenses", "Expenses", "USD"),
            Column("net_income", "Net income", "USD"),
            Column("cash", "Cash", "USD"),
            Column("burn_rate", "Burn / month", "USD"),
            Column("runway_months", "Runway (months)", "number"),
        ],
        rows=rows,
    )


def _pnl_table(rows: list[TotalRow], scope: Scope, m: int) -> Table:
    prev, year_ago = month_add(m, -1), month_add(m, -12)
    cells: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        if r.root not in ("Income", "Expenses") or r.month not in (m, prev, year_ago):
            continue
        if scope.consolidated and r.intercompany:
            continue
        sign = -1 if r.root == "Income" else 1
        cells[(r.root, r.path)][r.month] += sign * r.cents
    ordered = sorted(cells, key=lambda k: (k[0] != "Income", k[1]))
    return Table(
        id="pnl_accounts",
        title=f"Profit and loss by account, {month_label(m)}",
        columns=[
            Column("account", "Account"),
            Column("behavior", "Cost behavior"),
            Column("period", month_label(m), "USD"),
            Column("previous", month_label(prev), "USD"),
            Column("year_ago", month_label(year_ago), "USD"),
        ],
        rows=[
            {
                "account": path,
                "behavior": _behavior(rows, path) if root == "Expenses" else "",
                "period": dollars(cells[(root, path)][m]),
                "previous": dollars(cells[(root, path)][prev]),
                "year_ago": dollars(cells[(root, path)][year_ago]),
            }
            for root, path in ordered
        ],
    )


def _behavior(rows: list[TotalRow], path: str) -> str:
    for r in rows:
        if r.path == path:
            return r.cost_behavior or "fixed"
    return ""


_SEVERITY: dict[str, Severity] = {"good": "info", "watch": "watch", "bad": "bad", "none": "info"}


def _money(v: float) -> str:
    return f"${abs(v):,.0f}"


def _findings(kpis: list[KPI], series: FinanceSeries, m: int) -> list[Finding]:
    by_id = {k.id: k for k in kpis}
    out: list[Finding] = []
    rev, runway, burn, be = (
        by_id[k] for k in ("revenue", "runway_months", "burn_rate", "break_even_revenue")
    )
    # a month under way is measured against its target to date
    target = rev.pace.target if rev.pace else rev.target
    if target and rev.value is not None:
        gap = rev.value - target
        word = "above" if gap >= 0 else "below"
        whose = f"{_money(target)} target to date" if rev.pace else f"{_money(target)} target"
        text = (
            f"Revenue was {_money(rev.value)}, {_money(gap)} "
            f"({abs(gap / target * 100):.0f}%) {word} the {whose}."
        )
        out.append(Finding(text, _SEVERITY[rev.status]))
    if runway.value is not None and burn.value:
        sev: Severity = "bad" if runway.value < 6 else "watch" if runway.value < 12 else "info"
        text = (
            f"Cash fell by {_money(burn.value)} a month on average over the last 3 months: "
            f"{runway.value:.1f} months of runway at that rate."
        )
        out.append(Finding(text, sev))
    elif burn.value == 0:
        text = "Cash did not fall over the last 3 months on average: no burn, so no runway limit."
        out.append(Finding(text, "info"))
    if be.value is not None and rev.value is not None:
        above = rev.value >= be.value
        text = (
            f"Revenue is {'above' if above else 'below'} the break-even level of "
            f"{_money(be.value)} a month (3-month mean costs)."
        )
        out.append(Finding(text, "info" if above else "watch"))
    return out
