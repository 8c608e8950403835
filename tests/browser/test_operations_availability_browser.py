"""The Operations page's "Available to ask" list in Chromium, at desktop and phone widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import settle, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_the_slot_board_shows_who_is_free(
    browser: Browser, server: Server, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, server, "owner@example.com", path="/operations")
    settle(page)
    heading = page.get_by_text("Available to ask", exact=True)
    expect(heading).to_be_visible()
    heading.scroll_into_view_if_needed()
    expect(page.get_by_text("(crew)", exact=False).first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"operations-available-{width}.png"))
    context.close()
