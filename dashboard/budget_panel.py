"""Budget vs actual per account group, for the month and the year to date: a panel of the CFO
and Accounting pages (the owner sets budgets on the Forecast page or with `budget import`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.budgets.versus import BudgetVsActual, VarianceRow
from core.errors import DomainError
from core.periods import month_label
from core.reports.formatting import format_value
from dashboard import core_calls, forecast_calls
from dashboard.filters import Filters


def _money(cents: int) -> str:
    return format_value(cents / 100, "USD")


def _variance(row: VarianceRow, cents: int) -> str:
    """The variance with a mark saying whether it is good news."""
    if cents == 0:
        return "$0"
    mark = "▲" if cents > 0 else "▼"
    tone = "better" if row.favorable(cents) else "worse"
    return f"{mark} {_money(abs(cents))} {tone}"


def frame(result: BudgetVsActual) -> pd.DataFrame:
    """The comparison as the page shows it, one row per account group."""
    return pd.DataFrame(
        [
            {
                "Account group": r.account,
                "Budget": _money(r.budget_month),
                "Actual": _money(r.actual_month),
                "Variance": _variance(r, r.variance_month),
                "Budget YTD": _money(r.budget_ytd),
                "Actual YTD": _money(r.actual_ytd),
                "Variance YTD": _variance(r, r.variance_ytd),
            }
            for r in result.rows
        ]
    )


def budget_panel(user: UserScope, filters: Filters) -> None:
    """The panel for the page's entity and month."""
    request = filters.request("cfo", user)
    try:
        result = forecast_calls.budget_comparison(request)
    except DomainError as exc:
        st.error(str(exc))
        return
    month = month_label(result.period)
    st.subheader("Budget vs actual", anchor="budget-vs-actual")
    if not result.rows:
        st.caption(
            f"No budget for {result.entity_name} in {result.period // 100}. The owner sets one "
            "on the Forecast page or with `python -m core budget import FILE.csv --entity ID`."
        )
        return
    running = result.period == core_calls.current_month()
    so_far = " (the month so far, against the whole month's budget)" if running else ""
    st.caption(
        f"{result.entity_name} · {month}{so_far} and the year to date ({result.ytd_label}). "
        "Actual is "
        "every account at or under the group; income earned and money spent are positive. "
        "▲ more than budget, ▼ less; better or worse for the business."
    )
    table = frame(result)
    right = {c: st.column_config.TextColumn(c, alignment="right") for c in table.columns[1:]}
    st.dataframe(table, hide_index=True, width="stretch", column_config=right, key="budget_table")
