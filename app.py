"""Streamlit entrypoint: page config, sign-in gate, role -> st.navigation, shared filters."""

import time

import streamlit as st

st.set_page_config(page_title="Portfolio dashboard", page_icon="⛵", layout="wide")

from dashboard import auth, data, filters  # noqa: E402
from dashboard.navigation import pages_for, sign_in_pages  # noqa: E402

user = auth.current_user()
if user is None:
    # Every page URL leads to the sign-in form, which then reruns into the page asked for.
    # (The page scripts live in views/, not pages/, so Streamlit never routes them itself.)
    requested = st.navigation(sign_in_pages(), position="hidden")
    if requested.url_path:  # a deep link; a late rerun on the root ("") must not erase it
        st.session_state["after_sign_in_target"] = requested.url_path
    requested.run()
    st.stop()

pages = pages_for(user)
page = st.navigation(pages)
# Land on the page a deep link asked for. Late reruns from the auth cookie component can
# arrive just after the switch and fall back to the default page, so for a few seconds after
# signing in a run that lands on the default page is steered back to the requested page.
target = st.session_state.get("after_sign_in_target")
wanted = [p for p in pages if p.url_path == target]
steering = time.monotonic() < st.session_state.get(auth.SIGNED_IN_AT, 0.0) + 5
fell_back = page.url_path == pages[0].url_path  # the default page: a deliberate visit is not
if wanted and steering and fell_back and page.url_path != target:
    st.switch_page(wanted[0])
auth.finish_sign_in()
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
