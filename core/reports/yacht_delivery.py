"""The yacht-delivery audit: the job pipeline (lead to paid), nautical miles, days, on-time
rate, quoted vs actual cost, margin per nautical mile, crew cost and delay reasons.

Covers the scope's entities that have delivery jobs; invoiced jobs reconcile to
Income:Deliveries.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.audits.store import delivery_jobs, entities_with
from core.audits.window import pct, today_in, trend, window
from core.ledger.models_audits import DELIVERY_STAGES, DeliveryJob
from core.ledger.store import LedgerStore
from core.metrics import delivery as dm
from core.periods import month_label, month_short
from core.reports.common import KpiDef, compared_kpis, frame, memo, ytd_comparisons
from core.reports.formatting import dollars
from core.reports.model import Chart, Column, Finding, KpiGroup, Report, Section, Series, Table
from core.reports.palette import AMBER, BLUE, GREEN, GREY, RED
from core.reports.scope import Scope

OPEN_STAGES = ("lead", "quoted", "booked")
DELIVERY_KPIS: list[KpiDef] = [
    ("deliveries", "Deliveries completed", "count", "up"),
    ("nautical_miles", "Nautical miles", "number", "up"),
    ("delivery_days", "Days under way", "number", "up"),
    ("on_time_rate", "On-time rate", "percent", "up"),
    ("margin_per_nm", "Margin per nautical mile", "USD/nm", "up"),
    ("cost_overrun", "Actual minus quoted cost", "USD", "down"),
    ("crew_cost", "Crew cost", "USD", "down"),
    ("pipeline_value", "Open pipeline", "USD", "up"),  # stages: see KPI help,
]
FLOWS = (
    "deliveries",
    "nautical_miles",
    "delivery_days",
    "crew_cost",
)  # summed year to date; the rest are rates, counts or balances


def delivery_flows(jobs: list[DeliveryJob], month: int, today: date) -> dict[str, float | None]:
    """Just the summable KPIs of a month (year to date needs 24 months of them)."""
    first, last = window(month, today)
    done = dm.delivered_between(jobs, first, last)
    has = bool(jobs)
    return {
        "deliveries": float(len(done)) if has else None,
        "nautical_miles": float(dm.nautical_miles(done)) if has else None,
        "delivery_days": float(dm.days_at_sea(done)) if has else None,
        "crew_cost": dollars(sum(j.crew_cost_cents for j in done)) if has else None,
    }


def delivery_values(jobs: list[DeliveryJob], month: int, today: date) -> dict[str, float | None]:
    """Every delivery KPI for one month, from the jobs delivered in it."""
    first, last = window(month, today)
    done = dm.delivered_between(jobs, first, last)
    margin = dm.margin_per_nm(done)
    stages = dm.pipeline(jobs, last)
    has = bool(jobs)
    return {
        "deliveries": float(len(done)) if has else None,
        "nautical_miles": float(dm.nautical_miles(done)) if has else None,
        "delivery_days": float(dm.days_at_sea(done)) if has else None,
        "on_time_rate": pct(dm.on_time_rate(done)),
        "margin_per_nm": None if margin is None else round(margin / 100, 2),
        "cost_overrun": dollars(dm.cost_overrun(done)) if done else None,
        "crew_cost": dollars(sum(j.crew_cost_cents for j in done)) if has else None,
        "pipeline_value": dollars(sum(stages[s][1] for s in OPEN_STAGES)) if has else None,
    }


def build_yacht_delivery(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the yacht-delivery audit for a resolved scope."""
    today = today_in(tz, now)
    ids = entities_with(store, DeliveryJob, scope.entity_ids)
    jobs = delivery_jobs(store, ids)
    m = scope.period
    targets = store.targets(scope.target_key) if scope.target_key else {}
    values = memo(lambda month: delivery_values(jobs, month, today))
    kpis = compared_kpis(DELIVERY_KPIS, values, m, lambda kid: targets.get((kid, m)))
    first, last = window(m, today)
    done = dm.delivered_between(jobs, first, last)
    headline: list = [
        KpiGroup(["deliveries", "nautical_miles", "delivery_days", "on_time_rate"]),
        KpiGroup(["margin_per_nm", "cost_overrun", "crew_cost", "pipeline_value"]),
    ]
    if not ids:
        headline.append(Finding(f"No yacht-delivery records for {scope.name}.", "info"))
    else:
        headline += _findings(done, jobs, first, last)
    return frame(
        report="yacht-delivery",
        title="Yacht delivery audit",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd_comparisons(FLOWS, lambda month: delivery_flows(jobs, month, today), m),
        sections=[
            Section("headline", f"{scope.name} · {month_label(m)} · as of {last}", headline),
            Section(
                "pipeline",
                f"Job pipeline on {last}",
                [_pipeline_chart(jobs, last), _pipeline_table(jobs, last)],
            ),
            Section("deliveries", "Deliveries completed", [_delivered_table(done, first, last)]),
            Section(
                "costs",
                "Quoted vs actual cost",
                [_cost_chart(jobs, m, today), _trend_chart(jobs, m, today)],
            ),
            Section("delays", "Delay reasons", [_delays(jobs, m, today, done)]),
        ],
    )


