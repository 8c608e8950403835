"""KPI tiles at 1440 px: every report's labels show whole (no ellipsis), screenshots kept."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import settle, sign_in

pytestmark = pytest.mark.browser
# sidebar link -> url path of every report page (CONTRACT section 5)
REPORT_PAGES = {
    "CEO": "ceo",
    "CFO": "cfo",
    "Accounting": "accounting",
    "CMO": "cmo",
    "CTO": "cto",
    "Rental": "rental",
    "Yacht delivery": "yacht-delivery",
    "Client billing": "client-billing",
}
# the text of every metric part whose text is wider than its box (Streamlit ends it in "…")
CUT = """(part) => [...document.querySelectorAll(`[data-testid="${part}"]`)]
  .filter(el => [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth))
  .map(el => el.innerText.trim())"""


@pytest.fixture
def wide(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 2400})
    yield context.new_page()
    context.close()


def test_no_kpi_label_is_cut_off_at_1440px(wide: Page, server: Server) -> None:
    """Labels (with "(YTD)" in the year-to-date view) and change descriptions show whole."""
    sign_in(wide, server, "owner@example.com", path="/cfo")
    SHOTS.mkdir(exist_ok=True)
    cut: dict[str, list[str]] = {}
    for compare in ("Previous month", "Year to date vs last year"):
        wide.get_by_text(compare, exact=True).click()
        settle(wide)
        for link, path in REPORT_PAGES.items():
            wide.get_by_role("link", name=link, exact=True).click()
            # the owner's home page (CEO) is served at "/"
            home = "/" if path == "ceo" else f"/{path}"
            wide.wait_for_url(lambda url, want=(home, f"/{path}"): urlsplit(url).path in want)
            settle(wide)
            labels = wide.locator('[data-testid="stMetricLabel"]')
            expect(labels.first).to_be_visible(timeout=30_000)
            wide.wait_for_timeout(500)  # fonts and column widths settle
            if compare == "Previous month" and path in ("cfo", "yacht-delivery"):
                wide.screenshot(path=str(SHOTS / f"{path}-1440.png"))
            for part in ("stMetricLabel", "stMetricDeltaDescription"):
                if found := wide.evaluate(CUT, part):
                    cut[f"{compare}: /{path} {part}"] = found
    assert cut == {}
