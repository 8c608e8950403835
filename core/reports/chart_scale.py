"""How a chart spec is scaled for any renderer (plotly, matplotlib): round ticks, capped runway,
signs coloured by meaning, and the sentence an empty chart shows instead of axes."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.reports.formatting import format_value
from core.reports.model import Chart, Series
from core.reports.palette import point_colors

RUNWAY_CAP = 60  # months drawn at most: past five years a runway line would flatten the rest
TICKS = 6  # intervals an axis has at most (round steps often need fewer)
_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
_MONTH_STEPS = (1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0, 120.0)
_MONTH_LABEL = re.compile(r"^[A-Z][a-z]{2} \d{2}$")


@dataclass(frozen=True)
class Axis:
    """An axis from ``low`` to ``high`` with a tick every ``step`` (both multiples of it)."""

    low: float
    high: float
    step: float

    @property
    def ticks(self) -> list[float]:
        """Every tick value, low to high."""
        count = round((self.high - self.low) / self.step)
        return [round(self.low + i * self.step, 10) for i in range(count + 1)]

    @property
    def decimals(self) -> int:
        """Digits a tick label needs so every tick reads exactly (``2.5`` needs one)."""
        return 0 if float(self.step).is_integer() else len(f"{self.step:g}".partition(".")[2])


def nice_step(raw: float, unit: str = "") -> float:
    """The smallest round step at least ``raw``: 1, 2, 2.5 or 5 times a power of ten; months
    step by 1/2/3/6/12 and years; counts step by whole numbers."""
    if raw <= 0:
        return 1.0
    if unit == "months" and raw <= _MONTH_STEPS[-1]:
        return next(s for s in _MONTH_STEPS if s >= raw)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(s for s in _STEPS if s * power >= raw * (1 - 1e-9)) * power
    return max(step, 1.0) if unit == "count" else step


def nice_axis(values: Sequence[float | None], unit: str = "", ticks: int = TICKS) -> Axis:
    """A round axis through zero covering every value."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    low, high = min([0.0, *finite]), max([0.0, *finite])
    step = nice_step((high - low) / ticks, unit)
    bottom = math.floor(low / step + 1e-9) * step
    top = math.ceil(high / step - 1e-9) * step
    return Axis(bottom, top if top > bottom else bottom + step, step)


def aligned_axes(left: Axis, right: Axis) -> tuple[Axis, Axis]:
    """The two axes stretched to the same ticks below and above zero, so one grid serves both."""
    below = max(round(-left.low / left.step), round(-right.low / right.step))
    above = max(round(left.high / left.step), round(right.high / right.step))
    return (
        Axis(-below * left.step, above * left.step, left.step),
        Axis(-below * right.step, above * right.step, right.step),
    )


def capped(values: Sequence[float | None], unit: str) -> list[float | None]:
    """The values as drawn: a runway past ``RUNWAY_CAP`` months sits on the cap."""
    if unit != "months":
        return list(values)
    return [None if v is None else min(v, RUNWAY_CAP) for v in values]


def hover_texts(values: Sequence[float | None], unit: str) -> list[str]:
    """Each point's true value as every other place shows it (``75.0 months``, ``$1,200``)."""
    return [format_value(v, unit) for v in values]


def colors(series: Series) -> str | list[str] | None:
    """A series' colour, or one per point when its colour says its sign matters."""
    return point_colors(series.values, series.color)


def stack_extent(chart: Chart) -> list[float | None]:
    """The values the primary axis must reach: each stacked column's top and bottom."""
    if not chart.stacked:
        return [v for s in chart.series for v in capped(s.values, chart.unit)]
    out: list[float | None] = []
    bars = [s for s in chart.series if s.kind == "bar"]
    for i in range(len(chart.x)):
        column = [s.values[i] or 0.0 for s in bars if i < len(s.values)]
        out += [sum(v for v in column if v > 0), sum(v for v in column if v < 0)]
    out += [v for s in chart.series if s.kind != "bar" for v in s.values]
    return out


def axes(chart: Chart) -> tuple[Axis, Axis | None]:
    """The primary axis and, for a chart with a second series on the right, its aligned axis."""
    left = nice_axis(stack_extent(chart), chart.unit)
    if chart.secondary is None:
        return left, None
    unit = chart.secondary_unit or ""
    return aligned_axes(left, nice_axis(capped(chart.secondary.values, unit), unit))


def is_empty(chart: Chart) -> bool:
    """Nothing to draw: no x, no series, or every value missing or zero."""
    every = [s for s in [*chart.series, chart.secondary] if s is not None]
    return not chart.x or not any(v for s in every for v in s.values)


# what an empty chart says, by chart id: what is missing, in a reader's words
EMPTY_TEXT = {
    "pnl_trend": "No revenue or expenses",
    "cash_runway": "No cash balances",
    "break_even": "No revenue",
    "burn_by_entity": "No spending or income",
    "revenue_vs_target": "No revenue",
    "asset_revenue": "No revenue from assets",
    "concentration": "No invoices",
    "hours_rate": "No billed hours",
    "aging": "No open invoices",
    "ota_ranking": "No channel left to list on",
    "campaign_roi": "No campaigns sent",
    "net_by_channel": "No bookings",
    "bookings_trend": "No bookings",
    "cost_by_service": "No cloud costs",
    "commits_deploys_weekly": "No commits or deploys",
    "collected_vs_due": "No rent due",
    "maintenance": "No maintenance costs or tickets",
    "noi_trend": "No rental income or costs",
    "lease_expiry": "No leases",
    "pipeline": "No delivery jobs",
    "quoted_vs_actual": "No delivered jobs",
    "margin_trend": "No delivered jobs",
}


def empty_sentence(chart: Chart) -> str:
    """What an empty chart says instead of axes: ``No bookings in these months``."""
    missing = EMPTY_TEXT.get(chart.id, "Nothing recorded")
    months = bool(chart.x) and all(_MONTH_LABEL.match(x) for x in chart.x)
    return f"{missing} in these months" if months else f"{missing} yet"