def _findings(
    done: list[DeliveryJob], jobs: list[DeliveryJob], first: date, last: date
) -> list[Finding]:
    out: list[Finding] = []
    if not done:
        out.append(Finding(f"No delivery was completed from {first} to {last}.", "info"))
        return out
    late = [j for j in done if not dm.is_on_time(j)]
    out.append(
        Finding(
            f"{len(done)} deliveries completed ({dm.nautical_miles(done):,} nm); "
            f"{len(late)} arrived later than planned.",
            "watch" if late else "info",
        )
    )
    over = dm.cost_overrun(done)
    word = "above" if over > 0 else "below"
    out.append(
        Finding(
            f"Actual costs were ${abs(over) / 100:,.0f} {word} the estimates behind the quotes.",
            "watch" if over > 0 else "info",
        )
    )
    unpaid = [
        j for j in jobs if dm.stage_of(j, last) == "invoiced" and j.due_on and j.due_on < last
    ]
    if unpaid:
        owed = sum(j.invoice_cents for j in unpaid)
        out.append(
            Finding(
                f"{len(unpaid)} invoiced deliveries (${owed / 100:,.0f}) are past due.", "watch"
            )
        )
    return out


def _pipeline_chart(jobs: list[DeliveryJob], day: date) -> Chart:
    stages = dm.pipeline(jobs, day) if jobs else {s: (0, 0) for s in DELIVERY_STAGES}
    return Chart(
        id="pipeline",
        title="Jobs by stage (quoted value)",
        x=list(DELIVERY_STAGES),
        series=[
            Series("Quoted value", [dollars(stages[s][1]) for s in DELIVERY_STAGES], "bar", BLUE)
        ],
        secondary=Series("Jobs", [float(stages[s][0]) for s in DELIVERY_STAGES], "line", AMBER),
        secondary_unit="count",
    )


def _pipeline_table(jobs: list[DeliveryJob], day: date) -> Table:
    # every job not yet paid, plus the ones paid in the last 30 days, latest stage first
    order = {s: i for i, s in enumerate(reversed(DELIVERY_STAGES))}
    rows = []
    for j in jobs:
        stage = dm.stage_of(j, day)
        if stage is None or (stage == "paid" and j.paid_on and (day - j.paid_on).days > 30):
            continue
        rows.append((order[stage], j.planned_start, j, stage))
    rows.sort(key=lambda r: (r[0], r[1]))
    return Table(
        id="pipeline_jobs",
        title="Open jobs (and jobs paid in the last 30 days)",
        columns=[
            Column("job", "Job"),
            Column("stage", "Stage"),
            Column("vessel", "Vessel"),
            Column("route", "Route"),
            Column("nm", "nm", "number"),
            Column("start", "Planned start"),
            Column("quote", "Quote", "USD"),
        ],
        rows=[
            {
                "job": j.id.split(":")[-1],
                "stage": stage,
                "vessel": j.vessel,
                "route": f"{j.origin} → {j.destination}",
                "nm": j.nautical_miles,
                "start": str(j.planned_start),
                "quote": dollars(j.quote_cents),
            }
            for _, _, j, stage in rows
        ],
    )


