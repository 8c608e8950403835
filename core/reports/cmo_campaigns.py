"""The CMO report's blast campaigns: ROI, what each cost and brought, the table."""

from __future__ import annotations

from core.ledger.models_marketing import Campaign
from core.marketing.records import MarketingRecords
from core.metrics.marketing import campaign_roi, cost_per_acquisition, percent
from core.periods import month_label, month_short
from core.reports.formatting import dollars, format_value, pct
from core.reports.model import Chart, Column, Finding, Item, Series, Table
from core.reports.palette import BLUE


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
        "open_rate": pct(percent(c.opens, c.sends)) if c.medium == "email" else None,
        "click_rate": pct(percent(c.clicks, c.sends)),
        "bookings": c.bookings,
        "revenue": dollars(c.revenue_cents),
        "roi": pct(campaign_roi(c.revenue_cents, c.cost_cents)),
        "cpa": dollars(cpa),
    }


def campaign_items(
    camps: list[Campaign], records: MarketingRecords, window: list[int]
) -> list[Item]:
    """The campaigns of ``window``: best return, campaigns with no booking, ROI chart, table."""
    span = f"{month_label(window[0])} – {month_label(window[-1])}"
    short_span = f"{month_short(window[0])} – {month_short(window[-1])}"
    rows = [campaign_row(c, records.entities[c.entity_id][0]) for c in camps]
    items: list[Item] = []
    rois = [pct(campaign_roi(c.revenue_cents, c.cost_cents)) for c in camps]
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
                    f"{c.name} ({records.entities[c.entity_id][0]}) cost "
                    f"{format_value(c.cost_cents / 100, 'USD')} and brought no attributed booking.",
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
