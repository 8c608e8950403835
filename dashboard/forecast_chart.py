"""The forecast chart: closing cash by week, baseline and scenario side by side, each low point
marked and the zero line drawn (Plotly, in the house's colours and axis style)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import plotly.graph_objects as go
import streamlit as st

from core.forecast.model import Forecast
from core.reports.formatting import format_value
from core.reports.palette import AMBER, BLUE, RED
from dashboard.charts import CACHED_FIGURES, HEIGHT, PLOTLY_CONFIG, SharedFigure

BASELINE, SCENARIO = "Baseline", "Scenario"


def week_label(forecast: Forecast, index: int) -> str:
    """A week on the axis by its last day: the closing is the cash at its end."""
    return forecast.weeks[index].end.strftime("%b %-d")


def money(value: Decimal) -> str:
    """Whole dollars as every report shows them (``-$2,500``)."""
    return format_value(float(value), "USD")


def _line(fig: go.Figure, forecast: Forecast, name: str, color: str, dash: str) -> None:
    x = [week_label(forecast, i) for i in range(len(forecast.weeks))]
    y = [float(w.closing) for w in forecast.weeks]
    fig.add_scatter(
        x=x,
        y=y,
        name=name,
        mode="lines+markers",
        line={"color": color, "width": 3, "dash": dash},
        marker={"size": 6, "color": color},
        customdata=[money(w.closing) for w in forecast.weeks],
        hovertemplate=name + ": %{customdata}<extra></extra>",
    )
    low = forecast.weeks.index(forecast.low_week)
    fig.add_scatter(
        x=[x[low]],
        y=[y[low]],
        name=f"{name} low point",
        mode="markers+text",
        marker={
            "size": 14,
            "color": color,
            "symbol": "diamond",
            "line": {"width": 2, "color": "white"},
        },
        text=[f"Low {money(forecast.low_point)}"],
        # toward the middle of the plot, so a low point at either end keeps its label on screen
        textposition="bottom left" if low > len(x) / 2 else "bottom right",
        textfont={"color": color, "size": 12},
        hoverinfo="skip",
        showlegend=False,
    )


def figure(base: Forecast, scenario: Forecast | None) -> go.Figure:
    """Closing cash by week: the baseline, and the scenario when there is one."""
    fig = SharedFigure()
    _line(fig, base, BASELINE, BLUE, "solid")
    if scenario is not None:
        _line(fig, scenario, SCENARIO, AMBER, "dash")
    fig.add_hline(
        y=0,
        line={"color": RED, "width": 1.5, "dash": "dot"},
        annotation_text="Zero",
        annotation_position="top left",
        annotation_font={"color": RED, "size": 11},
    )
    lows = [base.low_point] + ([scenario.low_point] if scenario is not None else [])
    highs = [max(w.closing for w in f.weeks) for f in (base, scenario) if f is not None]
    bottom, top = float(min(min(lows), Decimal(0))), float(max(max(highs), Decimal(0)))
    pad = (top - bottom) * 0.12 or 1000.0
    fig.update_layout(
        title={"text": "Closing cash by week", "font": {"size": 15}, "y": 0.98, "yanchor": "top"},
        height=HEIGHT + 40,
        margin={"l": 10, "r": 10, "t": 84, "b": 10},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        yaxis={
            "range": [bottom - pad, top + pad],
            "tickformat": "$,.0f",
            "automargin": True,
            "zeroline": False,
        },
        xaxis={"automargin": True, "type": "category", "title": {"text": "Week ending"}},
        hovermode="x unified",
    )
    return fig


@dataclass(frozen=True)
class _ByContent:
    """Two forecasts as a cache key: equal when their reprs are (every figure spelled out)."""

    content: str
    base: Forecast = field(compare=False)
    scenario: Forecast | None = field(compare=False)


@lru_cache(maxsize=CACHED_FIGURES)
def _built(key: _ByContent) -> go.Figure:
    return figure(key.base, key.scenario)


def draw(base: Forecast, scenario: Forecast | None, key: str) -> None:
    """The chart on the page, with no toolbar; the figure is built once per content and shared
    by every run and session that draws it (Plotly's validation is most of a run's cost)."""
    shared = _built(_ByContent(repr((base, scenario)), base, scenario))
    st.plotly_chart(shared, width="stretch", key=key, config=PLOTLY_CONFIG)
