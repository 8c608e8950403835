"""Streamlit entrypoint: page config, sign-in gate, role -> st.navigation, shared filters."""

import streamlit as st

st.set_page_config(page_title="Portfolio dashboard", page_icon="⛵", layout="wide")

from core.auth.roles import may_open  # noqa: E402
from core.backup import hold_data_lock  # noqa: E402
from core.config import get_settings  # noqa: E402
from core.logs import configure_logging  # noqa: E402
from dashboard import auth, core_calls, filters, heap, navigation, run_log  # noqa: E402

configure_logging()  # LOG_LEVEL / LOG_FORMAT; once per process (later runs only re-read them)
hold_data_lock(get_settings().exec_data_dir)  # `restore` refuses a data folder in use

# BENCH_RUN_LOG=path: one JSON line per run (duration, page, RSS) for the load bench
with run_log.script_run():
    user = auth.current_user()
    if user is None:
        # The sign-in form under every page URL: the URL asked for opens once signed in.
        st.navigation(navigation.every_url(auth.sign_in_page, "Sign in"), position="hidden").run()
        st.stop()
    if auth.must_change_password(user):
        pages = navigation.every_url(auth.forced_password_page, "Choose a new password")
        st.navigation(pages, position="hidden").run()
        st.stop()

    # the sidebar around the page: one revision read for its cached entity list and demo flag
    with core_calls.page_frame():
        nav = navigation.for_user(user)
        page = st.navigation(nav.pages)
        if page is nav.home:  # "/" is the user's first page, with the query string kept
            first = nav.first
            if may_open(user.role, "businesses") and not core_calls.entities(None):  # no books
                first = next(p for p in nav.pages if p.url_path == "businesses")
            st.switch_page(first, query_params=st.query_params.to_dict())
        defined = navigation.page_def(page)
        allowed = defined is not None and may_open(user.role, defined.url)
        report = allowed and defined is not None and defined.report
        if report:  # entity, month and comparison mean something on report pages only
            st.session_state["filters"] = filters.sidebar_filters(user)
        auth.account_menu(user)
        with st.sidebar:
            auth.write_cookie()  # after a sign-in: the cookie a new tab signs in with
        if report and core_calls.has_demo_data():  # one slim line; the owner gets the way out
            with st.container(horizontal=True, vertical_alignment="center", key="demo_banner"):
                st.warning(
                    "**Demo data.** These figures come from the generated demo portfolio, "
                    "not your books.",
                    icon=":material/science:",
                )
                if may_open(user.role, "businesses"):  # the owner: where the demo is replaced
                    st.page_link(
                        navigation.BY_URL["businesses"].script,
                        label="Replace the demo with my data",
                        icon=":material/swap_horiz:",
                    )
    page.run()
    heap.freeze_once()  # after the first page: the full GC after each run skips the imports
