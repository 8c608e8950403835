"""The CMO report: channel visibility, OTA sequencing and blast campaign ROI."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from core.ledger.models_marketing import Campaign, ChannelListing, MarketingChannel
from core.ledger.store import LedgerStore
from core.marketing import store as marketing
from core.marketing.store import BookingTotal
from core.metrics.marketing import (
    OtaAssumptions,
    OtaEstimate,
    campaign_roi,
    cost_per_acquisition,
    direct_share,
    net_per_booking,
    net_revenue,
    ota_estimate,
    percent,
    rank_estimates,
    ratio,
)
from core.periods import last_day, month_add, month_label, month_range, month_short
from core.reports.common import KpiDef, compared_kpis, frame, memo, ytd_comparisons
from core.reports.formatting import dollars
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
from core.reports.palette import AMBER, BLUE, GREEN, GREY, RED
from core.reports.scope import Scope

TREND_MONTHS = 13
BASELINE_MONTHS = 3  # sequencing uses the mean of the 3 months ending with the period
CAMPAIGN_MONTHS = 3  # the campaign table covers the period and the 2 months before it
TOP_CANDIDATES = 8
KIND_LABEL = {"direct": "Direct", "listing": "Listing", "ota": "OTA", "marketplace": "Marketplace"}
LISTED, NOT_LISTED = "✓", "—"

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


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def fits(channel: MarketingChannel, kind: str) -> bool:
    """True when the channel is plausible for an entity of this kind."""
    kinds = {k.strip() for k in channel.fits.split(",")}
    return "*" in kinds or kind in kinds


@dataclass
class Cell:
    """Bookings of one (entity, channel) in one month, in cents."""

    bookings: int = 0
    value: int = 0
    commission: int = 0


@dataclass
class MarketingData:
    """Everything the CMO report reads, already limited to the scope's entities."""

    channels: dict[str, MarketingChannel]
    entities: dict[str, tuple[str, str]]  # id -> (name, kind)
    listings: list[ChannelListing]
    totals: list[BookingTotal]
    campaigns: list[Campaign]
    _by_month: dict[int, dict[tuple[str, str], Cell]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: LedgerStore, scope: Scope) -> MarketingData:
        """Read the scope's marketing rows (filtered by entity in SQL)."""
        ids = scope.entity_ids
        ents = {e.id: (e.name, e.kind) for e in store.list_entities() if e.id in ids}
        data = cls(
            channels={c.id: c for c in marketing.channels(store)},
            entities=ents,
            listings=marketing.listings(store, ids),
            totals=marketing.booking_totals(store, ids),
            campaigns=marketing.campaigns(store, ids),
        )
        for t in data.totals:
            cell = data._by_month.setdefault(t.month, {}).setdefault(
                (t.entity_id, t.channel_id), Cell()
            )
            cell.bookings += t.bookings
            cell.value += t.value_cents
            cell.commission += t.commission_cents
        return data

    def cells(self, m: int) -> dict[tuple[str, str], Cell]:
        """(entity, channel) -> bookings in month ``m``."""
        return self._by_month.get(m, {})

    def listed(self, m: int) -> set[tuple[str, str]]:
        """(entity, channel) pairs listed by the end of month ``m``."""
        end = last_day(m)
        return {(li.entity_id, li.channel_id) for li in self.listings if li.listed_on <= end}

    def fees(self, m: int) -> dict[tuple[str, str], int]:
        """Monthly listing fees (cents) of the pairs listed in month ``m``."""
        out: dict[tuple[str, str], int] = {}
        for eid, cid in self.listed(m):
            ch = self.channels.get(cid)
            if ch and ch.monthly_fee_cents:
                out[(eid, cid)] = ch.monthly_fee_cents
        return out

    def is_direct(self, cid: str) -> bool:
        """True for channels the business owns (website, referrals)."""
        ch = self.channels.get(cid)
        return ch is not None and ch.kind == "direct"

    def campaigns_in(self, months: list[int]) -> list[Campaign]:
        """Campaigns sent in any of ``months``, oldest first."""
        wanted = set(months)
        return [c for c in self.campaigns if c.month in wanted]


def cmo_values(data: MarketingData, m: int) -> dict[str, float | None]:
    """Every CMO KPI value for month ``m`` (dollars, percentages, counts)."""
    cells = data.cells(m)
    n = sum(c.bookings for c in cells.values())
    direct = sum(c.bookings for (_, cid), c in cells.items() if data.is_direct(cid))
    camps = data.campaigns_in([m])
    cost = sum(c.cost_cents for c in camps)
    won = sum(c.bookings for c in camps)
    revenue = sum(c.revenue_cents for c in camps)
    cpa = cost_per_acquisition(cost, won)
    return {
        "channel_revenue": dollars(sum(c.value for c in cells.values())),
        "ota_commission": dollars(sum(c.commission for c in cells.values())),
        "direct_share": _round(direct_share(direct, n)),
        "bookings": float(n),
        "campaign_roi": _round(campaign_roi(revenue, cost)),
        "cost_per_acquisition": dollars(cpa),
    }


