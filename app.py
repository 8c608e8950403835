"""Streamlit entrypoint: page config, sign-in gate, role -> st.navigation, shared filters."""

import streamlit as st

st.set_page_config(page_title="Portfolio dashboard", page_icon="⛵", layout="wide")

from dashboard import auth, data, filters  # noqa: E402
from dashboard.navigation import pages_for, sign_in_pages  # noqa: E402

user = auth.current_user()
if user is None:
    # Every page URL leads to the sign-in form, which then reruns into the page asked for.
    # (The page scripts live in views/, not pages/, so Streamlit never routes them itself.)
    requested = st.navigation(sign_in_pages(), position="hidden")
    st.session_state["after_sign_in"] = requested.url_path
    requested.run()
    st.stop()

pages = pages_for(user)
page = st.navigation(pages)
target = st.session_state.pop("after_sign_in", None)
if target and target != page.url_path:  # land on the page the deep link asked for
    for candidate in pages:
        if candidate.url_path == target:
            st.switch_page(candidate)
with st.sidebar:
    st.markdown(f"**{user.name}**  \n{user.email} · {user.role}")
st.session_state["filters"] = filters.sidebar_filters(user)
auth.sign_out_button()
if data.has_demo_data():
    st.warning(
        "**Demo data.** These figures come from the generated demo portfolio, not your books.",
        icon=":material/science:",
    )
page.run()
