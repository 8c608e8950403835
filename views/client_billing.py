"""/client-billing: clients, engagements, time, unbilled work, invoices, and AR aging as of
a date picked above the aging table (kept in the URL as ``?as_of=YYYY-MM-DD``)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from core.records.window import window
from core.reports.client_billing import aging_section_id
from dashboard import components, core_calls, report_page

AGING = aging_section_id()
user, report, f = report_page.show(
    "client-billing", empty="No client-billing records for {entity}.", skip=(AGING,)
)
default = window(f.period, datetime.now(ZoneInfo(core_calls.portfolio_tz())).date())[1]
key = f"cb_as_of_{f.period}"  # a new month starts from its own default date
if key not in st.session_state:
    try:
        st.session_state[key] = date.fromisoformat(st.query_params.get("as_of", ""))
    except ValueError:
        st.session_state[key] = default


def _keep_in_url() -> None:
    chosen = st.session_state[key]
    if chosen == default:
        st.query_params.pop("as_of", None)
    else:
        st.query_params["as_of"] = chosen.isoformat()


st.subheader("AR aging", divider="gray")
as_of = st.date_input(
    "Aging as of", key=key, on_change=_keep_in_url, help="Receivables by days past due on this date"
)
if as_of != default:  # the same report dated otherwise, built (and scope-checked) in the core
    report = components.guarded(
        lambda: core_calls.report(f.request("client-billing", user, as_of=as_of))
    )
components.render_items(report, next(s for s in report.sections if s.id == AGING).items)
