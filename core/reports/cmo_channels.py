"""The CMO report's channel visibility: what each channel brought, net, and who lists where."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from core.ledger.models_marketing import MarketingChannel
from core.marketing.records import Cell, MarketingRecords, fits
from core.metrics.marketing import direct_share, net_per_booking, net_revenue, percent
from core.periods import month_label, month_short
from core.reports.common import trend
from core.reports.formatting import dollars, pct
from core.reports.model import Chart, Column, Series, Table
from core.reports.palette import AMBER, BLUE, GREEN, GREY, RED

KIND_LABEL = {"direct": "Direct", "listing": "Listing", "ota": "OTA", "marketplace": "Marketplace"}
LISTED, NOT_LISTED = "✓", "—"


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


def _shown_channels(records: MarketingRecords, m: int) -> list[MarketingChannel]:
    """Channels plausible for, listed by, or booked through an entity in scope."""
    listed = records.listed(m)
    used = {cid for _, cid in records.cells(m)} | {cid for _, cid in listed}
    return [
        ch
        for ch in records.channels.values()
        if ch.id in used or any(fits(ch, kind) for _, kind in records.entities.values())
    ]


def _per_channel(records: MarketingRecords, m: int) -> dict[str, ChannelRow]:
    out: dict[str, ChannelRow] = defaultdict(ChannelRow)
    for (_, cid), c in records.cells(m).items():
        row = out[cid]
        row.bookings += c.bookings
        row.value += c.value
        row.commission += c.commission
    for (_, cid), fee in records.fees(m).items():
        out[cid].fees += fee
    return out


def _net_chart(records: MarketingRecords, m: int) -> Chart:
    rows = _per_channel(records, m)
    chans = [ch for ch in _shown_channels(records, m) if ch.id in rows]
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


def _matrix_table(records: MarketingRecords, m: int) -> Table:
    listed = records.listed(m)
    rows = _per_channel(records, m)
    eids = sorted(records.entities, key=lambda e: records.entities[e][0].lower())
    out = []
    for ch in _shown_channels(records, m):
        r = rows.get(ch.id, ChannelRow())
        marks = {
            eid: LISTED
            if (eid, ch.id) in listed
            else NOT_LISTED
            if fits(ch, records.entities[eid][1])
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
                "commission_pct": pct(percent(r.commission, r.value)),
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
            *[Column(eid, records.entities[eid][0]) for eid in eids],  # names, not ids
            Column("bookings", "Bookings", "count"),
            Column("revenue", "Revenue", "USD"),
            Column("commission_pct", "Commission %", "percent"),
            Column("net_per_booking", "Net / booking", "USD"),
        ],
        rows=out,
    )


def _detail_table(records: MarketingRecords, m: int) -> Table:
    listed = records.listed(m)
    cells = records.cells(m)
    fees = records.fees(m)
    out = []
    for eid in sorted(records.entities, key=lambda e: records.entities[e][0].lower()):
        name, kind = records.entities[eid]
        for ch in records.channels.values():
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
                    "commission_pct": pct(percent(c.commission, c.value)),
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


def _trend_chart(records: MarketingRecords, m: int) -> Chart:
    months = trend(m)
    direct, other, share = [], [], []
    for x in months:
        cells = records.cells(x)
        d = sum(c.bookings for (_, cid), c in cells.items() if records.is_direct(cid))
        n = sum(c.bookings for c in cells.values())
        direct.append(float(d))
        other.append(float(n - d))
        share.append(pct(direct_share(d, n)))
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


def channel_items(records: MarketingRecords, m: int) -> list[Chart | Table]:
    """The channel visibility section: net by channel, listings matrix, detail and trend."""
    return [
        _net_chart(records, m),
        _matrix_table(records, m),
        _detail_table(records, m),
        _trend_chart(records, m),
    ]
