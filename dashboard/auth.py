"""Sign-in through the core's server-side sessions: the browser's cookie holds a random token.

Every script run asks the core who the token belongs to (``session_user``), so a sign-out, a
"sign out everywhere", a role change or a removed user ends the session on the next run of
every tab. The token comes from this tab's session state (set by the sign-in form) or from the
cookie the browser sent with the page request (``st.context.cookies``: present on the first run
of a new tab, with no component round trip).
"""

from __future__ import annotations

import re

import streamlit as st

from core.auth.dashboard_sessions import (
    SESSION_TTL,
    revoke_session,
    session_user,
    sign_out_user,
    start_session,
)
from core.auth.dashboard_users import MIN_PASSWORD, UserScope
from core.auth.roles import may_open
from core.auth.sign_in import change_own_password, password_change_required, sign_in
from core.errors import DomainError, RateLimited, Unauthorized
from dashboard import core_calls

COOKIE_NAME = "exec_platform_session"
USER_KEY = "user_scope"
TOKEN_KEY = "_session_token"
COOKIE_PENDING = "_cookie_pending"  # ("set" | "delete", token): done by the next page drawn
PASSWORD_OK_KEY = "_password_ok_token"  # the token whose user was found not to need a change
ACCOUNT_MENU_KEY = "account_menu"  # the account popover's open state
NO_ACCESS = "You do not have access to this page."
_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_-]{20,100}$")  # token_urlsafe: safe inside the script


def _text(value: object) -> str:
    # AppTest's runtime is a mock: its cookies, headers and address are not strings
    return value if isinstance(value, str) else ""


def client_address() -> str:
    """The browser's address as Streamlit saw it; "" when unknown (loopback or hidden)."""
    return _text(st.context.ip_address)


def current_user() -> UserScope | None:
    """The signed-in user of a live session (role and scope read fresh), or None."""
    token = st.session_state.get(TOKEN_KEY) or _text(st.context.cookies.get(COOKIE_NAME))
    user = session_user(core_calls.ledger(), token) if token else None
    if user is None:
        dead = st.session_state.pop(TOKEN_KEY, None)
        if dead:  # ended elsewhere: drop the dead cookie too
            st.session_state[COOKIE_PENDING] = ("delete", dead)
        st.session_state.pop(USER_KEY, None)
        return None
    st.session_state[TOKEN_KEY] = token
    st.session_state[USER_KEY] = user
    return user


def must_change_password(user: UserScope) -> bool:
    """True while the user has to choose a new password before seeing any page.

    Read once per session token: the core raises the flag only when an owner sets the user's
    password, and that ends every session of the user (``set_password``), so a token that
    still passes ``current_user`` on this run never needed a change it did not need before.
    """
    token = st.session_state.get(TOKEN_KEY, "")
    if token and st.session_state.get(PASSWORD_OK_KEY) == token:
        return False
    required = password_change_required(core_calls.ledger(), user.email)
    if token and not required:
        st.session_state[PASSWORD_OK_KEY] = token
    return required


