"""The CTO report: stack inventory and runtime end of life, security hardening roadmap, cloud
cost optimization and the dev cycle (commits, deploys, lead time).

Every figure is computed for the period's month "as of" its last day, or today for the
current month, so the KPIs compare with last month and last year like the CFO's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.metrics import tech as mt
from core.periods import as_of_day, days_covered, first_day, month_add, month_label, month_short
from core.reports.common import KpiDef, compared_kpis, frame, memo, trend, ytd_comparisons
from core.reports.cto_dev_cycle import dev_cycle
from core.reports.formatting import dollars
from core.reports.model import KPI, Chart, Column, Finding, KpiGroup, Report, Section, Series, Table
from core.reports.palette import AMBER, BLUE, GREY, RED, TEAL
from core.reports.reads import Reads
from core.reports.scope import Scope
from core.reports.targets import directions, ytd_with_targets
from core.tech.records import TechRecords, load, load_compared
from core.tech.runtimes import eol_date

TOP_SERVICES = 4  # the cost chart shows these, the rest as "Other"
MOVERS = 5
SERVICE_COLORS = [BLUE, TEAL, AMBER, "#6A1B9A", GREY]

CTO_KPIS: list[KpiDef] = [
    ("cloud_cost", "Cloud cost", "USD", "down"),
    ("idle_cost", "Idle resource cost", "USD", "down"),
    ("deploys_per_week", "Deploys per week", "number", "up"),
    ("lead_time_hours", "Lead time (hours)", "number", "down"),
    ("open_findings", "Open findings", "count", "down"),
    ("critical_findings", "Critical findings", "count", "down"),
    ("eol_services", "Services past EOL", "count", "down"),
    ("eol_soon_services", "EOL within 180 days", "count", "down"),
]
CTO_FLOWS = ("cloud_cost", "idle_cost")  # summed year to date; the rest are rates and counts
EOL_TEXT = {
    "past": "past EOL",
    "soon": f"EOL within {mt.EOL_WATCH_DAYS} days",
    "supported": "supported",
    "none": "n/a",
}
EOL_RANK = {"past": 0, "soon": 1, "supported": 2, "none": 3}


def flow_values(records: TechRecords, month: int) -> dict[str, float | None]:
    """The CTO KPIs that add up over months (money in dollars)."""
    return {
        "cloud_cost": dollars(mt.total_cost(records.costs, month)),
        "idle_cost": dollars(mt.idle_cost(records.usage, month)),
    }


def cto_values(records: TechRecords, month: int) -> dict[str, float | None]:
    """Every CTO KPI value for ``month`` (money in dollars)."""
    day = as_of_day(month, records.today)
    past, soon = mt.eol_counts(records.services, day, eol_date)
    unfixed = mt.unfixed_on(records.findings, day)
    days = days_covered(month, records.today)
    return {
        **flow_values(records, month),
        "deploys_per_week": mt.per_week(len(records.deploys_in(month)), days),
        "lead_time_hours": mt.median_lead_time(records.shipped_in(month)),
        "open_findings": float(len(unfixed)),
        "critical_findings": float(sum(f.severity == "critical" for f in unfixed)),
        "eol_services": float(past),
        "eol_soon_services": float(soon),
    }


def cto_kpis(reads: Reads, records: TechRecords | None = None) -> list[KPI]:
    """The CTO KPIs of the scope's period with their comparisons and targets; without
    ``records``, reads only the compared months."""
    if records is None:
        scope = reads.scope
        records = load_compared(
            reads.store, scope.entity_ids, scope.period, tz=reads.tz, today=reads.today
        )
    values = memo(lambda month: cto_values(records, month))
    return compared_kpis(CTO_KPIS, values, reads.scope.period, reads.target)


def build_cto(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the CTO report for a resolved scope."""
    reads = Reads(store, scope, tz=tz, now=now)
    records = load(store, scope.entity_ids, scope.period, tz=tz, today=reads.today)
    m = scope.period
    kpis = cto_kpis(reads, records)
    names = reads.names
    return frame(
        report="cto",
        title="CTO report",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd_with_targets(
            ytd_comparisons(CTO_FLOWS, lambda month: flow_values(records, month), m),
            directions(CTO_KPIS),
            reads.targets,
            m,
        ),
        sections=[
            Section(
                "headline",
                f"{scope.name} · {month_label(m)}",
                [
                    KpiGroup(["cloud_cost", "idle_cost", "deploys_per_week", "lead_time_hours"]),
                    KpiGroup(
                        ["open_findings", "critical_findings", "eol_services", "eol_soon_services"]
                    ),
                ],
            ),
            Section("stack", "Stack inventory", _stack(records, names, m)),
            Section("security", "Security hardening roadmap", _security(records, names, m)),
            Section("cost", "Cost optimization", _cost(records, names, m)),
            Section("dev_cycle", "Dev cycle", dev_cycle(records, names, m)),
        ],
    )


