"""In Chromium: /data's sources (not set up -> steps, no button; Test without syncing) and a
report page on an empty ledger showing the setup checklist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import settle, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    yield context.new_page()
    context.close()


def test_sources_say_what_to_set_and_test_stripe(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/data")
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible(timeout=15_000)
    aws = page.locator(".st-key-source_aws-costs")
    expect(aws.get_by_text("Not set up.")).to_be_visible()
    expect(aws.get_by_text("AWS_ACCESS_KEY_ID").first).to_be_visible()
    expect(aws.get_by_role("button", name="Sync now")).to_be_disabled()
    expect(aws.get_by_role("button", name="Test")).to_be_disabled()
    stripe = page.locator(".st-key-source_stripe")
    stripe.get_by_role("button", name="Test").click()
    settle(page)
    expect(stripe.get_by_text("Stripe: connected")).to_be_visible(timeout=15_000)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "data-sources.png"), full_page=True)


def test_a_report_page_on_an_empty_ledger_shows_the_checklist(
    page: Page, first_run: Server
) -> None:
    sign_in(page, first_run, "owner@example.com", path="/cfo")
    expect(page.get_by_text("Set up your books")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("the ledger has no entity you may see")).to_have_count(0)
    expect(page.get_by_role("link", name="Open Businesses")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "empty-ledger-cfo.png"), full_page=True)
