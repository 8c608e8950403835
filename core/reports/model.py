"""The Report model: KPIs, and sections of KPI groups, charts, tables and findings.

Renderer-neutral: the Streamlit page, the text/HTML email and ``--format json`` all draw the
same object. ``Report.to_dict()`` is the JSON format of CONTRACT section 4.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["good", "watch", "bad", "none"]
Direction = Literal["up", "down"]
Severity = Literal["info", "watch", "bad"]
TOLERANCE = 0.10  # within 10% of target on the wrong side is "watch"


@dataclass(frozen=True)
class Pace:
    """Where a flow KPI stands partway through its month, against the same point before.

    Set only while the month is under way; ``day`` of ``days`` have passed in the reporting
    time zone (a completed month has no pace: it compares whole months).
    """

    day: int  # days of the month covered, 1..days
    days: int  # days in the month
    target: float | None  # the month's target pro-rated to ``day``
    last_month: float | None  # last month through the same day (clipped to its length)
    last_year: float | None  # the same month a year earlier through the same day


@dataclass(frozen=True)
class KPI:
    """A headline number with its target, status and deltas."""

    id: str
    label: str
    value: float | None
    unit: str
    target: float | None
    direction: Direction
    status: Status
    delta_mom: float | None
    delta_yoy: float | None
    pace: Pace | None = None  # a flow KPI of a month under way


@dataclass(frozen=True)
class KpiGroup:
    """A row of KPI tiles, by KPI id."""

    ids: list[str]
    type: str = "kpis"


@dataclass(frozen=True)
class Series:
    """One named series of a chart; ``kind`` is bar or line."""

    name: str
    values: list[float | None]
    kind: Literal["bar", "line"] = "bar"
    color: str | None = None
    dash: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart spec any renderer can draw: shared x labels, series, y unit."""

    id: str
    title: str
    x: list[str]
    series: list[Series]
    unit: str = "USD"
    secondary: Series | None = None
    secondary_unit: str | None = None
    stacked: bool = False  # bars stacked into one column per x (parts of a total)
    type: str = "chart"


@dataclass(frozen=True)
class Column:
    """A table column; ``unit`` tells renderers how to format the cells."""

    key: str
    label: str
    unit: str = "text"


@dataclass(frozen=True)
class Table:
    """Rows of cells keyed by column key."""

    id: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    type: str = "table"


@dataclass(frozen=True)
class Finding:
    """A sentence of fact worth attention."""

    text: str
    severity: Severity = "info"
    type: str = "finding"


Item = KpiGroup | Chart | Table | Finding


@dataclass(frozen=True)
class Attention:
    """One item of a page's Needs attention list: what, how bad, and where it is fixed."""

    text: str
    severity: Severity
    link: str  # a dashboard path with its query, e.g. "/accounting?entity=all&period=2026-11"
    kpi_id: str | None = None  # the KPI it is about, when it is one


@dataclass(frozen=True)
class Movement:
    """One figure of the "since yesterday" strip (cash moved, new bookings, ...)."""

    id: str
    label: str
    value: float | None
    unit: str
    link: str | None = None


@dataclass(frozen=True)
class Section:
    """A titled group of items."""

    id: str
    title: str
    items: list[Item]


@dataclass(frozen=True)
class YtdValue:
    """A flow KPI summed from January to the period, against the same span a year earlier."""

    value: float | None
    previous: float | None
    delta: float | None
    target: float | None = None  # the months' targets summed, when every month has one
    status: Status = "none"  # against that target: the badge shown beside the YTD figure


@dataclass(frozen=True)
class Report:
    """A built report for one scope and period."""

    report: str
    title: str
    entity: str
    entity_name: str
    period: str
    as_of: str
    timezone: str
    currency: str
    kpis: list[KPI]
    sections: list[Section] = field(default_factory=list)
    data_through: str | None = None
    ytd: dict[str, YtdValue] = field(default_factory=dict)  # flow KPIs only
    headline: list[str] = field(default_factory=list)  # the four KPI ids of the first screen
    attention: list[Attention] = field(default_factory=list)  # Needs attention, worst first
    since_yesterday: list[Movement] = field(default_factory=list)  # the morning strip

    def kpi(self, kpi_id: str) -> KPI:
        """One KPI by id; KeyError if absent."""
        for k in self.kpis:
            if k.id == kpi_id:
                return k
        raise KeyError(kpi_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form (CONTRACT section 4)."""
        return asdict(self)


def kpi_status(value: float | None, target: float | None, direction: Direction) -> Status:
    """good when on the right side of target, watch within 10% of it, else bad."""
    if value is None or target is None:
        return "none"
    slack = abs(target) * TOLERANCE
    if direction == "up":
        if value >= target:
            return "good"
        return "watch" if value >= target - slack else "bad"
    if value <= target:
        return "good"
    return "watch" if value <= target + slack else "bad"


def make_kpi(
    id: str,
    label: str,
    unit: str,
    direction: Direction,
    *,
    value: float | None,
    previous: float | None,
    year_ago: float | None,
    target: float | None,
) -> KPI:
    """A KPI with status from its target and absolute deltas vs previous month and year."""

    def delta(other: float | None) -> float | None:
        return None if value is None or other is None else round(value - other, 2)

    return KPI(
        id=id,
        label=label,
        value=value,
        unit=unit,
        target=target,
        direction=direction,
        status=kpi_status(value, target, direction),
        delta_mom=delta(previous),
        delta_yoy=delta(year_ago),
    )
