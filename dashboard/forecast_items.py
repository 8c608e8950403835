"""The items behind each week of the forecast: source, account, date and amount, so every
number on the chart can be traced to where it comes from."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from core.forecast.model import Forecast, ForecastWeek
from core.reports import csv_export

ALL_WEEKS = -1
SOURCE_TEXT = {
    "recurring": "Recurring item you declared",
    "invoice": "Open client invoice (by due date; overdue in week 1)",
    "lease": "Rent due from a lease",
    "baseline": "Baseline: mean weekly cash of the last 13 weeks",
    "one-off": "One-off (scenario)",
}


def _money(value: Decimal) -> str:
    return f"{'-' if value < 0 else ''}${abs(value):,.2f}"


def _week_text(w: ForecastWeek) -> str:
    return f"{w.start:%b %-d} – {w.end:%b %-d}"


def frame(forecast: Forecast, weeks: list[int]) -> pd.DataFrame:
    """One row per item of the chosen weeks (indexes into ``forecast.weeks``)."""
    rows = [
        {
            "Week": _week_text(forecast.weeks[k]),
            "Date": item.date.isoformat(),
            "Source": item.source,
            "Account": item.account or "(none)",
            "What": item.label,
            "Business": item.entity_id,
            "Amount": float(item.amount),
        }
        for k in weeks
        for item in forecast.weeks[k].items
    ]
    # the amount near the left: a phone shows the first columns; one week needs no Week column
    columns = ["Week"] if len(weeks) > 1 else []
    columns += ["Date", "Amount", "Source", "Account", "What", "Business"]
    return pd.DataFrame(rows, columns=columns)


def items_table(forecast: Forecast, *, title: str) -> None:
    """A week picker (the low week first) and that week's items, with their sum."""
    st.subheader("What makes each week", anchor="forecast-items")
    low = forecast.weeks.index(forecast.low_week)
    options = [ALL_WEEKS, *range(len(forecast.weeks))]
    pick = st.selectbox(
        "Week",
        options,
        index=options.index(low),
        format_func=lambda k: (
            "All weeks"
            if k == ALL_WEEKS
            else f"{_week_text(forecast.weeks[k])}" + (" (low point)" if k == low else "")
        ),
        key="fc_week",
    )
    weeks = list(range(len(forecast.weeks))) if pick == ALL_WEEKS else [pick]
    table = frame(forecast, weeks)
    if pick != ALL_WEEKS:
        w = forecast.weeks[pick]
        st.caption(
            f"{title}: in {_money(w.inflow)}, out {_money(-w.outflow)}, net {_money(w.net)}, "
            f"closing {_money(w.closing)}."
        )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * max(len(table), 1)),
        column_config={"Amount": st.column_config.NumberColumn("Amount", format="dollar")},
        key="fc_items",
    )
    st.download_button(
        "Download CSV",
        csv_export.csv_bytes(list(table.columns), table.itertuples(index=False)),
        file_name=f"forecast-items-{forecast.entity}-{forecast.as_of.isoformat()}.csv",
        mime=csv_export.MIME,
        icon=":material/download:",
        key="fc_items_csv",
    )
    st.caption(" · ".join(f"**{k}**: {v}" for k, v in SOURCE_TEXT.items()))
