"""Report rendering for Streamlit: KPI tiles, plotly charts, tables with CSV download."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TypeVar

import pandas as pd
import streamlit as st

from core.errors import DomainError, Forbidden
from core.reports import csv_export
from core.reports.drilldown import drillable
from core.reports.formatting import Change, describe_change, format_value
from core.reports.kpi_help import KPI_HELP
from core.reports.model import KPI, Chart, Finding, Item, KpiGroup, Report, Table
from core.reports.text import target_phrase
from dashboard.charts import figure

T = TypeVar("T")
RUNWAY_AXIS_CAP = 60
STATUS_BADGE = {
    "good": ("On target", "green", ":material/check_circle:"),
    "watch": ("Near target", "orange", ":material/error:"),
    "bad": ("Off target", "red", ":material/cancel:"),
    "none": ("No target", "gray", None),
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
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with right:
        if actions:
            actions()
    with left:
        st.title(report.title)
    st.caption(
        f"{report.entity_name} · {report.period} · as of {report.as_of[:16].replace('T', ' ')} "
        f"{report.timezone} · data through {report.data_through or 'n/a'}"
    )


# short enough to sit beside a six-figure change in a quarter-width tile at 1440 px:
# the same month (yoy), the same point (a balance) and the same months (YTD) a year earlier
DELTA_TEXT = {"mom": "vs last month"}
YEAR_AGO = "vs a year ago"
# a change's tone as st.metric colours and arrows; set here rather than left to Streamlit,
# which reads any delta text not starting with "-" as a rise
DELTA_COLOR = {"good": "green", "bad": "red", "neutral": "off"}
DELTA_ARROW = {1: "up", -1: "down", 0: "off"}


def metric_delta(change: Change | None, direction: str, description: str) -> dict[str, object]:
    """st.metric's delta arguments: no arrow and no colour for a change that rounds to zero."""
    if change is None:
        return {"delta": None}
    return {
        "delta": change.text,
        "delta_color": DELTA_COLOR[change.tone(direction)],
        "delta_arrow": DELTA_ARROW[change.sign],
        "delta_description": description.removeprefix("vs ") if change.standalone else description,
    }


def kpi_tile(
    report: Report,
    kpi: KPI,
    *,
    compare: str = "mom",
    on_drill: Callable[[KPI], None] | None = None,
) -> None:
    """One KPI: value, its change against the chosen comparison, target, status, lines."""
    ytd = report.ytd.get(kpi.id) if compare == "ytd" else None
    if ytd is not None:  # a flow: show the year-to-date sum against last year's
        value, delta, label = ytd.value, ytd.delta, f"{kpi.label} (YTD)"
        description = YEAR_AGO
    else:
        value, label = kpi.value, kpi.label
        delta = kpi.delta_mom if compare == "mom" else kpi.delta_yoy
        description = DELTA_TEXT.get(compare, YEAR_AGO)
    change = describe_change(delta, kpi.unit, value=value)
    with st.container(border=True):
        st.metric(
            label,
            format_value(value, kpi.unit),
            help=KPI_HELP.get(kpi.id),
            **metric_delta(change, kpi.direction, description),  # type: ignore[arg-type]
        )
        text, color, icon = STATUS_BADGE[kpi.status]
        st.badge(text, color=color, icon=icon)  # type: ignore[arg-type]
        bits = []
        if kpi.pace is not None and ytd is None:  # the change is to the same day before
            bits.append(f"Day {kpi.pace.day} of {kpi.pace.days}, against the same day before")
        if ytd is not None:
            bits.append(f"{report.period}: {format_value(kpi.value, kpi.unit)}")
        if kpi.target is not None:
            phrase = target_phrase(kpi)  # "target to date $2,500 (month $3,000)" while it runs
            bits.append(phrase[:1].upper() + phrase[1:])
        if compare == "mom":
            yoy = describe_change(kpi.delta_yoy, kpi.unit, value=kpi.value)
            if yoy:
                bits.append(yoy.phrase("vs last year"))
        st.caption(" · ".join(bits) or " ")
        if (
            on_drill is not None
            and drillable(kpi.id)
            and st.button(
                "Ledger lines",
                key=f"drill_{report.report}_{kpi.id}",
                icon=":material/list_alt:",
                type="tertiary",
                help="Open the journal lines that make up this number.",
            )
        ):
            on_drill(kpi)


def kpi_row(
    report: Report,
    group: KpiGroup,
    *,
    compare: str = "mom",
    on_drill: Callable[[KPI], None] | None = None,
) -> None:
    """A row of KPI tiles."""
    for col, kid in zip(st.columns(len(group.ids)), group.ids, strict=True):
        with col:
            kpi_tile(report, report.kpi(kid), compare=compare, on_drill=on_drill)


NUMBER_FORMATS = {"percent": "%.1f%%", "count": "%d", "number": "%.1f", "months": "%.1f"}


def table(t: Table) -> None:
    """A table with money, percent and counts formatted and a CSV download of the raw numbers."""
    frame = pd.DataFrame(
        [
            {
                c.label: ("" if row.get(c.key) is None and c.unit == "text" else row.get(c.key))
                for c in t.columns
            }
            for row in t.rows
        ],
        columns=[c.label for c in t.columns],
    )
    config = {}
    for c in t.columns:
        if c.unit.startswith("USD"):
            config[c.label] = st.column_config.NumberColumn(c.label, format="dollar")
        elif c.unit in NUMBER_FORMATS:
            config[c.label] = st.column_config.NumberColumn(c.label, format=NUMBER_FORMATS[c.unit])
    st.markdown(f"**{t.title}**")
    st.dataframe(frame, hide_index=True, column_config=config, width="stretch")
    st.download_button(
        "Download CSV",
        csv_export.table_csv(t),
        file_name=f"{t.id}.csv",
        mime=csv_export.MIME,
        icon=":material/download:",
        key=f"dl_{t.id}",
    )


def finding(f: Finding) -> None:
    """A sentence of fact, coloured by severity."""
    {"info": st.info, "watch": st.warning, "bad": st.error}[f.severity](f.text)


def render_items(
    report: Report,
    items: list[Item],
    *,
    compare: str = "mom",
    on_drill: Callable[[KPI], None] | None = None,
) -> None:
    """The items of one section, in order."""
    for item in items:
        if isinstance(item, KpiGroup):
            kpi_row(report, item, compare=compare, on_drill=on_drill)
        elif isinstance(item, Finding):
            finding(item)
        elif isinstance(item, Table):
            table(item)
        elif isinstance(item, Chart):
            st.plotly_chart(figure(item), width="stretch", key=f"chart_{item.id}")


def render_report(
    report: Report,
    actions: Callable[[], None] | None = None,
    *,
    compare: str = "mom",
    on_drill: Callable[[KPI], None] | None = None,
    skip: Collection[str] = (),
) -> None:
    """Every section of a report but ``skip``, in order; ``actions`` go beside the title."""
    report_header(report, actions)
    for section in report.sections:
        if section.id in skip:
            continue
        st.subheader(section.title, divider="gray")
        render_items(report, section.items, compare=compare, on_drill=on_drill)
