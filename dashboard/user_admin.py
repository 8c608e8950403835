"""The /users page: the owner lists, adds, changes and removes dashboard users.

Every change goes through the core with the signed-in user as the actor; the core decides who
may do it and what is valid, and this page shows its answer. Forms keep what was typed when the
core refuses it; a form starts empty again only after a change went through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from core.auth.dashboard_sessions import SessionInfo, sign_out_user, user_sessions
from core.auth.dashboard_users import (
    MIN_PASSWORD,
    UserScope,
    create_user,
    list_users,
    remove_user,
    set_password,
    set_role,
)
from core.auth.roles import DASHBOARD_ROLES
from core.errors import DomainError
from core.ledger.models import DashboardUser
from dashboard import core_calls
from dashboard.flash import flash, show_flash

ALL = "all"
ROLE_HELP = {
    "owner": "everything, and manages users",
    "ceo": "CEO and the business pages",
    "cfo": "finance pages, reports and data",
    "cto": "the CTO page",
    "cmo": "the CMO page",
    "accountant": "accounting, finance pages and data",
}


def _round(name: str) -> int:
    """How many times form ``name`` went through: part of its widget keys, so it starts empty."""
    return int(st.session_state.get(f"_users_round_{name}", 0))


def _done(name: str, message: str) -> None:
    st.session_state[f"_users_round_{name}"] = _round(name) + 1
    flash(message, ":material/check_circle:")
    st.rerun()


def _sentence(text: str) -> str:
    """The core's message as a sentence (an email at the start keeps its case)."""
    first = text.split(" ", 1)[0]
    return text if "@" in first else text[:1].upper() + text[1:]


def _attempt(action: Callable[[], object]) -> bool:
    """Run a core call; on a refusal show its message and problems and return False."""
    try:
        action()
    except DomainError as exc:
        st.error(_sentence(exc.message), icon=":material/error:")
        for problem in exc.problems:
            st.caption(f"• {_sentence(problem)}")
        return False
    return True


def _scope_text(entities: str, names: dict[str, str]) -> str:
    if entities == ALL:
        return "All entities"
    return ", ".join(names.get(e, e) for e in entities.split(","))


def _when(moment: datetime, now: datetime) -> str:
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return moment.strftime("%Y-%m-%d")


def _entities_input(label: str, key: str, names: dict[str, str], current: str = ALL) -> str:
    """A multiselect of entities with "All entities" first; "" when nothing is chosen."""
    options = [ALL, *names]
    default = [ALL] if current == ALL else [e for e in current.split(",") if e in names]
    chosen = st.multiselect(
        label,
        options,
        default=default,
        format_func=lambda e: "All entities" if e == ALL else names[e],
        key=key,
        help="The entities this user sees. All entities includes ones added later.",
    )
    if ALL in chosen:
        return ALL
    return ",".join(chosen)