# -- stack inventory ----------------------------------------------------------------------------
def _stack(records: TechRecords, names: dict[str, str], m: int) -> list[Finding | Table]:
    day = as_of_day(m, records.today)
    cost = defaultdict(int)
    for c in records.costs:
        if c.month == m:
            cost[(c.entity_id, c.service)] += c.cents
    rows: list[tuple[int, int, dict[str, Any], Finding | None]] = []
    for s in mt.active_services(records.services, day):
        eol = eol_date(s.runtime)
        state = mt.eol_state(eol, day)
        entity = names.get(s.entity_id, s.entity_id)
        row = {
            "service": s.name,
            "entity": entity,
            "kind": s.kind,
            "runtime": s.runtime or "n/a",
            "eol": eol.isoformat() if eol else "",
            "days_to_eol": state.days,
            "eol_status": EOL_TEXT[state.status],
            "monthly_cost": dollars(cost.get((s.entity_id, s.name), 0)),
            "owner": s.owner,
        }
        note = None
        if eol is not None and state.days is not None and state.status == "past":
            note = Finding(
                f"{s.name} ({entity}) runs {s.runtime}, past its end of life on "
                f"{eol.isoformat()} ({-state.days} days before {day.isoformat()}).",
                "bad",
            )
        elif eol is not None and state.status == "soon":
            note = Finding(
                f"{s.name} ({entity}) runs {s.runtime}, which reaches end of life on "
                f"{eol.isoformat()} ({state.days} days after {day.isoformat()}).",
                "watch",
            )
        days = state.days if state.days is not None else 10**6
        rows.append((EOL_RANK[state.status], days, row, note))
    rows.sort(key=lambda r: (r[0], r[1], r[2]["entity"], r[2]["service"]))
    findings = [r[3] for r in rows if r[3] is not None]
    table = Table(
        id="stack_inventory",
        title=f"Services running on {day.isoformat()}",
        columns=[
            Column("service", "Service"),
            Column("runtime", "Runtime"),
            Column("eol", "End of life"),
            Column("days_to_eol", "Days to EOL", "number"),
            Column("eol_status", "EOL status"),
            Column("kind", "Kind"),
            Column("entity", "Entity"),
            Column("monthly_cost", f"Cost {month_short(m)}", "USD"),
            Column("owner", "Owner"),
        ],
        rows=[r[2] for r in rows],
    )
    if not rows:
        findings.append(Finding("No service is recorded for this scope.", "info"))
    return [*findings, table]


# -- security -----------------------------------------------------------------------------------
def _security(records: TechRecords, names: dict[str, str], m: int) -> list[Finding | Table]:
    day = as_of_day(m, records.today)
    items = mt.roadmap(records.findings, first_day(m), day)
    unfixed = [f for f, status in items if status != "fixed"]
    critical = [f for f in unfixed if f.severity == "critical"]
    out: list[Finding | Table] = []
    if critical:
        listed = "; ".join(f"{f.title} ({f.service})" for f in critical)
        word = "finding is" if len(critical) == 1 else "findings are"
        out.append(Finding(f"{len(critical)} critical {word} not fixed: {listed}.", "bad"))
    counts = Counter(f.severity for f in unfixed)
    if unfixed:
        parts = ", ".join(f"{counts[s]} {s}" for s in mt.SEVERITY_ORDER if counts[s])
        out.append(Finding(f"{len(unfixed)} findings are not fixed on {day.isoformat()}: {parts}."))
    else:
        out.append(Finding(f"No security finding is open on {day.isoformat()}."))
    out.append(
        Table(
            id="security_roadmap",
            title="Findings, open first by severity (fixed ones: fixed this month or later)",
            columns=[
                Column("severity", "Severity"),
                Column("status", "Status"),
                Column("finding", "Finding"),
                Column("service", "Service"),
                Column("fix", "Fix"),
                Column("entity", "Entity"),
                Column("opened", "Opened"),
                Column("source", "Source"),
            ],
            rows=[
                {
                    "severity": f.severity,
                    "status": status.replace("_", " "),
                    "finding": f.title,
                    "fix": f.fix,
                    "service": f.service,
                    "entity": names.get(f.entity_id, f.entity_id),
                    "opened": f.opened_on.isoformat(),
                    "source": f.source,
                }
                for f, status in items
            ],
        )
    )
    return out


