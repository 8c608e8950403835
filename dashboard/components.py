"""Report rendering for Streamlit: KPI tiles, plotly charts, tables with CSV download."""

from __future__ import annotations

from collections.abc import Callable, Collection
from html import escape
from typing import TypeVar

import streamlit as st

from core.errors import DomainError, Forbidden
from core.periods import month_label, parse_period
from core.reports.drilldown import drillable
from core.reports.formatting import Change, describe_change, format_value, kpi_value_text
from core.reports.kpi_help import KPI_HELP
from core.reports.model import KPI, Chart, Finding, Item, KpiGroup, Report, Table
from core.reports.text import target_phrase
from dashboard import charts, theme
from dashboard.tables import table as table

T = TypeVar("T")
HEADLINE_SECTION = "headline"  # every builder's first section: the scope heading and KPIs
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
    """One line: title, scope and month, as-of and data freshness small, actions on the right."""
    theme.apply()
    month = month_label(parse_period(report.period))
    with st.container(horizontal=True, vertical_alignment="center", key=theme.HEADER):
        st.title(report.title, width="content")
        st.markdown(
            f"**{report.entity_name} · {month}** :small[:gray[as of "
            f"{report.as_of[:16].replace('T', ' ')} {report.timezone} · data through "
            f"{report.data_through or 'n/a'}]]",
            width="stretch",
        )
        if actions:
            with st.container(width="content"):
                actions()


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


def status_and_note(status: str, note: str) -> str:
    """The tile's status badge and, under it, its small note: one element, not two (each
    element a page draws costs the server a hand-over to its event loop, times every tile)."""
    text, color, icon = STATUS_BADGE[status]
    badge = f":{color}-badge[{icon + ' ' if icon else ''}{text}]"
    if not note:
        return badge
    return f'{badge}<span class="{theme.TILE_NOTE}">{escape(note, quote=False)}</span>'


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
            kpi_value_text(kpi.id, value, kpi.unit),
            help=KPI_HELP.get(kpi.id),
            **metric_delta(change, kpi.direction, description),  # type: ignore[arg-type]
        )
        bits = []
        if ytd is not None:  # the month beside the year, and the year's own target
            bits.append(
                f"{month_label(parse_period(report.period))}: {format_value(kpi.value, kpi.unit)}"
            )
            if ytd.target is not None:
                bits.append(f"Target (YTD) {format_value(ytd.target, kpi.unit)}")
        else:
            if kpi.pace is not None:  # the change is to the same day before
                bits.append(f"Day {kpi.pace.day} of {kpi.pace.days}")
            if kpi.target is not None or (kpi.pace is not None and kpi.pace.target is not None):
                phrase = target_phrase(kpi)  # "target to date $2,500 (month $3,000)" while it runs
                bits.append(phrase[:1].upper() + phrase[1:])
        if compare == "mom":
            yoy = describe_change(kpi.delta_yoy, kpi.unit, value=kpi.value)
            if yoy:
                bits.append(yoy.phrase("vs last year"))
        status = ytd.status if ytd is not None else kpi.status
        st.markdown(status_and_note(status, " · ".join(bits)), unsafe_allow_html=True)
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
    """A row of KPI tiles of equal height (two a row on a phone)."""
    key = f"{theme.TILE_ROW}{report.report}_{'_'.join(group.ids)}"
    with st.container(horizontal=True, gap="small", key=key):
        for kid in group.ids:
            kpi_tile(report, report.kpi(kid), compare=compare, on_drill=on_drill)


def since_yesterday(report: Report) -> None:
    """The morning strip: what moved since yesterday, one small line."""
    if not report.since_yesterday:
        return
    parts = []
    for m in report.since_yesterday:
        value = format_value(m.value, m.unit)
        if m.value is not None and m.value > 0 and m.unit.startswith("USD"):
            value = "+" + value
        label = escape(m.label)
        if m.link:  # in this tab: a new one would have to sign in again
            label = f'<a href="{escape(m.link)}" target="_self">{label}</a>'
        parts.append(f"{label} <b>{escape(value)}</b>")
    st.markdown(
        '<small class="since-yesterday">Since yesterday: ' + " · ".join(parts) + "</small>",
        unsafe_allow_html=True,
    )


SEVERITY_ICON = {"bad": "●", "watch": "●", "info": "○"}


def needs_attention(report: Report) -> None:
    """The Needs attention list: each item a link to where it is fixed, worst first."""
    with st.container(key=theme.ATTENTION):
        st.markdown("##### Needs attention")
        if not report.attention:
            st.markdown(":green[:material/check_circle:] Nothing needs attention")
            return
        items = "".join(
            f'<li><span class="sev-{a.severity}" aria-label="{a.severity}">'
            f"{SEVERITY_ICON[a.severity]}</span> "
            f'<a href="{escape(a.link)}" target="_self">{escape(a.text)}</a></li>'
            for a in report.attention
        )
        st.markdown(f"<ul>{items}</ul>", unsafe_allow_html=True)


def headline_ids(report: Report) -> list[str]:
    """The report's headline KPI ids that it has (the first screen's tiles)."""
    have = {k.id for k in report.kpis}
    return [kid for kid in report.headline if kid in have]


FINDING_ICON = {
    "info": ":gray[:material/info:]",
    "watch": ":orange[:material/error:]",
    "bad": ":red[:material/cancel:]",
}


def finding(f: Finding) -> None:
    """A sentence of fact as plain text, its severity an icon (actions live in the attention
    list)."""
    st.markdown(f"{FINDING_ICON[f.severity]} {f.text}")


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
            charts.draw(item)


def render_report(
    report: Report,
    actions: Callable[[], None] | None = None,
    *,
    compare: str = "mom",
    on_drill: Callable[[KPI], None] | None = None,
    skip: Collection[str] = (),
) -> None:
    """The first screen (header, since-yesterday strip, headline tiles, Needs attention), then
    every section of a report but ``skip``; ``actions`` go beside the title."""
    report_header(report, actions)
    since_yesterday(report)
    top = headline_ids(report)
    if top:
        kpi_row(report, KpiGroup(top), compare=compare, on_drill=on_drill)
        needs_attention(report)
    for section in report.sections:
        if section.id in skip:
            continue
        items = section.items
        if section.id == HEADLINE_SECTION and top:  # its heading repeats the header's scope
            items = _rest(items, set(top))
        else:
            st.subheader(section.title, divider="gray")
        render_items(report, items, compare=compare, on_drill=on_drill)


def _rest(items: list[Item], drawn: set[str]) -> list[Item]:
    """``items`` without the KPIs already drawn, the others in rows of up to four."""
    left = [kid for item in items if isinstance(item, KpiGroup) for kid in item.ids]
    left = [kid for kid in left if kid not in drawn]
    rows: list[Item] = [KpiGroup(left[i : i + 4]) for i in range(0, len(left), 4)]
    return rows + [item for item in items if not isinstance(item, KpiGroup)]
