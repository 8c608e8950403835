"""Static PNG rendering of chart specs for email (matplotlib, Agg: offline, no browser)."""

from __future__ import annotations

import io

from core.reports.model import Chart

_DEFAULT_COLORS = ["#1F4E79", "#7A8699", "#2E7D32", "#C62828", "#E0A100"]


def chart_png(chart: Chart, *, width: float = 6.4, height: float = 2.8, dpi: int = 110) -> bytes:
    """The chart as PNG bytes: grouped bars, lines, an optional right-hand axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    fig, ax = plt.subplots(figsize=(width, height), dpi=dpi)
    try:
        positions = list(range(len(chart.x)))
        bars = [s for s in chart.series if s.kind == "bar"]
        group = 0.8 / max(len(bars), 1)
        base = [0.0] * len(positions)  # running top of each stacked column
        for i, s in enumerate(chart.series):
            color = s.color or _DEFAULT_COLORS[i % len(_DEFAULT_COLORS)]
            values = [v if v is not None else float("nan") for v in s.values]
            if s.kind == "bar" and chart.stacked:
                heights = [v or 0.0 for v in s.values]
                ax.bar(positions, heights, width=0.7, bottom=base, color=color, label=s.name)
                base = [b + h for b, h in zip(base, heights, strict=True)]
            elif s.kind == "bar":
                k = bars.index(s)
                offsets = [p - 0.4 + group * (k + 0.5) for p in positions]
                ax.bar(offsets, values, width=group, color=color, label=s.name)
            else:
                ax.plot(
                    positions,
                    values,
                    color=color,
                    linewidth=2,
                    marker="o",
                    markersize=3,
                    linestyle="--" if s.dash else "-",
                    label=s.name,
                )
        if chart.unit.startswith("USD"):
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${v:,.0f}"))
        if chart.secondary:
            ax2 = ax.twinx()
            sec = chart.secondary
            vals = [v if v is not None else float("nan") for v in sec.values]
            ax2.plot(positions, vals, color=sec.color or "#E0A100", linewidth=2, label=sec.name)
            ax2.set_ylabel(chart.secondary_unit or "")
            finite = [v for v in sec.values if v is not None]
            if chart.secondary_unit == "months" and finite and max(finite) > 60:
                ax2.set_ylim(0, 60)
        ax.set_xticks(positions)
        ax.set_xticklabels(
            chart.x,
            fontsize=7,
            rotation=0 if len(chart.x) <= 8 else 45,
            ha="right" if len(chart.x) > 8 else "center",
        )
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(chart.title, fontsize=10, loc="left")
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(fontsize=7, frameon=False, loc="upper left", ncols=3)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(fig)
