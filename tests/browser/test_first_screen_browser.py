"""The first screen of a report page: four headline tiles, then Needs attention, on any screen."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import previous_month, settle, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
HEADLINE = '[class*="st-key-tiles_ceo_revenue_revenue_gap_net_income_cash"]'


def _page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, PHONE)


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, LAPTOP)


def _ceo(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path=f"/ceo?entity=all&period={previous_month()}")
    expect(page.locator(HEADLINE)).to_be_visible(timeout=20_000)
    settle(page)


def _tiles(page: Page) -> list[dict[str, float]]:
    return [
        t.bounding_box()  # type: ignore[misc]
        for t in page.locator(HEADLINE).locator('[data-testid="stVerticalBlock"]').all()
        if t.locator('[data-testid="stMetric"]').count() == 1
        and t.locator('[data-testid="stVerticalBlock"]').count() == 0
    ]


def test_phone_first_screen_shows_four_tiles_and_needs_attention(phone: Page, server: Server):
    _ceo(phone, server)
    phone.evaluate("window.scrollTo(0, 0)")
    tiles = phone.locator(HEADLINE).locator('[data-testid="stMetric"]')
    expect(tiles).to_have_count(4)
    height = PHONE["height"]
    for i in range(4):
        box = tiles.nth(i).bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, (i, box)
    boxes = [tiles.nth(i).bounding_box() for i in range(4)]
    assert len({round(b["y"]) for b in boxes if b}) == 2, boxes  # two rows of two
    heading = phone.get_by_text("Needs attention", exact=True)
    box = heading.bounding_box()
    assert box is not None and box["y"] + box["height"] <= height, box
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "first-screen-ceo-phone.png"))


def _drawn_tiles(page: Page, count: int = 4, timeout_s: float = 20.0) -> list[dict[str, float]]:
    """The tiles once all of them are drawn (a rerun may still be filling the last ones)."""
    deadline = time.monotonic() + timeout_s
    tiles = _tiles(page)
    while len(tiles) != count and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        tiles = _tiles(page)
    return tiles


def test_laptop_tiles_in_one_row_of_equal_height(laptop: Page, server: Server):
    _ceo(laptop, server)
    tiles = _drawn_tiles(laptop)
    assert len(tiles) == 4, tiles
    assert len({round(t["y"]) for t in tiles}) == 1, tiles  # one row
    assert max(t["height"] for t in tiles) - min(t["height"] for t in tiles) < 1, tiles
    heading = laptop.get_by_text("Needs attention", exact=True).bounding_box()
    assert heading is not None and heading["y"] < LAPTOP["height"], heading


def test_uncategorized_item_opens_the_accounting_queue(laptop: Page, server: Server):
    _ceo(laptop, server)
    item = laptop.locator(".st-key-needs_attention a").filter(has_text="uncategorized lines")
    expect(item).to_have_count(1)
    item.click()
    laptop.wait_for_url("**/accounting?**", timeout=20_000)
    expect(laptop.get_by_role("heading", name="Accounting")).to_be_visible(timeout=20_000)
    queue = laptop.get_by_role("heading", name="Categorization queue")
    expect(queue).to_be_in_viewport(timeout=20_000)  # the link's anchor scrolled to the queue
    assert f"period={previous_month()}" in laptop.url


def test_off_target_item_opens_its_ledger_lines(laptop: Page, server: Server):
    _ceo(laptop, server)
    item = laptop.locator('.st-key-needs_attention a[href*="drill="]').first
    expect(item).to_be_visible()
    label = item.inner_text().split(" $")[0]  # "Net income $24,049 is off target ..."
    item.click()
    dialog = laptop.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=20_000)
    expect(dialog.get_by_text(label, exact=False).first).to_be_visible()
    settle(laptop)
    assert "drill=" not in laptop.url  # once: a reload does not open it again
