"""The four headline KPIs of each report: the numbers its executive checks first.

The page draws them as one row of tiles above the Needs attention list; the rest of the
report's KPIs follow below.
"""

from __future__ import annotations

HEADLINE: dict[str, tuple[str, str, str, str]] = {
    "ceo": ("revenue", "revenue_gap", "net_income", "cash"),
    "cfo": ("revenue", "net_income", "cash", "runway_months"),
    "cto": ("cloud_cost", "idle_cost", "deploys_per_week", "critical_findings"),
    # cost per acquisition ("$83.31/booking") is cut off in a quarter-width tile
    "cmo": ("channel_revenue", "ota_commission", "direct_share", "bookings"),
    "accounting": (
        "trial_balance_difference",
        "uncategorized_count",
        "uncategorized_amount",
        "deferred_revenue",
    ),
    "rental": ("rent_collected", "rent_collection_rate", "occupancy", "noi"),
    "yacht-delivery": ("deliveries", "on_time_rate", "margin_per_nm", "pipeline_value"),
    "client-billing": ("billed_revenue", "unbilled_work", "ar_outstanding", "ar_past_due"),
    "forecast": ("opening_cash", "cash_low_point", "cash_low_week", "closing_cash"),
}


def headline_ids(report: str) -> list[str]:
    """The four headline KPI ids of report ``report`` (empty for a report without any)."""
    return list(HEADLINE.get(report, ()))
