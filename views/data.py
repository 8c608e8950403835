"""/data: where the numbers come from. Source status, "sync now" with progress, CSV imports."""

from datetime import UTC

import pandas as pd
import streamlit as st

from core.sources.runs import SOURCES
from dashboard import auth, core_calls, data_calls, import_panel, sources_panel
from dashboard.flash import show_flash
from dashboard.sources_panel import STATUS_ICON

user = auth.require_page("data")
st.title("Data")
st.caption(
    "Where the numbers come from: Stripe, AWS and git syncs, the secret scan, and bank or card "
    "statements. A sync that fails writes nothing partial; its message says what to fix."
)

choices = dict(core_calls.entities(user.entities))
if not choices:
    st.info("No entities in your scope yet.")
    st.stop()
sidebar = st.session_state.get("filters")
if "data_entity" not in st.session_state and sidebar is not None and sidebar.entity in choices:
    st.session_state["data_entity"] = sidebar.entity  # start from the business already in view
entity = st.selectbox(
    "Business to sync",
    list(choices),
    format_func=choices.get,
    key="data_entity",
    help="A sync writes to one business (the sidebar's choice is for reports); a statement "
    "import picks its own business below.",
)

show_flash()

sources_panel.show(user, entity)

import_panel.show(user, choices)

st.subheader("Recent runs")
history = data_calls.source_history(user.entities)
if not history:
    st.info("No syncs yet.")
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Started": r.started_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    "Entity": choices.get(r.entity_id, r.entity_id),
                    "Source": SOURCES.get(r.source, r.source),
                    "Status": f"{STATUS_ICON.get(r.status, '')} {r.status}",
                    "Items": r.items,
                    "Message": r.message,
                }
                for r in history
            ]
        ),
        hide_index=True,
        width="stretch",
    )