# -- cost ---------------------------------------------------------------------------------------
def _cost(records: TechRecords, names: dict[str, str], m: int) -> list[Finding | Table | Chart]:
    prev = month_add(m, -1)
    out: list[Finding | Table | Chart] = []
    now_c, prev_c = mt.total_cost(records.costs, m), mt.total_cost(records.costs, prev)
    if prev_c:
        change = now_c - prev_c
        out.append(
            Finding(
                f"Cloud cost was ${now_c / 100:,.0f} in {month_label(m)}, "
                f"${abs(change) / 100:,.0f} ({abs(change) / prev_c * 100:.1f}%) "
                f"{'more' if change >= 0 else 'less'} than in {month_label(prev)}.",
                "watch" if change > 0.1 * prev_c else "info",
            )
        )
    idle = mt.idle_resources(records.usage, m)
    if idle:
        idle_c = sum(u.cents for u in idle)
        share = f", {idle_c / now_c * 100:.0f}% of cloud cost" if now_c else ""
        out.append(
            Finding(
                f"{len(idle)} idle resources (utilization under {mt.IDLE_UTILIZATION_PCT:g}%) "
                f"cost ${idle_c / 100:,.0f} in {month_label(m)}{share}.",
                "watch",
            )
        )
    out += [
        _cost_chart(records, m),
        _movers_table(records, m),
        _idle_table(idle, names, m, records),
    ]
    return out


def _cost_chart(records: TechRecords, m: int) -> Chart:
    months = trend(m)
    by = mt.cost_by_service(records.costs, months)
    ranked = sorted(by, key=lambda s: (-by[s][-1], -sum(by[s]), s))
    top, rest = ranked[:TOP_SERVICES], ranked[TOP_SERVICES:]
    if len(rest) == 1:  # an "Other" of one service is just that service
        top, rest = ranked, []
    series = [
        Series(s, [dollars(v) for v in by[s]], "bar", SERVICE_COLORS[i % len(SERVICE_COLORS)])
        for i, s in enumerate(top)
    ]
    if rest:
        other = [sum(by[s][i] for s in rest) for i in range(len(months))]
        series.append(Series("Other", [dollars(v) for v in other], "bar", GREY))
    totals = [sum(by[s][i] for s in by) for i in range(len(months))]
    series.append(Series("Total", [dollars(v) for v in totals], "line", RED))
    return Chart(
        id="cost_by_service",
        title="Cloud cost by service by month",
        x=[month_short(x) for x in months],
        series=series,
        stacked=True,
    )


def _movers_table(records: TechRecords, m: int) -> Table:
    prev = month_add(m, -1)
    return Table(
        id="cost_movers",
        title=f"Top movers, {month_label(prev)} to {month_label(m)}",
        columns=[
            Column("service", "Service"),
            Column("previous", month_label(prev), "USD"),
            Column("current", month_label(m), "USD"),
            Column("change", "Change", "USD"),
            Column("change_pct", "Change %", "percent"),
        ],
        rows=[
            {
                "service": mv.service,
                "previous": dollars(mv.previous),
                "current": dollars(mv.current),
                "change": dollars(mv.change),
                "change_pct": mv.pct,
            }
            for mv in mt.top_movers(records.costs, m, prev, MOVERS)
        ],
    )


def _idle_table(
    idle: list[mt.UsageRow], names: dict[str, str], m: int, records: TechRecords
) -> Table:
    day = as_of_day(m, records.today)
    return Table(
        id="idle_resources",
        title=f"Idle resources in {month_label(m)} (billed, under "
        f"{mt.IDLE_UTILIZATION_PCT:g}% utilization)",
        columns=[
            Column("resource", "Resource"),
            Column("service", "Service"),
            Column("entity", "Entity"),
            Column("monthly_cost", "Monthly cost", "USD"),
            Column("utilization", "Utilization %", "percent"),
            Column("last_active", "Last active"),
            Column("days_idle", "Days idle", "count"),
        ],
        rows=[
            {
                "resource": u.resource,
                "service": u.service,
                "entity": names.get(u.entity_id, u.entity_id),
                "monthly_cost": dollars(u.cents),
                "utilization": u.utilization_pct,
                "last_active": u.last_active_on.isoformat() if u.last_active_on else "",
                "days_idle": mt.days_idle(u.last_active_on, day),
            }
            for u in idle
        ],
    )
