""" "Send as email" on every report page: recipients, the exact preview, a test, send."""

from __future__ import annotations

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from dashboard import data
from dashboard.flash import flash, show_flash


def _send(name: str, entity: str, period: int, to: list[str], user: UserScope) -> None:
    try:
        log = data.send_report_email(name, entity=entity, period=period, to=to, user=user)
    except DomainError as exc:
        st.error(str(exc))
        return
    if log.status == "sent":
        flash(f"Sent to {log.recipients.replace(',', ', ')}", ":material/check_circle:")
    else:
        flash(f"Not sent: {log.error}", ":material/error:")
    st.rerun()


@st.dialog("Send as email", width="large")
def _dialog(name: str, entity: str, period: int, user: UserScope) -> None:
    to = st.text_input(
        "Recipients", value=data.default_recipients(user), help="Separate addresses with commas."
    )
    try:
        email = data.email_preview(name, entity=entity, period=period, allowed=user.entities)
    except DomainError as exc:
        st.error(str(exc))
        return
    st.caption(f"Subject: **{email.subject}** · this preview is exactly what will be sent")
    with st.container(height=520, border=True):
        st.html(email.preview_html())
    test, send = st.columns(2)
    if test.button("Send a test to me", icon=":material/outgoing_mail:", width="stretch"):
        _send(name, entity, period, [user.email], user)
    if send.button("Send", type="primary", icon=":material/send:", width="stretch"):
        _send(name, entity, period, [to], user)


def email_button(name: str, *, entity: str, period: int, user: UserScope) -> None:
    """The button that opens the dialog, and the outcome of the last send as a toast."""
    show_flash()
    if st.button("Send as email", icon=":material/mail:", key=f"email-{name}"):
        _dialog(name, entity, period, user)
