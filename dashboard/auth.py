"""streamlit-authenticator wiring: sign-in, sign-out, and the per-page access check."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from core.auth.dashboard_users import UserScope, authenticator_credentials, get_user
from core.auth.local_secrets import read_or_create_secret
from core.auth.roles import may_open
from core.config import get_settings
from core.errors import NotFound
from dashboard import data

COOKIE_NAME = "exec_platform_session"
USER_KEY = "user_scope"
COOKIE_PENDING = "_set_auth_cookie"
SIGNED_IN_AT = "_signed_in_at"  # monotonic time of the last successful sign-in
FIELDS = {"Form name": "Sign in", "Username": "Email", "Password": "Password", "Login": "Sign in"}


@st.cache_resource
def _cookie_key() -> str:
    return read_or_create_secret(get_settings().exec_data_dir / ".cookie_key")


def _authenticator() -> Any:  # the library is untyped
    import streamlit_authenticator as stauth

    if "_authenticator" not in st.session_state:
        st.session_state["_authenticator"] = stauth.Authenticate(
            authenticator_credentials(data.ledger()),
            cookie_name=COOKIE_NAME,
            cookie_key=_cookie_key(),
            cookie_expiry_days=1,
            auto_hash=False,
            login_sleep_time=0.2,
        )
    return st.session_state["_authenticator"]


def current_user() -> UserScope | None:
    """The signed-in user with role and scope re-read from the database, or None."""
    authenticator = _authenticator()
    authenticator.login(location="unrendered")
    email = (
        st.session_state.get("username") if st.session_state.get("authentication_status") else None
    )
    if not email:
        st.session_state.pop(USER_KEY, None)
        return None
    try:
        user = get_user(data.ledger(), email)
    except NotFound:  # deleted since sign-in
        authenticator.logout(location="unrendered")
        st.session_state.pop(USER_KEY, None)
        return None
    if USER_KEY not in st.session_state:  # signed in this run (form or stay-signed-in cookie)
        st.session_state[SIGNED_IN_AT] = time.monotonic()
    st.session_state[USER_KEY] = user
    return user


def finish_sign_in() -> None:
    """Write the stay-signed-in cookie once, after any deep-link redirect: the cookie
    component reruns the page it was rendered on, so it must render on the final page."""
    if st.session_state.pop(COOKIE_PENDING, False):
        _authenticator().cookie_controller.set_cookie()


def sign_in_page() -> None:
    """The sign-in form; reruns into the app once the password is accepted."""
    _, middle, _ = st.columns([1, 1.2, 1])
    with middle:
        st.markdown("## Portfolio dashboard")
        st.caption("Sign in with the email and password your owner gave you.")
        _authenticator().login(location="main", fields=FIELDS, key="sign_in")
        status = st.session_state.get("authentication_status")
        if status:
            # the cookie is written on the next run: this run ends before its component renders
            st.session_state[COOKIE_PENDING] = True
            st.session_state[SIGNED_IN_AT] = time.monotonic()
            st.rerun()
        elif status is False:
            st.error("Email or password is incorrect.")


def sign_out_button() -> None:
    """A sidebar sign-out button."""
    if st.sidebar.button("Sign out", icon=":material/logout:", width="stretch"):
        _authenticator().logout(location="unrendered")
        st.session_state.pop(USER_KEY, None)
        st.session_state.pop("_authenticator", None)
        st.rerun()


def require_page(page: str) -> UserScope:
    """The user, if their role may open ``page``; otherwise an access message and stop."""
    user: UserScope | None = st.session_state.get(USER_KEY)
    if user is None or not may_open(user.role, page):
        st.error("You do not have access to this page.", icon=":material/lock:")
        st.stop()
    return user