def _users_table(
    rows: list[DashboardUser], sessions: dict[str, list[SessionInfo]], names: dict[str, str]
) -> None:
    now = datetime.now(UTC)
    frame = pd.DataFrame(
        [
            {
                "Email": u.email,
                "Name": u.name,
                "Role": u.role,
                "Sees": _scope_text(u.entities, names),
                "Live sessions": sum(1 for s in sessions[u.email] if s.state(now) == "live"),
                "Last active": max(
                    (_when(s.last_seen_at, now) for s in sessions[u.email][:1]), default="never"
                ),
            }
            for u in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _add_form(actor: UserScope, names: dict[str, str]) -> None:
    n = _round("add")
    with st.form(f"add_user_{n}", border=False):
        left, right = st.columns(2)
        email = left.text_input("Email", key=f"add_email_{n}", placeholder="name@example.com")
        name = right.text_input("Name", key=f"add_name_{n}", placeholder="Shown in the sidebar")
        role = left.selectbox(
            "Role",
            DASHBOARD_ROLES,
            index=DASHBOARD_ROLES.index("cfo"),
            format_func=lambda r: f"{r} · {ROLE_HELP.get(r, '')}",
            key=f"add_role_{n}",
        )
        with right:
            entities = _entities_input("Entities", f"add_entities_{n}", names)
        password = left.text_input(
            "First password",
            type="password",
            key=f"add_password_{n}",
            help=f"At least {MIN_PASSWORD} characters. Give it to them in person or by phone.",
            autocomplete="new-password",
        )
        must_change = right.checkbox(
            "Must choose their own password at first sign-in", value=True, key=f"add_must_{n}"
        )
        submitted = st.form_submit_button("Add user", type="primary", icon=":material/person_add:")
    if not submitted:
        return
    if not entities:
        st.error("Choose the entities this user sees, or All entities.", icon=":material/error:")
        return
    if _attempt(
        lambda: create_user(
            core_calls.ledger(),
            actor,
            email=email,
            role=role,
            password=password,
            entities=entities,
            name=name,
            must_change=must_change,
        )
    ):
        _done("add", f"Added {email.strip().lower()} ({role})")


def _role_form(actor: UserScope, user: DashboardUser, names: dict[str, str]) -> None:
    n = _round("role")
    email = user.email
    with st.form(f"role_{email}_{n}", border=False):
        left, right = st.columns(2)
        role = left.selectbox(
            "Role",
            DASHBOARD_ROLES,
            index=DASHBOARD_ROLES.index(user.role),
            key=f"role_role_{email}_{n}",
        )
        with right:
            entities = _entities_input(
                "Entities",
                f"role_entities_{email}_{n}",
                names,
                user.entities,
            )
        st.caption("A change signs the user out everywhere; they sign in again to see it.")
        submitted = st.form_submit_button("Save role and entities", icon=":material/save:")
    if not submitted:
        return
    if not entities:
        st.error("Choose the entities this user sees, or All entities.", icon=":material/error:")
        return
    if _attempt(lambda: set_role(core_calls.ledger(), actor, email, role=role, entities=entities)):
        _done("role", f"{email} is now {role}, seeing {_scope_text(entities, names).lower()}")


def _password_form(actor: UserScope, email: str) -> None:
    n = _round("password")
    with st.form(f"password_{email}_{n}", border=False):
        password = st.text_input(
            "New password",
            type="password",
            key=f"reset_password_{email}_{n}",
            help=f"At least {MIN_PASSWORD} characters.",
            autocomplete="new-password",
        )
        must_change = st.checkbox(
            "Must choose their own password at next sign-in",
            value=True,
            key=f"reset_must_{email}_{n}",
        )
        submitted = st.form_submit_button("Reset password", icon=":material/key:")
    if submitted and _attempt(
        lambda: set_password(core_calls.ledger(), actor, email, password, must_change=must_change)
    ):
        _done("password", f"New password set for {email}; their sessions ended")


def _sessions(actor: UserScope, email: str, sessions: list[SessionInfo]) -> None:
    now = datetime.now(UTC)
    if not sessions:
        st.caption("No sign-ins yet.")
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Session": s.id,
                        "State": s.state(now),
                        "Signed in": s.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                        "Last active": _when(s.last_seen_at, now),
                        "From": s.client or "—",
                        "Browser": s.user_agent[:60] or "—",
                    }
                    for s in sessions
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    live = sum(1 for s in sessions if s.state(now) == "live")
    if st.button(
        f"Sign out everywhere ({live} live)",
        icon=":material/logout:",
        disabled=live == 0,
        key=f"revoke_{email}",
    ):
        ended: list[int] = []
        if _attempt(lambda: ended.append(sign_out_user(core_calls.ledger(), actor, email))):
            _done("sessions", f"Ended {ended[0]} session(s) of {email}")


def _remove(actor: UserScope, email: str) -> None:
    sure = st.checkbox(f"Yes, remove {email}", key=f"remove_sure_{email}")
    if st.button(
        "Remove user", icon=":material/person_remove:", disabled=not sure, key=f"remove_{email}"
    ) and _attempt(lambda: remove_user(core_calls.ledger(), actor, email)):
        st.session_state.pop("users_chosen", None)
        _done("remove", f"Removed {email}")


def show(actor: UserScope) -> None:
    """The whole page for the signed-in owner ``actor``."""
    st.title("Users")
    st.caption(
        "Who may sign in to the dashboard, what they see, and where they are signed in. "
        "Changing a role, entities or password ends that user's sessions."
    )
    show_flash()
    store = core_calls.ledger()
    names = dict(core_calls.entities(None))
    rows = list_users(store)
    sessions = {u.email: user_sessions(store, actor, u.email) for u in rows}
    _users_table(rows, sessions, names)

    with st.expander("Add a user", icon=":material/person_add:"):
        _add_form(actor, names)

    st.subheader("Change a user", divider="gray")
    emails = [u.email for u in rows]
    email = st.selectbox(
        "User",
        emails,
        key="users_chosen",
        format_func=lambda e: next(
            f"{u.name} · {u.email} ({u.role})" for u in rows if u.email == e
        ),
    )
    user = next(u for u in rows if u.email == email)
    role_tab, password_tab, sessions_tab, remove_tab = st.tabs(
        ["Role and entities", "Password", "Sessions", "Remove"]
    )
    with role_tab:
        _role_form(actor, user, names)
    with password_tab:
        _password_form(actor, email)
    with sessions_tab:
        _sessions(actor, email, sessions[email])
    with remove_tab:
        _remove(actor, email)
