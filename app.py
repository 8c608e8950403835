"""Streamlit entrypoint: page config, sign-in gate, role -> st.navigation, shared filters."""

import streamlit as st

st.set_page_config(page_title="Portfolio dashboard", page_icon="⛵", layout="wide")

from dashboard import auth, data, filters  # noqa: E402
from dashboard.navigation import pages_for, sign_in_pages  # noqa: E402

user = auth.current_user()
if user is None:
    # Every page URL leads to the sign-in form, which reruns into the page once signed in;
    # (The page scripts live in views/, not pages/, so Streamlit never routes them itself.)
    st.navigation(sign_in_pages(), position="hidden").run()
    st.stop()

page = st.navigation(pages_for(user))
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