def build_cmo(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the CMO report for a resolved scope."""
    data = MarketingData.load(store, scope)
    m = scope.period
    targets = store.targets(scope.target_key) if scope.target_key else {}
    values = memo(lambda month: cmo_values(data, month))
    kpis = compared_kpis(CMO_KPIS, values, m, lambda kid: targets.get((kid, m)))
    ranked = sequencing(data, m)
    window = month_range(month_add(m, -(CAMPAIGN_MONTHS - 1)), m)
    camps = data.campaigns_in(window)
    return frame(
        report="cmo",
        title="CMO report",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        ytd=ytd_comparisons(FLOWS, values, m),
        sections=[
            Section(
                "headline",
                f"{scope.name} · {month_label(m)}",
                [
                    KpiGroup(["channel_revenue", "ota_commission", "direct_share"]),
                    KpiGroup(["bookings", "campaign_roi", "cost_per_acquisition"]),
                    *_headline_findings(kpis, data, m),
                ],
            ),
            Section(
                "channels",
                "Channel visibility",
                [
                    _net_chart(data, m),
                    _matrix_table(data, m),
                    _detail_table(data, m),
                    _trend_chart(data, m),
                ],
            ),
            Section("ota", "OTA sequencing", _ota_items(data, ranked, m)),
            Section("campaigns", "Blast campaign ROI", _campaign_items(camps, data, window)),
        ],
    )


# -- channel visibility ---------------------------------------------------------------------
@dataclass
class ChannelRow:
    """One channel's month across the scope's entities (cents)."""

    bookings: int = 0
    value: int = 0
    commission: int = 0
    fees: int = 0

    @property
    def net(self) -> int:
        """Revenue less commission and listing fees."""
        return int(net_revenue(self.value, self.commission, self.fees))


def _shown_channels(data: MarketingData, m: int) -> list[MarketingChannel]:
    """Channels plausible for, listed by, or booked through an entity in scope."""
    listed = data.listed(m)
    used = {cid for _, cid in data.cells(m)} | {cid for _, cid in listed}
    return [
        ch
        for ch in data.channels.values()
        if ch.id in used or any(fits(ch, kind) for _, kind in data.entities.values())
    ]


def _per_channel(data: MarketingData, m: int) -> dict[str, ChannelRow]:
    out: dict[str, ChannelRow] = defaultdict(ChannelRow)
    for (_, cid), c in data.cells(m).items():
        row = out[cid]
        row.bookings += c.bookings
        row.value += c.value
        row.commission += c.commission
    for (_, cid), fee in data.fees(m).items():
        out[cid].fees += fee
    return out


def _net_chart(data: MarketingData, m: int) -> Chart:
    rows = _per_channel(data, m)
    chans = [ch for ch in _shown_channels(data, m) if ch.id in rows]
    chans.sort(key=lambda ch: -rows[ch.id].net)
    return Chart(
        id="net_by_channel",
        title=f"Net revenue by channel, {month_label(m)}",
        x=[ch.name for ch in chans],
        series=[
            Series("Net revenue", [dollars(rows[ch.id].net) for ch in chans], "bar", GREEN),
            Series(
                "Commission and fees",
                [dollars(rows[ch.id].commission + rows[ch.id].fees) for ch in chans],
                "bar",
                RED,
            ),
        ],
    )


def _matrix_table(data: MarketingData, m: int) -> Table:
    listed = data.listed(m)
    rows = _per_channel(data, m)
    eids = sorted(data.entities, key=lambda e: data.entities[e][0].lower())
    out = []
    for ch in _shown_channels(data, m):
        r = rows.get(ch.id, ChannelRow())
        marks = {
            eid: LISTED
            if (eid, ch.id) in listed
            else NOT_LISTED
            if fits(ch, data.entities[eid][1])
            else ""
            for eid in eids
        }
        out.append(
            {
                "channel": ch.name,
                "kind": KIND_LABEL.get(ch.kind, ch.kind),
                **marks,
                "bookings": r.bookings,
                "revenue": dollars(r.value),
                "commission_pct": _round(percent(r.commission, r.value)),
                "net_per_booking": dollars(
                    net_per_booking(r.value, r.commission, r.fees, r.bookings)
                ),
            }
        )
    return Table(
        id="channel_matrix",
        title=f"Channel visibility matrix, {month_label(m)} (✓ listed, — not listed yet)",
        columns=[
            Column("channel", "Channel"),
            Column("kind", "Type"),
            *[Column(eid, eid) for eid in eids],
            Column("bookings", "Bookings", "count"),
            Column("revenue", "Revenue", "USD"),
            Column("commission_pct", "Commission %", "percent"),
            Column("net_per_booking", "Net / booking", "USD"),
        ],
        rows=out,
    )


def _detail_table(data: MarketingData, m: int) -> Table:
    listed = data.listed(m)
    cells = data.cells(m)
    fees = data.fees(m)
    out = []
    for eid in sorted(data.entities, key=lambda e: data.entities[e][0].lower()):
        name, kind = data.entities[eid]
        for ch in data.channels.values():
            key = (eid, ch.id)
            if key not in listed and key not in cells and not fits(ch, kind):
                continue
            c = cells.get(key, Cell())
            fee = fees.get(key, 0)
            out.append(
                {
                    "entity": name,
                    "channel": ch.name,
                    "listed": "Yes" if key in listed else "No",
                    "bookings": c.bookings,
                    "revenue": dollars(c.value),
                    "commission_pct": _round(percent(c.commission, c.value)),
                    "fees": dollars(fee),
                    "net": dollars(net_revenue(c.value, c.commission, fee)),
                    "net_per_booking": dollars(
                        net_per_booking(c.value, c.commission, fee, c.bookings)
                    ),
                }
            )
    return Table(
        id="channel_detail",
        title=f"Bookings by entity and channel, {month_label(m)}",
        columns=[
            Column("entity", "Entity"),
            Column("channel", "Channel"),
            Column("listed", "Listed"),
            Column("bookings", "Bookings", "count"),
            Column("revenue", "Revenue", "USD"),
            Column("commission_pct", "Commission %", "percent"),
            Column("fees", "Listing fees", "USD"),
            Column("net", "Net revenue", "USD"),
            Column("net_per_booking", "Net / booking", "USD"),
        ],
        rows=out,
    )


def _trend_chart(data: MarketingData, m: int) -> Chart:
    months = month_range(month_add(m, -(TREND_MONTHS - 1)), m)
    direct, other, share = [], [], []
    for x in months:
        cells = data.cells(x)
        d = sum(c.bookings for (_, cid), c in cells.items() if data.is_direct(cid))
        n = sum(c.bookings for c in cells.values())
        direct.append(float(d))
        other.append(float(n - d))
        share.append(_round(direct_share(d, n)))
    return Chart(
        id="bookings_trend",
        title="Bookings: direct vs other channels",
        x=[month_short(x) for x in months],
        series=[
            Series("Direct", direct, "bar", BLUE),
            Series("Other channels", other, "bar", GREY),
        ],
        unit="count",
        secondary=Series("Direct share (%)", share, "line", AMBER),
        secondary_unit="percent",
    )


# -- OTA sequencing -------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """An entity and a channel it is not listed on, with the model's inputs."""

    entity_id: str
    channel_id: str
    monthly_bookings: float
    avg_value: float  # dollars


def assumptions(ch: MarketingChannel) -> OtaAssumptions:
    """The stored assumptions of a channel as model inputs (fractions and dollars)."""
    return OtaAssumptions(
        commission=ch.commission_pct / 100,
        reach_factor=ch.reach_factor,
        conversion=ch.conversion,
        cannibalization=ch.cannibalization_pct / 100,
        monthly_fee=ch.monthly_fee_cents / 100,
    )


def sequencing(data: MarketingData, m: int) -> list[tuple[Candidate, OtaEstimate]]:
    """Unlisted plausible channels per entity, ranked by expected incremental net a month."""
    months = month_range(month_add(m, -(BASELINE_MONTHS - 1)), m)
    base: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for x in months:
        for (eid, _), c in data.cells(x).items():
            base[eid][0] += c.bookings
            base[eid][1] += c.value
    listed = data.listed(m)
    found: list[tuple[Candidate, OtaEstimate]] = []
    for eid, (_, kind) in data.entities.items():
        n, value = base.get(eid, [0, 0])
        per_month = n / BASELINE_MONTHS
        avg = (ratio(value, n) or 0.0) / 100
        for ch in data.channels.values():
            if ch.kind == "direct" or (eid, ch.id) in listed or not fits(ch, kind):
                continue
            cand = Candidate(eid, ch.id, per_month, avg)
            found.append((cand, ota_estimate(per_month, avg, assumptions(ch))))
    found.sort(key=lambda ce: (ce[0].entity_id, data.channels[ce[0].channel_id].sort))
    return rank_estimates(found)


MODEL_TEXT = (
    "How candidates are ranked: expected bookings a month = the entity's mean monthly bookings "
    f"over the {BASELINE_MONTHS} months to the period × the channel's reach factor × its "
    "conversion; expected net = those bookings × the entity's average booking value × "
    "(1 − commission), minus the cannibalization share of that value (bookings that would "
    "otherwise have come direct), minus the channel's monthly fee. The assumptions per channel "
    "are in the table below the ranking."
)


def _ota_items(
    data: MarketingData, ranked: list[tuple[Candidate, OtaEstimate]], m: int
) -> list[Item]:
    items: list[Item] = [Finding(MODEL_TEXT)]
    if ranked:
        best, est = ranked[0]
        ch = data.channels[best.channel_id]
        items.append(
            Finding(
                f"The model ranks {ch.name} first for {data.entities[best.entity_id][0]}: "
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
            x=[f"{c.entity_id} · {data.channels[c.channel_id].name}" for c, _ in top],
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
                    "entity": data.entities[c.entity_id][0],
                    "channel": data.channels[c.channel_id].name,
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
    items.append(_assumptions_table(data))
    return items


def _assumptions_table(data: MarketingData) -> Table:
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
            for ch in data.channels.values()
            if ch.kind != "direct"
        ],
    )


# -- campaigns ------------------------------------------------------------------------------
def campaign_row(c: Campaign, entity_name: str) -> dict[str, object]:
    """One campaign's table row: money in dollars, rates and ROI in percent."""
    cpa = cost_per_acquisition(c.cost_cents, c.bookings)
    return {
        "campaign": c.name,
        "entity": entity_name,
        "medium": c.medium.upper() if c.medium == "sms" else c.medium.capitalize(),
        "sent": c.sent_on.isoformat(),
        "cost": dollars(c.cost_cents),
        "sends": c.sends,
        "opens": c.opens if c.medium == "email" else None,
        "clicks": c.clicks,
        # SMS has no open tracking: no open rate rather than a false 0%
        "open_rate": _round(percent(c.opens, c.sends)) if c.medium == "email" else None,
        "click_rate": _round(percent(c.clicks, c.sends)),
        "bookings": c.bookings,
        "revenue": dollars(c.revenue_cents),
        "roi": _round(campaign_roi(c.revenue_cents, c.cost_cents)),
        "cpa": dollars(cpa),
    }


def _campaign_items(camps: list[Campaign], data: MarketingData, window: list[int]) -> list[Item]:
    span = f"{month_label(window[0])} – {month_label(window[-1])}"
    short_span = f"{month_short(window[0])} – {month_short(window[-1])}"
    rows = [campaign_row(c, data.entities[c.entity_id][0]) for c in camps]
    items: list[Item] = []
    rois = [_round(campaign_roi(c.revenue_cents, c.cost_cents)) for c in camps]
    if not camps:
        items.append(Finding(f"No email or SMS campaign was sent {span}."))
    scored = [(roi, c) for roi, c in zip(rois, camps, strict=True) if roi is not None]
    if scored:
        roi, c = max(scored, key=lambda rc: rc[0])
        items.append(Finding(f"Best return {span}: {c.name} at {roi:,.0f}% ROI."))
    for c in camps:
        if c.bookings == 0:
            items.append(
                Finding(
                    f"{c.name} ({data.entities[c.entity_id][0]}) cost "
                    f"{_money(c.cost_cents / 100)} and brought no attributed booking.",
                    "watch",
                )
            )
    items.append(
        Chart(
            id="campaign_roi",
            title=f"Campaign ROI (%), {short_span}",
            x=[c.name for c in camps],
            series=[Series("ROI", list(rois), "bar", BLUE)],
            unit="percent",
        )
    )
    items.append(
        Table(
            id="campaigns",
            title=f"Email and SMS campaigns sent {span}",
            columns=[
                Column("campaign", "Campaign"),
                Column("entity", "Entity"),
                Column("medium", "Medium"),
                Column("sent", "Sent"),
                Column("cost", "Cost", "USD"),
                Column("sends", "Sends", "count"),
                Column("opens", "Opens", "count"),
                Column("clicks", "Clicks", "count"),
                Column("open_rate", "Open rate %", "percent"),
                Column("click_rate", "Click rate %", "percent"),
                Column("bookings", "Bookings", "count"),
                Column("revenue", "Revenue", "USD"),
                Column("roi", "ROI %", "percent"),
                Column("cpa", "Cost / booking", "USD/booking"),
            ],
            rows=rows,
        )
    )
    return items


# -- findings -------------------------------------------------------------------------------
_SEVERITY: dict[str, Severity] = {"good": "info", "watch": "watch", "bad": "bad", "none": "info"}


def _money(v: float) -> str:
    return f"{'-' if v < 0 else ''}${abs(v):,.0f}"


def _headline_findings(kpis: list[KPI], data: MarketingData, m: int) -> list[Finding]:
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
    camps = data.campaigns_in([m])
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
