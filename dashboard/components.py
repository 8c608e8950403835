"""Report rendering for Streamlit: KPI tiles, plotly charts, tables with CSV download."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.errors import DomainError, Forbidden
from core.reports.formatting import format_delta, format_value
from core.reports.model import KPI, Chart, Finding, KpiGroup, Report, Table

T = TypeVar("T")
RUNWAY_AXIS_CAP = 60
STATUS_BADGE = {
    "good": ("On target", "green", ":material/check_circle:"),
    "watch": ("Near target", "orange", ":material/error:"),
    "bad": ("Off target", "red", ":material/cancel:"),
    "none": ("No target", "gray", None),
}
KPI_HELP = {
    "revenue": "Income recognized in the month (credits to Income:*).",
    "expenses": "Expenses booked in the month.",
    "net_income": "Revenue minus expenses.",
    "cash": "Balance of Assets:Bank:* and Assets:Cash:* at month end.",
    "burn_rate": "Mean monthly net decrease in cash over the 3 months ending with the month; "
    "0 if cash did not fall on average.",
    "runway_months": "Cash ÷ burn rate. Empty when there is no burn.",
    "break_even_revenue": "Fixed ÷ (1 − variable ÷ revenue), 3-month monthly means.",
    "deferred_revenue": "Deposits received for trips not yet sailed (a liability).",
    "trial_balance_difference": "Debits minus credits over every account: must be 0.",
    "uncategorized_count": "Lines on *:Uncategorized accounts up to the month's end.",
    "uncategorized_amount": "Their total, in absolute value.",
}


def guarded(build: Callable[[], T]) -> T:
    """Run a data call; a refusal or bad input becomes a message and stops the page."""
    try:
        return build()
    except Forbidden as exc:
        st.error(f"You do not have access to this: {exc.message}", icon=":material/lock:")
        st.stop()
    except DomainError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    raise AssertionError("unreachable")


def report_header(report: Report, actions: Callable[[], None] | None = None) -> None:
    """Title line with scope, period, time zone and data freshness; actions on the right."""
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    with right:
        if actions:
            actions()
    with left:
        st.title(report.title)
    st.caption(
        f"{report.entity_name} · {report.period} · as of {report.as_of[:16].replace('T', ' ')} "
        f"{report.timezone} · data through {report.data_through or 'n/a'}"
    )


def kpi_tile(kpi: KPI) -> None:
    """One KPI: value, change vs last month, target and status."""
    with st.container(border=True):
        st.metric(
            kpi.label,
            format_value(kpi.value, kpi.unit),
            delta=format_delta(kpi.delta_mom, kpi.unit),
            delta_color="normal" if kpi.direction == "up" else "inverse",
            delta_description="vs last month",
            help=KPI_HELP.get(kpi.id),
        )
        text, color, icon = STATUS_BADGE[kpi.status]
        st.badge(text, color=color, icon=icon)  # type: ignore[arg-type]
        bits = []
        if kpi.target is not None:
            bits.append(f"Target {format_value(kpi.target, kpi.unit)}")
        yoy = format_delta(kpi.delta_yoy, kpi.unit)
        if yoy:
            bits.append(f"{yoy} vs last year")
        st.caption(" · ".join(bits) or " ")


def kpi_row(report: Report, group: KpiGroup) -> None:
    """A row of KPI tiles."""
    for col, kid in zip(st.columns(len(group.ids)), group.ids, strict=True):
        with col:
            kpi_tile(report.kpi(kid))


def figure(chart: Chart) -> go.Figure:
    """A plotly figure from a renderer-neutral chart spec."""
    fig = go.Figure()
    for s in chart.series:
        if s.kind == "bar":
            fig.add_bar(x=chart.x, y=s.values, name=s.name, marker_color=s.color)
        else:
            fig.add_scatter(
                x=chart.x,
                y=s.values,
                name=s.name,
                mode="lines+markers",
                line={"color": s.color, "width": 3, "dash": "dash" if s.dash else "solid"},
            )
    if chart.secondary:
        sec = chart.secondary
        fig.add_scatter(
            x=chart.x,
            y=sec.values,
            name=sec.name,
            mode="lines+markers",
            yaxis="y2",
            line={"color": sec.color, "width": 3},
        )
        fig.update_layout(
            yaxis2={
                "title": chart.secondary_unit,
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
            }
        )
    money = chart.unit.startswith("USD")
    fig.update_layout(
        title={"text": chart.title, "font": {"size": 15}},
        barmode="group",
        height=340,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        yaxis={"tickprefix": "$" if money else "", "tickformat": ",.0f"},
        hovermode="x unified",
    )
    return fig


def table(t: Table) -> None:
    """A table with money columns formatted and a CSV download of the raw numbers."""
    frame = pd.DataFrame([{c.label: row.get(c.key) for c in t.columns} for row in t.rows])
    config = {
        c.label: st.column_config.NumberColumn(c.label, format="dollar")
        for c in t.columns
        if c.unit.startswith("USD")
    }
    st.markdown(f"**{t.title}**")
    st.dataframe(frame, hide_index=True, column_config=config, width="stretch")
    st.download_button(
        "Download CSV",
        frame.to_csv(index=False).encode(),
        file_name=f"{t.id}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"dl_{t.id}",
    )


def finding(f: Finding) -> None:
    """A sentence of fact, coloured by severity."""
    {"info": st.info, "watch": st.warning, "bad": st.error}[f.severity](f.text)


def render_report(report: Report, actions: Callable[[], None] | None = None) -> None:
    """Every section of a report, in order; ``actions`` draws buttons beside the title."""
    report_header(report, actions)
    for section in report.sections:
        st.subheader(section.title, divider="gray")
        for item in section.items:
            if isinstance(item, KpiGroup):
                kpi_row(report, item)
            elif isinstance(item, Finding):
                finding(item)
            elif isinstance(item, Table):
                table(item)
            elif isinstance(item, Chart):
                st.plotly_chart(figure(item), width="stretch", key=f"chart_{item.id}")
