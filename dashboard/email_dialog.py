""" "Send as email" on every report page: recipients, the exact preview, a test, send."""

from __future__ import annotations

import streamlit as st

from core.errors import DomainError
from core.reports.model import Report
from core.reports.request import ReportRequest
from dashboard import core_calls, delivery_calls
from dashboard.flash import flash, show_flash


def _send(request: ReportRequest, to: list[str], attach: tuple[str, ...]) -> None:
    try:
        log = delivery_calls.send_with_files(request, to=to, attach=attach)
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
    with st.container(horizontal=True):
        pdf = st.checkbox("Attach PDF", key=f"attach-pdf-{request.report}")
        xlsx = st.checkbox("Attach spreadsheet (XLSX)", key=f"attach-xlsx-{request.report}")
    attach = tuple(kind for kind, on in (("pdf", pdf), ("xlsx", xlsx)) if on)
    with st.container(height=520, border=True):
        st.html(email.preview_html())
    test, send = st.columns(2)
    if test.button("Send a test to me", icon=":material/outgoing_mail:", width="stretch"):
        _send(request, [user.email], attach)
    if send.button("Send", type="primary", icon=":material/send:", width="stretch"):
        _send(request, [to], attach)


def email_button(request: ReportRequest) -> None:
    """The button that opens the dialog, and the outcome of the last send as a toast."""
    show_flash()
    if st.button("Send as email", icon=":material/mail:", key=f"email-{request.report}"):
        _dialog(request)


def pdf_button(report: Report) -> None:
    """Download PDF: the same file the email attaches, drawn only when pressed."""
    name, draw = delivery_calls.pdf_download(report)
    st.download_button(
        "Download PDF",
        data=draw,
        file_name=name,
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",  # no rerun: the page stays as it is
        key=f"pdf-{report.report}",
    )
