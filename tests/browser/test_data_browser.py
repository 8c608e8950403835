"""/data in headless Chromium: sync Stripe with its progress bar, upload a statement, phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import settle, sign_in

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "bank_sample.csv"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    yield context.new_page()
    context.close()


def open_data(page: Page, server: Server) -> None:
    """Sign in as the owner and open Data (under the sidebar's "View more")."""
    sign_in(page, server, "owner@example.com", path="/data")
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible(timeout=15_000)
    settle(page)


def test_sync_stripe_and_import_a_statement(page: Page, server: Server) -> None:
    open_data(page, server)
    for label in ("Stripe", "AWS Cost Explorer", "Git history", "Secret scan"):
        expect(page.get_by_text(label, exact=True).first).to_be_visible()
    page.get_by_role("button", name="Sync now").first.click()  # Stripe is listed first
    expect(page.get_by_text("Stripe: 12 new entries from 12 Stripe transactions")).to_be_visible(
        timeout=30_000
    )
    settle(page)
    expect(page.get_by_text("12 items").first).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "data-desktop.png"), full_page=True)

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(SAMPLE))
    page.wait_for_timeout(800)
    settle(page)
    expect(page.get_by_text("Choose the business this statement belongs to")).to_be_visible()
    page.get_by_role("combobox", name="Business this statement belongs to").click()
    page.get_by_role("option", name="JADA (sailing yacht)", exact=True).click()
    settle(page)
    expect(page.get_by_role("button", name=re.compile(r"^Import \d+ rows$"))).to_be_visible(
        timeout=15_000
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1200)
    page.screenshot(path=str(SHOTS / "data-phone.png"), full_page=True)


def test_a_cfo_scoped_to_one_business_syncs_only_it(page: Page, server: Server) -> None:
    sign_in(page, server, "dump@example.com", path="/data")
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible(timeout=15_000)
    settle(page)
    entity = page.locator('[data-testid="stMain"]').get_by_role("combobox", name="Business to sync")
    entity.click()
    expect(page.get_by_role("option")).to_have_count(1)
    expect(page.get_by_role("option", name="QuickDumpNow")).to_be_visible()
