"""/accounting: trial balance, statements, revenue recognition, chart of accounts, queue."""

import streamlit as st

from dashboard import auth, components, data
from dashboard.email_dialog import email_button

user = auth.require_page("accounting")
f = st.session_state["filters"]
report = components.guarded(
    lambda: data.report("accounting", entity=f.entity, period=f.period, allowed=user.entities)
)
components.render_report(
    report,
    actions=lambda: email_button("accounting", entity=f.entity, period=f.period, user=user),
)
