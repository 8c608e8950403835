"""Static PNG rendering of chart specs for email (matplotlib, Agg: offline, no browser)."""

from __future__ import annotations

import io
from typing import Any

from core.reports import chart_scale
from core.reports.chart_scale import Axis
from core.reports.model import Chart
from core.reports.palette import AMBER, DEFAULT_COLORS


def _tick_label(unit: str, places: int) -> Any:
    """A matplotlib formatter for round ticks: ``$25,000``, ``50%``, ``12``."""
    from matplotlib.ticker import FuncFormatter

    def label(v: float, _: object) -> str:
        sign = "-" if round(v, places) < 0 else ""
        text = f"{abs(v):,.{places}f}"
        if unit.startswith("USD"):
            return f"{sign}${text}"
        return f"{sign}{text}%" if unit == "percent" else sign + text

    return FuncFormatter(label)


def _scale(ax: Any, axis: Axis, unit: str) -> None:
    """Round ticks from the shared scale (the same as the dashboard's chart)."""
    ax.set_ylim(axis.low, axis.high)
    ax.set_yticks(axis.ticks)
    ax.yaxis.set_major_formatter(_tick_label(unit, axis.decimals))


def _nan(values: list[float | None]) -> list[float]:
    return [v if v is not None else float("nan") for v in values]


def chart_png(chart: Chart, *, width: float = 6.4, height: float = 2.8, dpi: int = 110) -> bytes:
    """The chart as PNG bytes: grouped bars, lines, an optional right-hand axis; a sentence
    instead of axes when there is nothing to draw."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    empty = chart_scale.is_empty(chart)
    fig, ax = plt.subplots(figsize=(width, 1.2 if empty else height), dpi=dpi)
    try:
        # room above the plot for the legend under the title
        ax.set_title(chart.title, fontsize=10, loc="left", pad=6 if empty else 18)
        if empty:
            ax.axis("off")
            ax.text(
                0.5,
                0.4,
                chart_scale.empty_sentence(chart),
                ha="center",
                va="center",
                color="#5F6B7A",
            )
        else:
            _draw(ax, chart)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(fig)


def _draw(ax: Any, chart: Chart) -> None:
    """Series, round axes and the legend of a chart with something to draw."""
    positions = list(range(len(chart.x)))
    bars = [s for s in chart.series if s.kind == "bar"]
    group = 0.8 / max(len(bars), 1)
    up = [0.0] * len(positions)  # running top and bottom of each stacked column
    down = [0.0] * len(positions)
    for i, s in enumerate(chart.series):
        color = s.color or DEFAULT_COLORS[i % len(DEFAULT_COLORS)]
        points = chart_scale.colors(s) if s.color else color
        values = chart_scale.capped(s.values, chart.unit)
        if s.kind == "bar" and chart.stacked:
            heights = [v or 0.0 for v in values]
            base = [u if h >= 0 else d for h, u, d in zip(heights, up, down, strict=True)]
            ax.bar(positions, heights, width=0.7, bottom=base, color=points, label=s.name)
            up = [u + max(h, 0) for u, h in zip(up, heights, strict=True)]
            down = [d + min(h, 0) for d, h in zip(down, heights, strict=True)]
        elif s.kind == "bar":
            k = bars.index(s)
            offsets = [p - 0.4 + group * (k + 0.5) for p in positions]
            ax.bar(offsets, _nan(values), width=group, color=points, label=s.name)
        else:
            style = "--" if s.dash else "-"
            ax.plot(
                positions, _nan(values), color=color, linewidth=2, linestyle=style, label=s.name
            )
            if isinstance(points, list):  # a signed line: each point coloured by its sign
                ax.scatter(positions, _nan(values), c=points, s=12, zorder=3)
    left, right = chart_scale.axes(chart)
    _scale(ax, left, chart.unit)
    handles, labels = ax.get_legend_handles_labels()
    if chart.secondary and right:
        ax2 = ax.twinx()
        sec, unit = chart.secondary, chart.secondary_unit or ""
        values = _nan(chart_scale.capped(sec.values, unit))
        ax2.plot(positions, values, color=sec.color or AMBER, linewidth=2, label=sec.name)
        _scale(ax2, right, unit)
        if unit not in ("USD", "percent", "count"):
            ax2.set_ylabel(unit, fontsize=7)
        ax2.tick_params(axis="y", labelsize=7)
        ax2.spines[["top"]].set_visible(False)
        more_handles, more_labels = ax2.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    ax.set_xticks(positions)
    ax.set_xticklabels(
        chart.x,
        fontsize=7,
        rotation=0 if len(chart.x) <= 8 else 45,
        ha="right" if len(chart.x) > 8 else "center",
    )
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.axhline(0, color="#B0B7C3", linewidth=0.8)
    # the legend above the plot, as on the dashboard, never over the bars
    ax.legend(
        handles,
        labels,
        fontsize=7,
        frameon=False,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=4,
    )
