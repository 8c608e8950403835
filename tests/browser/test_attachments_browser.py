"""Download PDF on a report page, and Send as email with the PDF and spreadsheet attached."""

from __future__ import annotations

import email
import email.policy
import io
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import settle, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def test_download_pdf_from_the_cfo_page(laptop: Page, server: Server) -> None:
    sign_in(laptop, server, "owner@example.com", path="/cfo?entity=JADA")
    settle(laptop)
    button = laptop.get_by_role("button", name="Download PDF")
    expect(button).to_be_visible(timeout=20_000)
    SHOTS.mkdir(exist_ok=True)
    laptop.screenshot(path=str(SHOTS / "cfo-download-pdf.png"))
    with laptop.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith(
        "cfo-JADA-"
    ) and download.suggested_filename.endswith(".pdf")
    data = open(download.path(), "rb").read()  # noqa: SIM115
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "CFO REPORT" in text and "JADA" in text


def test_send_as_email_with_attachments(laptop: Page, server: Server) -> None:
    sign_in(laptop, server, "owner@example.com", path="/cfo?entity=JADA")
    laptop.get_by_role("button", name="Send as email").click()
    dialog = laptop.get_by_role("dialog")
    expect(dialog.get_by_text("this preview is exactly what will be sent")).to_be_visible(
        timeout=30_000
    )
    dialog.get_by_text("Attach PDF").click()
    dialog.get_by_text("Attach spreadsheet (XLSX)").click()
    dialog.get_by_role("textbox", name="Recipients").fill("files@example.com")
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(laptop.get_by_text("Sent to files@example.com")).to_be_visible(timeout=60_000)
    outbox = server.data_dir / "outbox"
    names = []
    for path in outbox.glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if "files@example.com" in str(msg["To"]):
            names = sorted(p.get_filename() for p in msg.iter_attachments() if p.get_filename())  # type: ignore[attr-defined]
    assert [n.rsplit(".", 1)[1] for n in names] == ["pdf", "xlsx"], names
