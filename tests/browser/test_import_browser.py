"""/data's statement import in headless Chromium: a Bank of America file with its summary block
into a business picked by hand, the preview, the import, then undo from the recent runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import settle
from tests.browser.test_data_browser import open_data

pytestmark = pytest.mark.browser
BOFA = Path(__file__).resolve().parents[1] / "fixtures" / "bofa_checking.csv"
BUSINESS = "QueenofSanDiego"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_import_a_bank_of_america_file_then_undo_it(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 1440, "height": 1400})  # every sidebar link shown
    open_data(page, server)
    page.set_viewport_size({"width": 1440, "height": 900})
    settle(page)
    picker = page.get_by_role("combobox", name="Business this statement belongs to")
    picker.click()
    picker.fill("Queen")  # a searchable list: typing opens it
    page.get_by_role("option", name="Queen of San Diego Charters", exact=True).click()
    settle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(BOFA))
    page.wait_for_timeout(800)
    settle(page)
    preview = page.locator('[data-testid="stDataFrame"]').filter(has_text="Goes to")
    expect(preview).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Skipped 5 lines before the header row (rows 1–5)")).to_be_visible()
    expect(page.get_by_text("Skipped 1 line with a balance and no amount")).to_be_visible()
    expect(page.get_by_text("6 transactions")).to_be_visible()
    preview.scroll_into_view_if_needed()
    _shoot(page, "import-preview-desktop.png")

    page.get_by_role("button", name="Import 6 rows").click()
    settle(page)
    expect(page.get_by_text("Imported 6 rows into Queen of San Diego Charters")).to_be_visible(
        timeout=15_000
    )
    run = page.locator('[class*="st-key-import_run_"]').filter(has_text="bofa_checking.csv").first
    expect(run).to_contain_text("owner@example.com")
    expect(run).to_contain_text("imported")
    run.scroll_into_view_if_needed()
    _shoot(page, "import-runs-desktop.png")

    run.get_by_role("button", name="Undo this import").click()
    settle(page)
    expect(run).to_contain_text("Its 6 entries leave the ledger")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1200)
    run.scroll_into_view_if_needed()
    _shoot(page, "import-undo-phone.png")
    run.get_by_role("button", name="Yes, undo it").click()
    settle(page)
    expect(run).to_contain_text("6 entries removed", timeout=15_000)
    expect(run).to_contain_text(re.compile(r"undone .* by owner@example\.com"))
    expect(run.get_by_role("button", name="Undo this import")).to_have_count(0)
    runs = server.cli("import-runs", "list", "--entity", BUSINESS)
    assert "bofa_checking.csv" in runs and "undone" in runs
