"""The CMO page in headless Chromium: the core's numbers, drawn charts, desktop and phone."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PASSWORD, SHOTS, Server
from tests.browser.test_dashboard_browser import money, settle, shown_month, tile

pytestmark = pytest.mark.browser
# set CMO_SHOTS_TALL=DIR to also save tall screenshots of the whole page for review
TALL = os.environ.get("CMO_SHOTS_TALL")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def open_cmo(page: Page, server: Server) -> None:
    """Sign in as the owner on /cmo; on a loaded machine the first page shown may be another."""
    page.goto(server.url + "/cmo")
    settle(page)
    page.get_by_role("textbox", name="Email").fill("owner@example.com")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile(r" report$"))).to_be_visible(timeout=30_000)
    settle(page)
    heading = page.get_by_role("heading", name="CMO report")
    if not heading.is_visible():
        page.get_by_role("link", name="CMO").click()
    expect(heading).to_be_visible(timeout=30_000)
    settle(page)


def test_cmo_page_desktop_and_phone(page: Page, server: Server) -> None:
    open_cmo(page, server)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    data = json.loads(
        server.cli(
            "report", "cmo", "--entity", "all", "--period", shown_month(), "--format", "json"
        )
    )
    kpis = {k["id"]: k for k in data["kpis"]}
    assert tile(page, "Channel revenue") == money(kpis["channel_revenue"]["value"])
    assert tile(page, "OTA commission") == money(kpis["ota_commission"]["value"])
    assert tile(page, "Bookings") == f"{kpis['bookings']['value']:,.0f}"
    assert tile(page, "Direct share") == f"{kpis['direct_share']['value']:.1f}%"
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(4)
    expect(page.get_by_text("How candidates are ranked")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "cmo-desktop.png"))
    if TALL:
        page.set_viewport_size({"width": 1440, "height": 5200})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(Path(TALL) / "cmo-desktop-tall.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "cmo-phone.png"))
    if TALL:
        page.set_viewport_size({"width": 390, "height": 9000})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(Path(TALL) / "cmo-phone-tall.png"))
