"""The yacht-delivery audit: the job pipeline (lead to paid), nautical miles, days, on-time
rate, quoted vs actual cost, margin per nautical mile, crew cost and delay reasons.

Covers the scope's entities that have delivery jobs; invoiced jobs reconcile to
Income:Deliveries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.ledger.models_records import DELIVERY_STAGES, DeliveryJob
from core.ledger.store import LedgerStore
from core.metrics import delivery as dm
from core.periods import first_day, month_add, month_label, month_short
from core.records.delivery_queries import (
    Delivered,
    DeliveredByDay,
    delay_reasons,
    delivered_jobs,
    pipeline_jobs,
    pipelines_on,
)
from core.records.store import entities_with
from core.records.window import window
from core.reports.common import (
    KpiDef,
    PaceBasis,
    compared_kpis,
    frame,
    memo,
    today_in,
    trend,
    ytd_comparisons,
)
from core.reports.formatting import dollars, format_value, pct
from core.reports.model import Chart, Column, Finding, KpiGroup, Report, Section, Series, Table
from core.reports.palette import AMBER, BLUE, GREEN, GREY, RED
from core.reports.reads import scope_targets
from core.reports.scope import Scope
from core.reports.targets import directions, ytd_with_targets

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


class _Deliveries:
    """The windows of a scope's delivery jobs that the report of ``month`` reads: per-day
    totals of the deliveries from January a year earlier, the pipeline on the as-of days the
    KPIs compare, and the jobs its tables list."""

    def __init__(self, store: LedgerStore, ids: list[str], month: int, today: date) -> None:
        self.has = bool(ids)  # ids are the entities with jobs
        self.today = today
        months = trend(month)
        start = window(min(months[0], month_add(month // 100 * 100 + 1, -12)), today)[0]
        self.first, self.last = window(month, today)
        self.store, self.ids = store, ids
        self.delivered = DeliveredByDay(store, ids, start, self.last)
        self.done = delivered_jobs(store, ids, self.first, self.last)
        self.open = pipeline_jobs(store, ids, self.last)
        # each listed job with its stage on the as-of day (the table and the findings read it)
        self.staged = [(j, dm.stage_of(j, self.last)) for j in self.open]
        self.year_first = window(months[0], today)[0]
        # the pipeline on the as-of days the KPIs compare (this month, the one before, a year ago)
        compared = [
            window(x, today)[1] for x in (month, month_add(month, -1), month_add(month, -12))
        ]
        self._stages = pipelines_on(store, ids, compared)

    def stages(self, day: date) -> dict[str, tuple[int, int]]:
        """(count, quoted cents) per stage on ``day``."""
        if day not in self._stages:
            self._stages.update(pipelines_on(self.store, self.ids, [day]))
        return self._stages[day]

    def totals(self, month: int) -> Delivered:
        """Totals of the jobs delivered in a month (to date while it runs)."""
        return self.delivered.between(*window(month, self.today))

    def flows(self, month: int) -> dict[str, float | None]:
        """Just the summable KPIs of a month (year to date needs 24 months of them)."""
        return self._flows(self.totals(month))

    def through(self, month: int, day: date) -> dict[str, float | None]:
        """The summable KPIs of ``month`` from its 1st to ``day`` (a month under way's pace)."""
        return self._flows(self.delivered.between(first_day(month), day))

    def _flows(self, t: Delivered) -> dict[str, float | None]:
        has = self.has
        return {
            "deliveries": float(t.count) if has else None,
            "nautical_miles": float(t.nautical_miles) if has else None,
            "delivery_days": float(t.days) if has else None,
            "crew_cost": dollars(t.crew_cost) if has else None,
        }

    def rates(self, month: int) -> dict[str, float | None]:
        """The KPIs of the deliveries completed in a month (all but the pipeline)."""
        t = self.totals(month)
        margin = (t.price - t.actual_cost) / t.nautical_miles if t.nautical_miles else None
        return {
            **self.flows(month),
            "on_time_rate": pct(100 * t.on_time / t.count if t.count else None),
            "margin_per_nm": None if margin is None else round(margin / 100, 2),
            "cost_overrun": dollars(t.actual_cost - t.quoted_cost) if t.count else None,
        }

    def values(self, month: int) -> dict[str, float | None]:
        """Every delivery KPI for one month."""
        if not self.has:
            return {**self.rates(month), "pipeline_value": None}
        stages = self.stages(window(month, self.today)[1])
        open_value = sum(stages[s][1] for s in OPEN_STAGES)
        return {**self.rates(month), "pipeline_value": dollars(open_value)}


def build_yacht_delivery(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the yacht-delivery audit for a resolved scope."""
    today = today_in(tz, now)
    ids = entities_with(store, DeliveryJob, scope.entity_ids)
    m = scope.period
    data = _Deliveries(store, ids, m, today)
    targets = scope_targets(store, scope)
    values = memo(data.values)
    pace = PaceBasis(today, FLOWS, data.through)
    kpis = compared_kpis(DELIVERY_KPIS, values, m, lambda kid: targets.get((kid, m)), pace)
    first, last, done = data.first, data.last, data.done
    headline: list = [
        KpiGroup(["deliveries", "nautical_miles", "delivery_days", "on_time_rate"]),
        KpiGroup(["margin_per_nm", "cost_overrun", "crew_cost", "pipeline_value"]),
    ]
    if not ids:
        headline.append(Finding(f"No yacht-delivery records for {scope.name}.", "info"))
    else:
        headline += _findings(done, data.staged, first, last)
    return frame(
        report="yacht-delivery",
        title="Yacht delivery audit",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd_with_targets(
            ytd_comparisons(FLOWS, data.flows, m, pace),
            directions(DELIVERY_KPIS),
            targets,
            m,
            today=pace.today,
        ),
        sections=[
            Section("headline", f"{scope.name} · {month_label(m)} · as of {last}", headline),
            Section(
                "pipeline",
                f"Job pipeline on {last}",
                [_pipeline_chart(data.stages(last)), _pipeline_table(data.staged, last)],
            ),
            Section("deliveries", "Deliveries completed", [_delivered_table(done, first, last)]),
            Section(
                "costs",
                "Quoted vs actual cost",
                [_cost_chart(data, m), _trend_chart(memo(data.rates), m)],
            ),
            Section("delays", "Delay reasons", [_delays(data, m)]),
        ],
    )


def _findings(
    done: list[Any], staged: list[tuple[Any, str | None]], first: date, last: date
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
    unpaid = [j for j, stage in staged if stage == "invoiced" and j.due_on and j.due_on < last]
    if unpaid:
        owed = sum(j.invoice_cents for j in unpaid)
        out.append(
            Finding(
                f"{len(unpaid)} invoiced deliveries (${owed / 100:,.0f}) are past due.", "watch"
            )
        )
    return out


def _pipeline_chart(stages: dict[str, tuple[int, int]]) -> Chart:
    # the jobs still moving through the stages, counted on their own axis with their quoted
    # value on a money axis; every job ever paid (dozens, hundreds of thousands of dollars)
    # is history that would flatten them, so it is told in the title instead
    moving = [s for s in DELIVERY_STAGES if s != "paid"]
    paid, paid_cents = stages["paid"]
    return Chart(
        id="pipeline",
        title=f"Jobs by stage ({paid} paid to date, {format_value(dollars(paid_cents), 'USD')})",
        x=moving,
        series=[Series("Jobs", [float(stages[s][0]) for s in moving], "bar", BLUE)],
        unit="count",
        secondary=Series("Quoted value", [dollars(stages[s][1]) for s in moving], "line", AMBER),
        secondary_unit="USD",
    )


def _pipeline_table(staged: list[tuple[Any, str | None]], day: date) -> Table:
    # every job not yet paid, plus the ones paid in the last 30 days, latest stage first
    order = {s: i for i, s in enumerate(reversed(DELIVERY_STAGES))}
    rows = []
    for j, stage in staged:
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


def _delivered_table(done: list[Any], first: date, last: date) -> Table:
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


def _cost_chart(data: _Deliveries, m: int) -> Chart:
    months = trend(m)
    quoted, actual, crew = [], [], []
    for x in months:
        t = data.totals(x)
        quoted.append(dollars(t.quoted_cost))
        actual.append(dollars(t.actual_cost))
        crew.append(dollars(t.crew_cost))
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


def _trend_chart(values_for: Callable[[int], dict[str, float | None]], m: int) -> Chart:
    months = trend(m)
    values = [values_for(x) for x in months]
    return Chart(
        id="margin_trend",
        title="Margin per nautical mile and on-time rate by month",
        x=[month_short(x) for x in months],
        series=[Series("Margin / nm", [v["margin_per_nm"] for v in values], "bar", GREEN)],
        secondary=Series("On-time rate (%)", [v["on_time_rate"] for v in values], "line", BLUE),
        secondary_unit="percent",
    )


def _delays(data: _Deliveries, m: int) -> Table:
    first, _ = window(trend(m)[0], data.today)
    last = data.last
    now = dm.delay_reasons(data.done)
    past = delay_reasons(data.store, data.ids, first, last)
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