def write_cookie() -> None:
    """Set or delete the session cookie when a sign-in or sign-out asked for it.

    A few lines of JavaScript in the page itself (``st.html`` runs them in the document, not in
    an iframe), so no component round trip and no extra script run.
    """
    action, token = st.session_state.pop(COOKIE_PENDING, (None, ""))
    if not _TOKEN_CHARS.match(token):
        return
    if action == "set":
        value, max_age, only_if = token, int(SESSION_TTL.total_seconds()), ""
    elif action == "delete":  # only while it holds the ended token, not a newer sign-in's
        value, max_age, only_if = "", 0, token
    else:
        return
    st.html(
        "<script>(function(){var secure=location.protocol==='https:'?'; Secure':'';"
        f"var held=(document.cookie.match(/(?:^|; ){COOKIE_NAME}=([^;]*)/)||[])[1]||'';"
        f"if('{only_if}'&&held!=='{only_if}')return;"
        f"document.cookie='{COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; "
        "SameSite=Strict'+secure;})();</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def _begin_session(user: UserScope) -> None:
    """A new core session for this tab; the cookie is written by the page drawn next."""
    st.session_state[TOKEN_KEY] = start_session(
        core_calls.ledger(),
        user.email,
        client=client_address(),
        user_agent=_text(st.context.headers.get("User-Agent")),
    )
    st.session_state[COOKIE_PENDING] = ("set", st.session_state[TOKEN_KEY])


def _end_in_this_tab() -> None:
    """Forget everything of the signed-out user in this tab and delete the cookie."""
    token = st.session_state.get(TOKEN_KEY, "")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[COOKIE_PENDING] = ("delete", token)


def sign_in_page() -> None:
    """The sign-in form, under every page URL: the page asked for opens once it succeeds."""
    _, middle, _ = st.columns([1, 1.1, 1])
    with middle:
        st.space("large")
        st.markdown("## :material/sailing: Portfolio dashboard")
        st.caption("Sign in with the email and password your owner gave you.")
        with st.form("sign_in"):
            email = st.text_input("Email", autocomplete="username", placeholder="you@example.com")
            password = st.text_input("Password", type="password", autocomplete="current-password")
            submitted = st.form_submit_button("Sign in", type="primary", width="stretch")
        if submitted:
            try:
                user = sign_in(core_calls.ledger(), email, password, client=client_address())
            except (RateLimited, Unauthorized) as exc:
                st.error(exc.message, icon=":material/error:")
            else:
                _begin_session(user)
                st.rerun()  # the same URL, now signed in: the page asked for
        write_cookie()  # deletes the cookie after a sign-out


def _password_form(key: str, *, submit: str) -> tuple[str, str, str] | None:
    """Current, new and repeated password once submitted and the two new ones agree."""
    with st.form(key, clear_on_submit=False, border=False):
        current = st.text_input("Current password", type="password", key=f"{key}_current")
        new = st.text_input(
            "New password",
            type="password",
            key=f"{key}_new",
            help=f"At least {MIN_PASSWORD} characters.",
            autocomplete="new-password",
        )
        again = st.text_input(
            "New password again", type="password", key=f"{key}_again", autocomplete="new-password"
        )
        if not st.form_submit_button(submit, type="primary", width="stretch"):
            return None
    if new != again:
        st.error("The two new passwords differ.", icon=":material/error:")
        return None
    return current, new, again


def _change_password(user: UserScope, key: str, *, submit: str) -> bool:
    """Draw a change-password form; True once the core accepted a new password."""
    done_key = f"_{key}_done"  # part of the widget keys: the form starts empty after a change
    entered = _password_form(f"{key}_{st.session_state.get(done_key, 0)}", submit=submit)
    if entered is None:
        return False
    current, new, _ = entered
    try:
        change_own_password(
            core_calls.ledger(), user.email, current, new, keep_token=st.session_state[TOKEN_KEY]
        )
    except DomainError as exc:
        st.error(exc.message, icon=":material/error:")
        for problem in exc.problems:
            st.caption(f"• {problem.capitalize()}.")
        return False
    st.session_state[done_key] = st.session_state.get(done_key, 0) + 1
    return True


def forced_password_page() -> None:
    """The only page of a user who must replace the password they were given."""
    user: UserScope = st.session_state[USER_KEY]
    _, middle, _ = st.columns([1, 1.1, 1])
    with middle:
        st.space("large")
        st.markdown("## Choose a new password")
        st.caption(
            f"Signed in as **{user.email}**. The password you were given was shown in a "
            "terminal or sent to you: replace it before using the dashboard. Your other "
            "sign-ins end."
        )
        with st.container(border=True):
            if _change_password(user, "forced_password", submit="Save new password"):
                st.rerun()  # the same URL: the page asked for opens
        if st.button("Sign out", icon=":material/logout:", type="tertiary"):
            sign_out()
        write_cookie()


def account_menu(user: UserScope) -> None:
    """The sidebar's account block: who is signed in, change password, sign out (everywhere)."""
    with st.sidebar:
        st.markdown(f"**{user.name}**  \n{user.email} · {user.role}")
        # drawn only while open (opening it reruns the script): every other run of every page
        # skips the form's widgets
        with st.popover(
            "Account",
            icon=":material/account_circle:",
            width="stretch",
            key=ACCOUNT_MENU_KEY,
            on_change="rerun",
        ) as menu:
            if menu.open:
                _account_menu_body(user)
        if st.button("Sign out", icon=":material/logout:", width="stretch"):
            sign_out()


def _account_menu_body(user: UserScope) -> None:
    """Change password and sign out everywhere: the open account popover's content."""
    st.markdown("**Change password**")
    if _change_password(user, "own_password", submit="Change password"):
        st.success("Password changed. Your other sign-ins have ended.")
    st.divider()
    if st.button("Sign out everywhere", icon=":material/devices:", width="stretch"):
        sign_out_user(core_calls.ledger(), user, user.email)
        _end_in_this_tab()
        st.rerun()


def sign_out() -> None:
    """End this tab's session in the core, forget it here, and show the sign-in form."""
    revoke_session(core_calls.ledger(), st.session_state.get(TOKEN_KEY, ""))
    _end_in_this_tab()
    st.rerun()


def access_denied() -> None:
    """What a page outside the user's role shows: the access message and nothing else."""
    st.error(NO_ACCESS, icon=":material/lock:")


def require_page(page: str) -> UserScope:
    """The user, if their role may open ``page``; otherwise the access message and stop."""
    user: UserScope | None = st.session_state.get(USER_KEY)
    if user is None or not may_open(user.role, page):
        access_denied()
        st.stop()
    return user
