"""The CEO report's assets section: value, utilization and revenue per asset."""

from __future__ import annotations

from core.ledger.models_assets import Asset, AssetUsage
from core.ledger.store import TotalRow
from core.metrics.portfolio import asset_revenue, utilization
from core.periods import month_label, month_range
from core.reports.formatting import dollars
from core.reports.model import Chart, Column, Series, Table
from core.reports.palette import BLUE


def asset_table(
    assets: list[Asset],
    rows: list[TotalRow],
    usage_rows: list[AssetUsage],
    m: int,
    names: dict[str, str],
) -> Table:
    """Each asset's value, utilization and revenue for the month and the year to date."""
    ytd_months = month_range(m // 100 * 100 + 1, m)
    out = []
    for a in assets:
        util = utilization([u for u in usage_rows if u.asset_id == a.id], m)
        month_rev = asset_revenue(a, rows, [m])
        ytd_rev = asset_revenue(a, rows, ytd_months)
        out.append(
            {
                "asset": a.name,
                "kind": a.kind,
                "entity": names.get(a.entity_id, a.entity_id),
                "value": dollars(a.value_cents),
                "utilization": util,
                "revenue": dollars(month_rev),
                "ytd_revenue": dollars(ytd_rev),
                "yield": None
                if ytd_rev is None or not a.value_cents
                else round(ytd_rev / a.value_cents * 100, 1),
                "renews_on": a.renews_on.isoformat() if a.renews_on else "",
            }
        )
    return Table(
        id="assets",
        title=f"Assets: value, utilization and revenue, {month_label(m)}",
        columns=[
            Column("asset", "Asset"),
            Column("kind", "Kind"),
            Column("entity", "Entity"),
            Column("value", "Value", "USD"),
            Column("utilization", "Utilization %", "percent"),
            Column("revenue", "Revenue (month)", "USD"),
            Column("ytd_revenue", "Revenue (YTD)", "USD"),
            Column("yield", "YTD revenue / value %", "percent"),
            Column("renews_on", "Renews"),
        ],
        rows=out,
    )


def asset_chart(assets: list[Asset], rows: list[TotalRow], m: int) -> Chart:
    """Revenue per earning asset, year to date."""
    earning = [a for a in assets if a.revenue_account]
    ytd_months = month_range(m // 100 * 100 + 1, m)
    return Chart(
        id="asset_revenue",
        title=f"Revenue per asset, year to date {m // 100}",
        x=[a.name for a in earning],
        series=[
            Series(
                "Revenue YTD",
                [dollars(asset_revenue(a, rows, ytd_months)) for a in earning],
                "bar",
                BLUE,
            )
        ],
    )
