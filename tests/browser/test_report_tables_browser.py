"""A report page in Chromium: a table's CSV is written when Download is clicked (not on every
run), and each KPI tile's note sits under its status badge on a laptop and is hidden on a
phone."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import previous_month, settle, sign_in

pytestmark = pytest.mark.browser
TILES = '[class*="st-key-tiles_"]'


def _page(browser: Browser, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, 1440, 900)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, 390, 844)


def _cfo(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path=f"/cfo?entity=all&period={previous_month()}")
    expect(page.locator(TILES).first).to_be_visible(timeout=20_000)
    settle(page)


def test_a_table_downloads_its_csv_when_clicked(laptop: Page, server: Server) -> None:
    _cfo(laptop, server)
    button = laptop.get_by_role("button", name="Download CSV").first
    button.scroll_into_view_if_needed()
    with laptop.expect_download(timeout=20_000) as caught:
        button.click()
    download = caught.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), rows[:3]


def test_a_tile_note_under_its_badge_on_a_laptop_and_hidden_on_a_phone(
    laptop: Page, phone: Page, server: Server
) -> None:
    _cfo(laptop, server)
    tile = laptop.locator(TILES).first.locator('[data-testid="stVerticalBlock"]').first
    badge = tile.locator('[data-testid="stMarkdownContainer"] span').filter(has_text="target")
    note = tile.locator(".tile-note")
    expect(note.first).to_be_visible()
    assert "vs last year" in note.first.inner_text() or "Target" in note.first.inner_text()
    badge_box, note_box = badge.first.bounding_box(), note.first.bounding_box()
    assert badge_box and note_box and note_box["y"] >= badge_box["y"] + badge_box["height"] - 1
    SHOTS.mkdir(exist_ok=True)
    laptop.screenshot(path=str(SHOTS / "tiles-laptop.png"))
    _cfo(phone, server)
    phone_tile = phone.locator(TILES).first
    expect(phone_tile.locator('[data-testid="stMetric"]').first).to_be_visible()
    expect(phone_tile.get_by_text("target", exact=False).first).to_be_visible()  # the badge
    expect(phone_tile.locator(".tile-note").first).to_be_hidden()
    phone.screenshot(path=str(SHOTS / "tiles-phone.png"))
