"""Plotly figures for report charts, built once per chart content and reused by every run.

Building a ``go.Figure`` (``add_bar``, ``update_layout``) validates every property: ~7 ms of CPU
per chart, about half of a report page's script run, on every rerun of every session. A chart
with the same content gives the same figure, so ``figure`` builds it once and hands the same
validated figure to later runs. ``st.plotly_chart`` then asks the figure for ``to_dict`` on every
run, which deep-copies every trace: a ``SharedFigure`` makes that copy once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from core.reports import chart_scale
from core.reports.chart_scale import Axis
from core.reports.model import Chart, Series

# distinct charts kept built: the report pages hold ~30 charts, a few filter choices each
CACHED_FIGURES = 128
# no toolbar: on a phone it sits over the title, and nobody zooms a twelve-month bar chart
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}
HEIGHT = 340
EMPTY_HEIGHT = 140


class SharedFigure(go.Figure):
    """A figure drawn by many runs and sessions: its dict is made at the first draw and handed
    to every later one (``to_dict`` otherwise deep-copies each trace, ~0.5 ms a chart a run).
    Nothing may change it once drawn."""

    _drawn: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The figure as plotly's dict, made once."""
        if self._drawn is None:
            self._drawn = super().to_dict()
        return self._drawn


def axis_layout(axis: Axis, unit: str) -> dict[str, object]:
    """A plotly y axis with round ticks: ``$`` before money, ``%`` after percentages."""
    money = unit.startswith("USD")
    return {
        "range": [axis.low, axis.high],
        "tickmode": "linear",
        "tick0": axis.low,
        "dtick": axis.step,
        # d3's "$" puts the sign first: -$2,500, never $-2,500
        "tickformat": f"{'$' if money else ''},.{axis.decimals}f",
        "ticksuffix": "%" if unit == "percent" else "",
        "automargin": True,
        "zeroline": True,
        "zerolinecolor": "#B0B7C3",
    }


def _trace(fig: go.Figure, s: Series, unit: str, **extra: object) -> None:
    """One series, drawn capped (a runway) with its true value in the hover."""
    values = chart_scale.capped(s.values, unit)
    hover = {
        "customdata": chart_scale.hover_texts(s.values, unit),
        # the name beside the true value; <extra></extra> drops plotly's second copy of it
        "hovertemplate": s.name + ": %{customdata}<extra></extra>",
        "name": s.name,
    }
    colors = chart_scale.colors(s)
    if s.kind == "bar":
        fig.add_bar(x=extra.pop("x"), y=values, marker_color=colors, **hover, **extra)
        return
    fig.add_scatter(
        x=extra.pop("x"),
        y=values,
        mode="lines+markers",
        line={"color": s.color, "width": 3, "dash": "dash" if s.dash else "solid"},
        marker={"color": colors, "size": 7},
        **hover,
        **extra,
    )


def empty_figure(chart: Chart) -> go.Figure:
    """A chart with nothing to draw: its title and a sentence, no axes."""
    fig = SharedFigure()
    fig.add_annotation(
        text=chart_scale.empty_sentence(chart),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 14, "color": "#5F6B7A"},
    )
    fig.update_layout(
        title={"text": chart.title, "font": {"size": 15}},
        height=EMPTY_HEIGHT,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return fig


def build_figure(chart: Chart) -> go.Figure:
    """A new plotly figure from a renderer-neutral chart spec."""
    if chart_scale.is_empty(chart):
        return empty_figure(chart)
    fig = SharedFigure()
    for s in chart.series:
        _trace(fig, s, chart.unit, x=chart.x)
    left, right = chart_scale.axes(chart)
    if chart.secondary and right:
        unit = chart.secondary_unit or ""
        _trace(fig, chart.secondary, unit, x=chart.x, yaxis="y2")
        fig.update_layout(
            yaxis2={
                **axis_layout(right, unit),
                "title": {"text": unit if unit not in ("USD", "percent", "count") else ""},
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
                "zeroline": False,
            }
        )
    traces = len(chart.series) + (1 if chart.secondary else 0)
    fig.update_layout(
        title={"text": chart.title, "font": {"size": 15}, "y": 0.98, "yanchor": "top"},
        barmode="relative" if chart.stacked else "group",
        height=HEIGHT,
        # the legend sits above the plot, under the title: below it, a phone's rotated month
        # labels push it off the card
        margin={"l": 10, "r": 10, "t": 84 if traces > 1 else 50, "b": 10},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        showlegend=traces > 1,
        yaxis=axis_layout(left, chart.unit),
        xaxis={"automargin": True, "type": "category"},
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


def draw(chart: Chart) -> None:
    """The chart on the page, with no toolbar."""
    st.plotly_chart(figure(chart), width="stretch", key=f"chart_{chart.id}", config=PLOTLY_CONFIG)
