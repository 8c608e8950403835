"""/close in Chromium: the owner sees the grid, locks a month with a reason, finds it in the
audit log, and unlocks it; a scoped CFO sees only their business and cannot unlock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import SHOTS, Server, demo_server_of_its_own
from tests.browser.test_sessions_browser import fill_sign_in, settle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    """The demo portfolio (8 months), an owner and a CFO scoped to QuickDumpNow."""
    with demo_server_of_its_own(tmp_path_factory, browser, "close", 8, "/close") as srv:
        yield srv


def open_close(browser: Browser, books: Server, email: str, size: tuple[int, int]) -> Page:
    context: BrowserContext = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(books.url + "/close")
    settle(page)
    fill_sign_in(page, email)
    expect(page.get_by_role("heading", name="Close", exact=True)).to_be_visible(timeout=30_000)
    settle(page)
    return page


def lock_month(page: Page, reason: str) -> None:
    """Lock the month shown, forcing it when a check fails (the demo's month may)."""
    force = page.get_by_text("Lock anyway although")
    if force.count():
        force.first.click()
    page.get_by_label("Reason").first.fill(reason)
    page.get_by_role("button", name="Lock").click()
    settle(page)


def test_owner_locks_and_unlocks_a_month_with_a_reason(browser: Browser, books: Server) -> None:
    page = open_close(browser, books, "owner@example.com", (1440, 900))
    expect(page.get_by_text("Checks and lock")).to_be_visible()
    expect(page.get_by_text("No month has been locked or unlocked yet.")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "close-1440.png"))

    lock_month(page, "October reviewed")
    expect(page.get_by_text("is locked through").first).to_be_visible(timeout=20_000)
    audit = page.get_by_test_id("stDataFrame").last
    expect(audit).to_contain_text("owner@example.com")
    expect(audit).to_contain_text("October reviewed")
    page.screenshot(path=str(SHOTS / "close-locked-1440.png"))
    page.get_by_text("Audit log").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "close-audit-1440.png"))

    page.get_by_label("Reason to reopen").fill("a late bill")
    page.get_by_role("button", name="Unlock").click()
    settle(page)
    expect(page.get_by_role("button", name="Lock")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("stDataFrame").last).to_contain_text("a late bill")
    page.context.close()


def test_a_scoped_cfo_sees_only_their_business_and_cannot_unlock(
    browser: Browser, books: Server
) -> None:
    page = open_close(browser, books, "dump@example.com", (390, 844))
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_contain_text("QuickDumpNow")
    expect(grid).not_to_contain_text("JADA")
    page.screenshot(path=str(SHOTS / "close-390.png"))
    page.get_by_text("Audit log").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "close-audit-390.png"))
    if page.get_by_text("Lock anyway although").count():  # a failing check refuses the lock
        page.get_by_role("button", name="Lock").click()
        settle(page)
        expect(page.get_by_text("is not locked:")).to_be_visible(timeout=20_000)
    lock_month(page, "closing")
    expect(page.get_by_text("Only the owner can unlock a month.")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="Unlock")).to_have_count(0)
    page.context.close()
