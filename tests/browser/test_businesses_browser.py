"""First run in Chromium: from an empty data folder the owner adds two businesses on
/businesses and the setup checklist ticks its first step."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_sessions_browser import fill_sign_in, settle

pytestmark = pytest.mark.browser


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    yield ctx
    ctx.close()


def add(page: Page, name: str, kind: str) -> None:
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_label("Kind").click()  # Streamlit's selectbox opens a list of options
    page.get_by_role("option", name=kind, exact=True).click()
    page.get_by_role("button", name="Add business").click()
    expect(page.get_by_text(f"Added {name} ({kind})")).to_be_visible(timeout=30_000)  # toast
    settle(page)


def test_owner_adds_two_businesses_and_the_checklist_ticks(
    context: BrowserContext, first_run: Server
) -> None:
    started = time.perf_counter()
    page = context.new_page()
    page.goto(first_run.url + "/businesses")
    settle(page)
    fill_sign_in(page, "owner@example.com")
    checklist = page.locator(".st-key-setup_checklist")
    expect(checklist.get_by_text("0 of 6 done")).to_be_visible(timeout=30_000)
    settle(page)
    expect(page.get_by_text("No businesses yet")).to_be_visible()

    page.get_by_role("button", name="Add business").click()  # no name: the error by the field
    expect(page.get_by_text("A business needs a name")).to_be_visible(timeout=20_000)
    settle(page)
    SHOTS.mkdir(exist_ok=True)
    page.get_by_text("A business needs a name").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "businesses-name-error.png"))

    add(page, "Harbor Tours", "Charter")
    add(page, "Haul Away", "Junk removal")
    expect(checklist.get_by_text("1 of 6 done")).to_be_visible()
    first = checklist.get_by_text("Add your businesses")
    expect(first).to_be_visible()
    ticked = checklist.locator('[data-testid="stMarkdownContainer"]', has_text="Add your")
    assert "check_circle" in ticked.inner_html()  # the first step's mark is the tick
    assert checklist.get_by_role("link", name="Open Data").count() == 1  # import
    assert checklist.get_by_role("link", name="Open Accounting").count() == 1  # categorise
    elapsed = time.perf_counter() - started
    page.screenshot(path=str(SHOTS / "businesses-first-run.png"), full_page=True)
    print(f"first run: sign in + two businesses in {elapsed:.1f} s")
    assert [line.split("\t")[1] for line in first_run.cli("entity", "list").splitlines()] == [
        "Harbor Tours",
        "Haul Away",
    ]
