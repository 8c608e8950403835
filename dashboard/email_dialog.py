""" "Send as email" on every report page: recipients, the exact preview, a test, send."""

from __future__ import annotations

import streamlit as st

from core.errors import DomainError
from core.reports.request import ReportRequest
from dashboard import core_calls
from dashboard.flash import flash, show_flash


def _send(request: ReportRequest, to: list[str]) -> None:
    try:
        log = core_calls.send_report_email(request, to=to)
    except DomainError as exc:
        st.error(str(exc))
        return
    if log.status == "sent":
        flash(f"Sent to {log.recipients.replace(',', ', ')}", ":material/check_circle:")
    else:
        flash(f"Not sent: {log.error}", ":material/error:")
    st.rerun()


@st.dialog("Send as email", width="large")
def _dialog(request: ReportRequest) -> None:
    user = request.reader
    to = st.text_input(
        "Recipients",
        value=core_calls.default_recipients(user),
        help="Separate addresses with commas.",
    )
    try:
        email = core_calls.email_preview(request)
    except DomainError as exc:
        st.error(str(exc))
        return
    st.caption(f"Subject: **{email.subject}** · this preview is exactly what will be sent")
    with st.container(height=520, border=True):
        st.html(email.preview_html())
    test, send = st.columns(2)
    if test.button("Send a test to me", icon=":material/outgoing_mail:", width="stretch"):
        _send(request, [user.email])
    if send.button("Send", type="primary", icon=":material/send:", width="stretch"):
        _send(request, [to])


def email_button(request: ReportRequest) -> None:
    """The button that opens the dialog, and the outcome of the last send as a toast."""
    show_flash()
    if st.button("Send as email", icon=":material/mail:", key=f"email-{request.report}"):
        _dialog(request)
