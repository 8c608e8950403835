"""The forecast on the CFO page: closing cash by week with the low point, and a way to the
Forecast page for what-ifs (for the roles that may open it)."""

from __future__ import annotations

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.auth.roles import may_open
from core.errors import DomainError
from dashboard import forecast_calls
from dashboard.filters import Filters
from dashboard.forecast_chart import draw
from dashboard.forecast_tiles import tiles


def forecast_panel(user: UserScope, filters: Filters) -> None:
    """The baseline forecast of the page's entity, from today, 13 weeks."""
    if not may_open(user.role, "forecast"):
        return
    st.subheader("Cash forecast", anchor="cash-forecast")
    try:
        base = forecast_calls.forecast(user, filters.entity, forecast_calls.today(), 13)
    except DomainError as exc:
        st.error(str(exc))
        return
    tiles(base, None, "cfo_forecast")
    draw(base, None, "cfo_fc_chart")
    st.page_link(
        "views/forecast.py",
        label="What if… on the Forecast page",
        icon=":material/trending_up:",
    )
