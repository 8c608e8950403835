"""The forecast's headline numbers as tiles: cash today, the low point and its week, cash at
the end of the horizon, weeks below zero; the scenario's beside the baseline's."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from core.forecast.model import Forecast
from dashboard import theme
from dashboard.forecast_chart import money


def _delta(scenario: Decimal, base: Decimal) -> dict[str, object]:
    change = scenario - base
    if not change:
        return {"delta": None}
    return {
        "delta": f"{'+' if change > 0 else '-'}{money(abs(change))}",
        "delta_color": "normal",
        "delta_description": "vs baseline",
    }


def tiles(base: Forecast, scenario: Forecast | None, key: str) -> None:
    """A row of tiles (two a row on a phone); with a scenario, its values and the change."""
    shown = scenario or base
    low = shown.low_week
    with st.container(horizontal=True, gap="small", key=f"{theme.TILE_ROW}{key}"):
        with st.container(border=True):
            st.metric(
                "Cash today", money(base.opening), help="The cash accounts at the end of today."
            )
        with st.container(border=True):
            st.metric(
                "Low point" + (" (scenario)" if scenario else ""),
                money(shown.low_point),
                help="The lowest weekly closing cash over the horizon.",
                **_delta(shown.low_point, base.low_point) if scenario else {},  # type: ignore[arg-type]
            )
            st.caption(f"Week of {low.start:%b %-d}")
        with st.container(border=True):
            st.metric(
                f"Cash in {len(shown.weeks)} weeks",
                money(shown.closing),
                **_delta(shown.closing, base.closing) if scenario else {},  # type: ignore[arg-type]
            )
        with st.container(border=True):
            st.metric(
                "Weeks below zero",
                str(shown.weeks_below_zero),
                help="Weeks whose closing cash is below zero.",
            )
