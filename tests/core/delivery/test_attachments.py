"""Report emails with their PDF and spreadsheet attached, through the outbox and SES."""

from __future__ import annotations

import email
import email.policy
import io
from email.message import EmailMessage
from typing import Any

import pytest
from pypdf import PdfReader

from core.auth.dashboard_users import OPERATOR
from core.config import Settings
from core.delivery.attachments import KINDS, parse_attach
from core.delivery.reports import send_report
from core.delivery.senders import OutboxSender, SesSender
from core.errors import Invalid
from core.ledger.store import LedgerStore
from core.reports.request import ReportRequest
from tests.core.delivery.conftest import SENDER, sent_raw

REQUEST = dict(reader=OPERATOR, report="cfo", entity="all", period=202610)


def _eml(settings: Settings) -> EmailMessage:
    [path] = sorted(settings.outbox_dir.glob("*.eml"))
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[return-value]


def _files(msg: EmailMessage) -> dict[str, tuple[str, bytes]]:
    return {
        part.get_filename(): (part.get_content_type(), part.get_content())
        for part in msg.iter_attachments()
        if part.get_content_disposition() == "attachment"
    }


def test_parse_attach_orders_and_refuses_unknown_kinds() -> None:
    assert parse_attach(["xlsx,PDF"]) == ("pdf", "xlsx")
    assert parse_attach("") == () and parse_attach(None) == ()
    with pytest.raises(Invalid) as info:
        parse_attach(["pdf,doc", "zip"])
    assert info.value.problems == [
        "'doc' is not one of: pdf, xlsx",
        "'zip' is not one of: pdf, xlsx",
    ]


def test_outbox_mail_carries_pdf_and_xlsx(ledger: LedgerStore, settings: Settings) -> None:
    log = send_report(
        ledger,
        OutboxSender(settings.outbox_dir),
        settings,
        ReportRequest(**REQUEST),  # type: ignore[arg-type]
        to=["boss@example.com"],
        attach=("pdf", "xlsx"),
    )
    assert log.status == "sent"
    msg = _eml(settings)
    files = _files(msg)
    assert set(files) == {"cfo-all-2026-10.pdf", "cfo-all-2026-10.xlsx"}
    kind, pdf = files["cfo-all-2026-10.pdf"]
    assert kind == KINDS["pdf"] and PdfReader(io.BytesIO(pdf)).pages
    assert files["cfo-all-2026-10.xlsx"][0] == KINDS["xlsx"]
    assert msg.get_body(("html",)) is not None  # the email itself is still there


def test_no_attachments_unless_asked(ledger: LedgerStore, settings: Settings) -> None:
    send_report(
        ledger,
        OutboxSender(settings.outbox_dir),
        settings,
        ReportRequest(**REQUEST),  # type: ignore[arg-type]
        to=["boss@example.com"],
    )
    assert _files(_eml(settings)) == {}


def test_bad_attachment_kind_sends_nothing(ledger: LedgerStore, settings: Settings) -> None:
    with pytest.raises(Invalid):
        send_report(
            ledger,
            OutboxSender(settings.outbox_dir),
            settings,
            ReportRequest(**REQUEST),  # type: ignore[arg-type]
            to=["boss@example.com"],
            attach=("docx",),
        )
    assert not settings.outbox_dir.exists() or not list(settings.outbox_dir.glob("*.eml"))


def test_ses_raw_message_has_the_attachments(
    ledger: LedgerStore, settings: Settings, ses: Any, moto_endpoint: str
) -> None:
    ses_settings = Settings.from_env(
        {"EXEC_DATA_DIR": str(settings.exec_data_dir), "SES_FROM_ADDRESS": SENDER}
    )
    log = send_report(
        ledger,
        SesSender(client=ses),
        ses_settings,
        ReportRequest(**REQUEST),  # type: ignore[arg-type]
        to=["boss@example.com"],
        attach=("pdf",),
    )
    assert log.status == "sent", log.error
    [raw] = sent_raw(moto_endpoint)
    msg = email.message_from_string(raw["raw_data"], policy=email.policy.default)
    assert list(_files(msg)) == ["cfo-all-2026-10.pdf"]  # type: ignore[arg-type]