def _delivered_table(done: list[DeliveryJob], first: date, last: date) -> Table:
    return Table(
        id="delivered",
        title=f"Delivered from {first} to {last}",
        columns=[
            Column("job", "Job"),
            Column("vessel", "Vessel"),
            Column("route", "Route"),
            Column("nm", "nm", "number"),
            Column("planned_days", "Planned days", "number"),
            Column("actual_days", "Actual days", "number"),
            Column("on_time", "On time"),
            Column("delay_reason", "Delay reason"),
            Column("price", "Price", "USD"),
            Column("quoted_cost", "Quoted cost", "USD"),
            Column("actual_cost", "Actual cost", "USD"),
            Column("crew_cost", "Crew cost", "USD"),
            Column("margin", "Margin", "USD"),
            Column("margin_per_nm", "Margin / nm", "USD/nm"),
        ],
        rows=[
            {
                "job": j.id.split(":")[-1],
                "vessel": j.vessel,
                "route": f"{j.origin} → {j.destination}",
                "nm": j.nautical_miles,
                "planned_days": j.planned_days,
                "actual_days": j.actual_days,
                "on_time": "yes" if dm.is_on_time(j) else "no",
                "delay_reason": j.delay_reason or "",
                "price": dollars(dm.price(j)),
                "quoted_cost": dollars(j.quoted_cost_cents),
                "actual_cost": dollars(dm.actual_cost(j)),
                "crew_cost": dollars(j.crew_cost_cents),
                "margin": dollars(dm.price(j) - dm.actual_cost(j)),
                "margin_per_nm": round(
                    (dm.price(j) - dm.actual_cost(j)) / j.nautical_miles / 100, 2
                ),
            }
            for j in done
        ],
    )


def _cost_chart(jobs: list[DeliveryJob], m: int, today: date) -> Chart:
    months = trend(m)
    quoted, actual, crew = [], [], []
    for x in months:
        done = dm.delivered_between(jobs, *window(x, today))
        quoted.append(dollars(sum(j.quoted_cost_cents for j in done)))
        actual.append(dollars(sum(dm.actual_cost(j) for j in done)))
        crew.append(dollars(sum(j.crew_cost_cents for j in done)))
    return Chart(
        id="quoted_vs_actual",
        title="Quoted vs actual cost of the deliveries completed each month",
        x=[month_short(x) for x in months],
        series=[
            Series("Quoted cost", quoted, "bar", GREY),
            Series("Actual cost", actual, "bar", RED),
            Series("Crew cost", crew, "line", AMBER),
        ],
    )


def _trend_chart(jobs: list[DeliveryJob], m: int, today: date) -> Chart:
    months = trend(m)
    values = [delivery_values(jobs, x, today) for x in months]
    return Chart(
        id="margin_trend",
        title="Margin per nautical mile and on-time rate by month",
        x=[month_short(x) for x in months],
        series=[Series("Margin / nm", [v["margin_per_nm"] for v in values], "bar", GREEN)],
        secondary=Series("On-time rate (%)", [v["on_time_rate"] for v in values], "line", BLUE),
        secondary_unit="percent",
    )


def _delays(jobs: list[DeliveryJob], m: int, today: date, done: list[DeliveryJob]) -> Table:
    first, _ = window(trend(m)[0], today)
    _, last = window(m, today)
    year = dm.delivered_between(jobs, first, last)
    now, past = dm.delay_reasons(done), dm.delay_reasons(year)
    return Table(
        id="delay_reasons",
        title=f"Late deliveries by reason (this month, and {first} to {last})",
        columns=[
            Column("reason", "Reason"),
            Column("month", "This month", "count"),
            Column("year", "13 months", "count"),
        ],
        rows=[{"reason": r, "month": now.get(r, 0), "year": n} for r, n in past.items()],
    )
