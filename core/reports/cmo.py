"""The CMO report: channel visibility, OTA sequencing and blast campaign ROI."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.marketing.ota import BASELINE_MONTHS, Candidate, sequencing
from core.marketing.records import MarketingRecords
from core.marketing.store import booking_sums
from core.metrics.marketing import (
    OtaEstimate,
    campaign_roi,
    cost_per_acquisition,
    direct_share,
)
from core.periods import first_day, month_add, month_label, months_ending
from core.reports.cmo_campaigns import campaign_items
from core.reports.cmo_channels import KIND_LABEL, channel_items
from core.reports.common import KpiDef, PaceBasis, compared_kpis, frame, memo, ytd_comparisons
from core.reports.formatting import dollars, pct
from core.reports.model import (
    KPI,
    Chart,
    Column,
    Finding,
    Item,
    KpiGroup,
    Report,
    Section,
    Series,
    Severity,
    Table,
)
from core.reports.palette import GREEN
from core.reports.reads import Reads
from core.reports.scope import Scope
from core.reports.targets import directions, ytd_with_targets

CAMPAIGN_MONTHS = 3  # the campaign table covers the period and the 2 months before it
TOP_CANDIDATES = 8

# id, label, unit, direction
CMO_KPIS: list[KpiDef] = [
    ("channel_revenue", "Channel revenue", "USD", "up"),
    ("ota_commission", "OTA commission", "USD", "down"),
    ("direct_share", "Direct share", "percent", "up"),
    ("bookings", "Bookings", "count", "up"),
    ("campaign_roi", "Campaign ROI", "percent", "up"),
    ("cost_per_acquisition", "Cost per acquisition", "USD/booking", "down"),
]
FLOWS = (
    "channel_revenue",
    "ota_commission",
    "bookings",
)  # summed year to date; the rest are rates, counts or balances


def cmo_values(records: MarketingRecords, m: int) -> dict[str, float | None]:
    """Every CMO KPI value for month ``m`` (dollars, percentages, counts)."""
    cells = records.cells(m)
    n = sum(c.bookings for c in cells.values())
    direct = sum(c.bookings for (_, cid), c in cells.items() if records.is_direct(cid))
    camps = records.campaigns_in([m])
    cost = sum(c.cost_cents for c in camps)
    won = sum(c.bookings for c in camps)
    revenue = sum(c.revenue_cents for c in camps)
    cpa = cost_per_acquisition(cost, won)
    return {
        "channel_revenue": dollars(sum(c.value for c in cells.values())),
        "ota_commission": dollars(sum(c.commission for c in cells.values())),
        "direct_share": pct(direct_share(direct, n)),
        "bookings": float(n),
        "campaign_roi": pct(campaign_roi(revenue, cost)),
        "cost_per_acquisition": dollars(cpa),
    }


def cmo_kpis(
    reads: Reads, records: MarketingRecords | None = None, pace: PaceBasis | None = None
) -> list[KPI]:
    """The CMO KPIs of the scope's period with their comparisons and targets; without
    ``records``, reads the bookings of the compared months only."""
    m = reads.scope.period
    records = records or MarketingRecords.load(
        reads.store, reads.scope.entity_ids, months=[m, month_add(m, -1), month_add(m, -12)]
    )
    values = memo(lambda month: cmo_values(records, month))
    pace = pace or cmo_pace(reads)
    return compared_kpis(CMO_KPIS, values, reads.scope.period, reads.target, pace)


def cmo_pace(reads: Reads) -> PaceBasis:
    """The CMO flows of a month through a day: the bookings dated up to it (one read)."""

    def through(month: int, day: date) -> dict[str, float | None]:
        n, value, commission = booking_sums(
            reads.store, reads.scope.entity_ids, first_day(month), day
        )
        return {
            "channel_revenue": dollars(value),
            "ota_commission": dollars(commission),
            "bookings": float(n),
        }

    return PaceBasis(reads.today, FLOWS, through)


def build_cmo(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the CMO report for a resolved scope."""
    records = MarketingRecords.load(store, scope.entity_ids)
    m = scope.period
    values = memo(lambda month: cmo_values(records, month))
    reads = Reads(store, scope, tz=tz, now=now)
    pace = cmo_pace(reads)
    kpis = cmo_kpis(reads, records, pace)
    ranked = sequencing(records, m)
    window = months_ending(m, CAMPAIGN_MONTHS)
    camps = records.campaigns_in(window)
    return frame(
        report="cmo",
        title="CMO report",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd_with_targets(
            ytd_comparisons(FLOWS, values, m, pace),
            directions(CMO_KPIS),
            reads.targets,
            m,
            today=pace.today,
        ),
        sections=[
            Section(
                "headline",
                f"{scope.name} · {month_label(m)}",
                [
                    KpiGroup(["channel_revenue", "ota_commission", "direct_share"]),
                    KpiGroup(["bookings", "campaign_roi", "cost_per_acquisition"]),
                    *_headline_findings(kpis, records, m),
                ],
            ),
            Section(
                "channels",
                "Channel visibility",
                channel_items(records, m),
            ),
            Section("ota", "OTA sequencing", _ota_items(records, ranked, m)),
            Section("campaigns", "Blast campaign ROI", campaign_items(camps, records, window)),
        ],
    )


# -- OTA sequencing -------------------------------------------------------------------------
MODEL_TEXT = (
    "How candidates are ranked: expected bookings a month = the entity's mean monthly bookings "
    f"over the {BASELINE_MONTHS} months to the period × the channel's reach factor × its "
    "conversion; expected net = those bookings × the entity's average booking value × "
    "(1 − commission), minus the cannibalization share of that value (bookings that would "
    "otherwise have come direct), minus the channel's monthly fee. The assumptions per channel "
    "are in the table below the ranking."
)


