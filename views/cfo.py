"""/cfo: the CFO report for the selected entity and month."""

import streamlit as st

from dashboard import auth, components, data
from dashboard.email_dialog import email_button

user = auth.require_page("cfo")
f = st.session_state["filters"]
report = components.guarded(
    lambda: data.report("cfo", entity=f.entity, period=f.period, allowed=user.entities)
)
components.render_report(
    report, actions=lambda: email_button("cfo", entity=f.entity, period=f.period, user=user)
)
