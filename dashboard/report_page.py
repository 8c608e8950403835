"""A whole report page: access check, the report, comparisons, drill-down, targets, email.

Every persona and audit page is one call: ``report_page.show("cfo")``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.auth.roles import may_open
from core.errors import DomainError
from core.periods import month_label
from core.reports import csv_export
from core.reports.drilldown import drillable
from core.reports.formatting import format_value
from core.reports.model import KPI, Report
from core.reports.request import ReportRequest
from core.reports.scope import ALL, MINE
from core.reports.targets import may_edit_targets, takes_target
from dashboard import auth, businesses, components, core_calls
from dashboard.email_dialog import email_button, pdf_button
from dashboard.filters import Filters
from dashboard.flash import flash, show_flash
from dashboard.navigation import BY_URL


@st.dialog("Ledger lines", width="large")
def _drill_dialog(kpi: KPI, request: ReportRequest) -> None:
    try:
        d = core_calls.drill(request, kpi.id)
    except DomainError as exc:
        st.error(str(exc))
        return
    st.markdown(f"**{kpi.label}** · {d.period}")
    per = f" ÷ {d.divisor}" if d.divisor > 1 else ""
    st.caption(f"{d.explain} Amounts in the KPI's sense: they add up to it{per}.")
    same = d.value == kpi.value
    st.success(
        f"{d.count:,} lines → {format_value(d.value, kpi.unit)}"
        + (f" = {kpi.label}" if same else f" (the tile shows {format_value(kpi.value, kpi.unit)})"),
        icon=":material/check_circle:" if same else ":material/error:",
    )
    if d.count > len(d.lines):
        st.caption(f"Showing the newest {len(d.lines):,} of {d.count:,} lines; the sum covers all.")
    frame = pd.DataFrame(
        [
            {
                "Date": line.date.isoformat(),
                "Entity": line.entity_id,
                "Description": line.description,
                "Memo": line.memo,
                "Account": line.account,
                "Amount": d.amount(line),
            }
            for line in d.lines
        ]
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=420,
        column_config={"Amount": st.column_config.NumberColumn("Amount", format="dollar")},
    )
    st.download_button(
        "Download CSV",
        csv_export.csv_bytes(list(frame.columns), frame.itertuples(index=False)),
        file_name=f"{kpi.id}-{d.period.replace(' ', '-')}-lines.csv",
        mime=csv_export.MIME,
        icon=":material/download:",
    )


def _targets_form(report: Report, request: ReportRequest) -> None:
    """The targets of the report's KPIs for its scope and month (a dialog's body)."""
    if report.entity == MINE:
        st.info("Targets belong to one entity or to the whole portfolio: pick one to edit them.")
        return
    month = month_label(request.period)
    st.caption(
        f"Targets for **{report.entity_name}**, {month}. Statuses follow them: on "
        "target, near it (within 10%), or off it. Leave a box empty for no target."
        + (
            " With no target of its own, the portfolio's is the sum of its businesses' "
            "(amounts and counts, when each has one)."
            if report.entity == ALL
            else ""
        )
    )
    name = request.report
    kpis = [k for k in report.kpis if takes_target(k.id)]  # not revenue vs target, break-even
    with st.form(f"targets_{name}", border=False):
        values: dict[str, float | None] = {}
        for i, kpi in enumerate(kpis):
            if i % 2 == 0:  # a row per pair: a phone stacks them in the KPIs' order
                cols = st.columns(2)
            better = "higher" if kpi.direction == "up" else "lower"
            values[kpi.id] = cols[i % 2].number_input(
                f"{kpi.label} ({kpi.unit}; {better} is better)",
                value=kpi.target,
                step=1.0,
                format="%.2f",
                key=f"target_{name}_{kpi.id}",
            )
        rest = st.checkbox("Also for the remaining months of the year")
        if st.form_submit_button("Save targets", type="primary", icon=":material/save:"):
            changed = {k.id: values[k.id] for k in kpis if values[k.id] != k.target}
            if changed:
                try:
                    core_calls.save_report_targets(request, values=changed, rest_of_year=rest)
                except DomainError as exc:
                    st.error(str(exc))
                    for problem in exc.problems:
                        st.caption(problem)
                    return
            flash(
                f"Saved {len(changed)} target(s) for {month}"
                if changed
                else f"No target changed for {month}",
                ":material/flag:",
            )
            st.session_state.pop(f"targets-open-{name}", None)
            st.rerun()  # the page reloads without the dialog, with the new statuses


def _actions(report: Report, request: ReportRequest) -> None:
    """Buttons beside the title: targets (owner only), Download PDF and Send as email."""
    show_flash()
    with st.container(horizontal=True, horizontal_alignment="right"):
        # a dialog, not a popover: Streamlit keeps a keyed popover open across the rerun a
        # save needs. The dialog stays open while this flag is set: the save and the
        # dialog's close button clear it, so the reloaded page has no dialog, and its toast
        opened = f"targets-open-{request.report}"
        if may_edit_targets(request.reader.role):
            if st.button("Targets", icon=":material/flag:", key=f"targets-{request.report}"):
                st.session_state[opened] = True
            if st.session_state.get(opened):
                st.dialog(
                    "Targets",
                    width="large",
                    on_dismiss=lambda: st.session_state.pop(opened, None),
                )(_targets_form)(report, request)
        pdf_button(report)
        email_button(request)


def first_run(user: UserScope, page: str) -> None:
    """A report page with no entity the reader may see: the setup checklist, or a sentence."""
    defined = BY_URL.get(page)
    st.title(defined.title if defined is not None else page)
    if may_open(user.role, "businesses"):  # the owner: the steps that fill this page
        st.caption("Nothing to report yet: these steps put your own books in.")
        businesses.checklist(user, core_calls.setup_checklist(), dismissible=False)
    elif core_calls.entities(None):
        st.info(
            "No business has been shared with you yet. Ask the owner to give you access.",
            icon=":material/lock:",
        )
    else:
        st.info(
            "The owner has not added any businesses yet. This page fills in once they do.",
            icon=":material/storefront:",
        )


def show(
    name: str,
    page: str | None = None,
    *,
    empty: str | None = None,
    skip: tuple[str, ...] = (),
) -> tuple[UserScope, Report, Filters]:
    """Render report ``name`` on its page (url path ``page``, default the name).

    ``empty``: the message shown instead when every KPI is empty (an audit of an entity with no
    such records); ``skip``: section ids the page draws itself, after the rest.
    """
    user = auth.require_page(page or name)
    if not core_calls.entities(user.entities):  # an empty ledger (for this reader): a first run
        first_run(user, page or name)
        st.stop()
    f: Filters = st.session_state["filters"]
    request = f.request(name, user)
    report = components.guarded(lambda: core_calls.report(request))
    if empty and all(k.value is None for k in report.kpis):
        components.report_header(report, lambda: _actions(report, request))
        st.info(empty.format(entity=report.entity_name), icon=":material/info:")
        st.stop()
    components.render_report(
        report,
        actions=lambda: _actions(report, request),
        compare=request.comparison,
        on_drill=lambda kpi: _drill_dialog(kpi, request),
        skip=skip,
    )
    _drill_from_link(report, request)
    return user, report, f


def _drill_from_link(report: Report, request: ReportRequest) -> None:
    """``?drill=<kpi id>`` (a Needs attention link) opens that KPI's ledger lines, once."""
    wanted = st.query_params.get("drill")
    if wanted is None:
        return
    del st.query_params["drill"]  # a rerun or a reload of the page does not open it again
    kpi = next((k for k in report.kpis if k.id == wanted), None)
    if kpi is not None and drillable(kpi.id):
        _drill_dialog(kpi, request)