def _ota_items(
    records: MarketingRecords, ranked: list[tuple[Candidate, OtaEstimate]], m: int
) -> list[Item]:
    items: list[Item] = [Finding(MODEL_TEXT)]
    if ranked:
        best, est = ranked[0]
        ch = records.channels[best.channel_id]
        items.append(
            Finding(
                f"The model ranks {ch.name} first for {records.entities[best.entity_id][0]}: "
                f"{est.bookings:.1f} expected bookings and {_money(est.net)} expected "
                "incremental net revenue a month."
            )
        )
        losing = [c for c, e in ranked if e.net < 0]
        if losing:
            items.append(
                Finding(
                    f"{len(losing)} of {len(ranked)} candidate listings have a negative "
                    "expected net under these assumptions.",
                    "watch",
                )
            )
    else:
        items.append(Finding("Every entity in scope is already listed on each channel that fits."))
    top = ranked[:TOP_CANDIDATES]
    items.append(
        Chart(
            id="ota_ranking",
            title="Top candidates, expected net/month",
            x=[
                f"{records.entities[c.entity_id][0]} · {records.channels[c.channel_id].name}"
                for c, _ in top
            ],
            series=[Series("Expected net", [round(e.net, 2) for _, e in top], "bar", GREEN)],
            unit="USD/month",
        )
    )
    items.append(
        Table(
            id="ota_ranking",
            title=f"OTA sequencing: unlisted channels ranked, {month_label(m)} baseline",
            columns=[
                Column("rank", "Rank", "count"),
                Column("entity", "Entity"),
                Column("channel", "Channel"),
                Column("bookings", "Expected bookings / month", "number"),
                Column("avg_value", "Avg booking", "USD"),
                Column("gross", "Gross / month", "USD"),
                Column("commission", "Commission", "USD"),
                Column("cannibalized", "Cannibalized direct", "USD"),
                Column("fee", "Fee", "USD"),
                Column("net", "Expected net / month", "USD"),
            ],
            rows=[
                {
                    "rank": i + 1,
                    "entity": records.entities[c.entity_id][0],
                    "channel": records.channels[c.channel_id].name,
                    "bookings": round(e.bookings, 2),
                    "avg_value": round(c.avg_value, 2),
                    "gross": round(e.gross, 2),
                    "commission": round(e.commission, 2),
                    "cannibalized": round(e.cannibalized, 2),
                    "fee": round(e.fee, 2),
                    "net": round(e.net, 2),
                }
                for i, (c, e) in enumerate(ranked)
            ],
        )
    )
    items.append(_assumptions_table(records))
    return items


def _assumptions_table(records: MarketingRecords) -> Table:
    return Table(
        id="ota_assumptions",
        title="Sequencing assumptions per channel (stored data)",
        columns=[
            Column("channel", "Channel"),
            Column("kind", "Type"),
            Column("fits", "Fits"),
            Column("commission_pct", "Commission %", "percent"),
            Column("reach", "Reach factor", "number"),
            Column("conversion", "Conversion %", "percent"),
            Column("cannibalization_pct", "Cannibalization %", "percent"),
            Column("fee", "Monthly fee", "USD"),
        ],
        rows=[
            {
                "channel": ch.name,
                "kind": KIND_LABEL.get(ch.kind, ch.kind),
                "fits": ch.fits.replace(",", ", "),
                "commission_pct": ch.commission_pct,
                "reach": ch.reach_factor,
                "conversion": round(ch.conversion * 100, 1),
                "cannibalization_pct": ch.cannibalization_pct,
                "fee": dollars(ch.monthly_fee_cents),
            }
            for ch in records.channels.values()
            if ch.kind != "direct"
        ],
    )


# -- findings -------------------------------------------------------------------------------
_SEVERITY: dict[str, Severity] = {"good": "info", "watch": "watch", "bad": "bad", "none": "info"}


def _money(v: float) -> str:
    return f"{'-' if v < 0 else ''}${abs(v):,.0f}"


def _headline_findings(kpis: list[KPI], records: MarketingRecords, m: int) -> list[Finding]:
    k = {x.id: x for x in kpis}
    out: list[Finding] = []
    n = int(k["bookings"].value or 0)
    if n == 0:
        return [Finding(f"No booking is recorded through any channel in {month_label(m)}.")]
    share = k["direct_share"]
    text = (
        f"{n:,} bookings brought {_money(k['channel_revenue'].value or 0)}; "
        f"{share.value:.1f}% came through direct channels"
    )
    if share.target is not None:
        text += f" (target {share.target:.0f}%)"
    out.append(Finding(text + ".", _SEVERITY[share.status]))
    commission = k["ota_commission"].value or 0
    revenue = k["channel_revenue"].value or 0
    if commission:
        out.append(
            Finding(
                f"Channels kept {_money(commission)} in commission, "
                f"{commission / revenue * 100:.1f}% of channel revenue."
            )
        )
    camps = records.campaigns_in([m])
    roi = k["campaign_roi"]
    if camps and roi.value is not None:
        won = sum(c.bookings for c in camps)
        out.append(
            Finding(
                f"{len(camps)} campaign{'s' if len(camps) != 1 else ''} sent in {month_label(m)} "
                f"cost {_money(sum(c.cost_cents for c in camps) / 100)} and brought {won} "
                f"attributed booking{'s' if won != 1 else ''}: {roi.value:,.0f}% ROI.",
                _SEVERITY[roi.status],
            )
        )
    return out
