"""Plotly figures for report charts, built once per chart content and reused by every run.

Building a ``go.Figure`` (``add_bar``, ``update_layout``) validates every property: ~7 ms of CPU
per chart, about half of a report page's script run, on every rerun of every session. A chart
with the same content gives the same figure, so ``figure`` builds it once and hands the same
validated figure to later runs; ``st.plotly_chart`` only reads it (``to_dict`` copies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import plotly.graph_objects as go

from core.reports.model import Chart

# distinct charts kept built: the report pages hold ~30 charts, a few filter choices each
CACHED_FIGURES = 128


def build_figure(chart: Chart) -> go.Figure:
    """A new plotly figure from a renderer-neutral chart spec."""
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
                "tickformat": ",.1~f",
            }
        )
    money = chart.unit.startswith("USD")
    fig.update_layout(
        title={"text": chart.title, "font": {"size": 15}},
        barmode="stack" if chart.stacked else "group",
        height=340,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        yaxis={
            "tickprefix": "$" if money else "",
            "ticksuffix": "%" if chart.unit == "percent" else "",
            "tickformat": ",.0f" if money else ",.1~f",
        },
        xaxis={"automargin": True},
        hovermode="x unified",
    )
    return fig


@dataclass(frozen=True)
class _ByContent:
    """A chart as a cache key: equal when every field is (a chart holds lists, so no hash)."""

    content: str
    chart: Chart = field(compare=False)


@lru_cache(maxsize=CACHED_FIGURES)
def _built(key: _ByContent) -> go.Figure:
    return build_figure(key.chart)


def figure(chart: Chart) -> go.Figure:
    """The chart's plotly figure, shared by every run and session drawing a chart with the same
    content (each run's cached report is a fresh copy): callers must not change it."""
    # the dataclass repr spells every field, floats exactly: equal reprs, equal charts
    return _built(_ByContent(repr(chart), chart))
