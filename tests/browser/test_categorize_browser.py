"""/accounting in Chromium, on the demo plus a statement with fuel, a bakery and an owner's
transfer: Shell lines of two months categorized by a rule from the merchant ("Apply to similar",
previewed and marked), then two lines picked in the editable table and saved at once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.config import get_settings
from core.periods import format_period, month_add, month_label, month_of
from tests.browser.conftest import PASSWORD, SHOTS, Server, streamlit_server
from tests.browser.test_sessions_browser import fill_sign_in, settle

pytestmark = pytest.mark.browser
SHELL = "SHELL OIL 57442 SAUSALITO CA"
BAKERY = "SAUSALITO BAKERY SAUSALITO CA"
TRANSFER = "ONLINE TRANSFER FROM OWNER"
ROW = 35  # Streamlit's data grid: header and row height in pixels


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    """Its own demo ledger (the test changes the queue other browser tests read)."""
    data_dir = tmp_path_factory.mktemp("categorize")
    srv = Server(url="", data_dir=data_dir)
    srv.cli("seed-demo", "--months", "4")
    month = last_month()
    day = f"{format_period(month)}-"
    statement = data_dir / "statement.csv"
    statement.write_text(
        "Date,Description,Amount\n"
        f"{day}12,{SHELL},-61.20\n"
        f"{day}14,{BAKERY},-18.50\n"
        f"{day}15,{TRANSFER},5000.00\n"
        f"{format_period(month_add(month, -2))}-20,SHELL OIL 8812 SAN DIEGO CA,-48.05\n"
    )
    srv.cli(
        "import-csv",
        str(statement),
        "--entity",
        "QuickDumpNow",
        "--account",
        "Assets:Bank:Checking",
    )
    srv.cli(
        "dashboard-user",
        "add",
        "owner@example.com",
        "--role",
        "owner",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    with streamlit_server(data_dir) as url:
        warm = browser.new_context()  # the first session of a server can lose a deep link
        page = warm.new_page()
        page.goto(url + "/accounting")
        settle(page)
        warm.close()
        yield Server(url=url, data_dir=data_dir)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def last_month() -> int:
    """The month the imported lines fall in (the test opens /accounting on it)."""
    return month_add(month_of(datetime.now(get_settings().tz).date()), -1)


def uncategorized(server: Server, period: int) -> int:
    data = json.loads(
        server.cli(
            "report",
            "accounting",
            "--entity",
            "all",
            "--period",
            format_period(period),
            "--format",
            "json",
        )
    )
    return int(next(k["value"] for k in data["kpis"] if k["id"] == "uncategorized_count"))


def cell(where: Page | Locator, text: str) -> Locator:
    """Grid cells reading exactly ``text`` (the data grid draws on a canvas and keeps its cells
    in a table for screen readers, which Playwright counts as hidden)."""
    return where.get_by_role("gridcell", name=text, exact=True, include_hidden=True)


def to_top(locator: Locator) -> None:
    """Scroll so ``locator`` starts the screen (what a screenshot should show first)."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    locator.page.wait_for_timeout(300)


def table_of(page: Page, description: str) -> Locator:
    """The editable queue table holding the line ``description``."""
    return page.locator('[data-testid="stDataFrame"]').filter(has=cell(page, description))


def pick(page: Page, description: str, search: str, account: str) -> int:
    """Open the Account cell of the line, type to search, choose; the clicks it took."""
    table = table_of(page, description)
    # mid-screen: at the top edge the app's header would take the click
    table.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    box = table.bounding_box()
    assert box
    line = cell(table, description)
    row = int(line.locator("xpath=..").get_attribute("aria-rowindex") or 0) - 1  # 1: header
    options = page.get_by_role("option")
    for _ in range(3):  # the grid may still be redrawing after the previous pick
        page.mouse.click(box["x"] + 40, box["y"] + ROW * (row + 0.5))  # the line's Description
        page.keyboard.press("ArrowRight")  # its Account cell
        page.keyboard.press("Enter")  # opens the searchable list
        try:
            expect(options.first).to_be_visible(timeout=3_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    page.keyboard.type(search)
    expect(options).to_have_count(1)  # the search leaves one account of this business
    page.get_by_role("option", name=account, exact=True).click()
    settle(page)
    expect(cell(table, account)).to_have_count(1)
    return 2


def open_list(page: Page, name: str) -> None:
    """Open a selectbox's list (a click during a rerun can be lost: try again)."""
    box = page.get_by_role("combobox", name=name)
    for _ in range(4):
        box.click()
        try:
            expect(page.get_by_role("option").first).to_be_visible(timeout=3_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
            settle(page)
    box.click()
    expect(page.get_by_role("option").first).to_be_visible()


def test_two_lines_in_the_table_and_one_by_a_rule(page: Page, books: Server) -> None:
    started = time.perf_counter()
    clicks = 0
    month = last_month()
    before = uncategorized(books, month)
    page.goto(books.url + f"/accounting?period={format_period(month)}")  # not this month's queue
    settle(page)
    fill_sign_in(page, "owner@example.com")
    clicks += 1
    page.wait_for_function("document.cookie.includes('exec_platform_session')", timeout=15_000)
    settle(page)
    expect(page.get_by_role("heading", name="Categorization queue")).to_be_visible(timeout=30_000)

    # Apply to similar: the merchant, not the town; the preview spans two months, marked
    open_list(page, "Line")
    page.keyboard.type("57442")  # the list is searched as one types
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    clicks += 2
    settle(page)
    pattern = page.get_by_role("textbox", name="Descriptions matching")
    expect(pattern).to_have_value(r"\bSHELL\s+OIL\b")
    matched = f"2 uncategorized line(s) of QuickDumpNow: 1 in {month_label(month)}, 1 in other"
    expect(page.get_by_text(matched)).to_be_visible()
    preview = page.locator('[data-testid="stDataFrame"]').last
    expect(cell(preview, f"★ {month_label(month)}")).to_have_count(1)
    expect(cell(preview, "other month")).to_have_count(1)
    expect(cell(preview, BAKERY)).to_have_count(0)  # not the town
    open_list(page, "Account")
    page.keyboard.type("fuel")
    page.get_by_role("option", name="Expenses:Fuel", exact=True).click()  # Enter: a new one
    clicks += 2
    settle(page)
    to_top(page.get_by_role("heading", name="Apply to similar"))
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "categorize-rule-desktop.png"))
    page.get_by_role("button", name="Save rule and re-categorize").click()
    clicks += 1
    expect(page.get_by_text("Rule saved: 2 line(s) moved to Expenses:Fuel")).to_be_visible(
        timeout=30_000
    )
    settle(page)
    assert uncategorized(books, month) == before - 2

    # the table: a line out and a line in, each offered its own accounts, saved at once
    expect(table_of(page, SHELL)).to_have_count(0)
    clicks += pick(page, BAKERY, "draws", "Equity:Owner Draws")
    clicks += pick(page, TRANSFER, "contrib", "Equity:Owner Contributions")
    expect(page.get_by_text("2 line(s) picked.")).to_be_visible()
    to_top(page.get_by_role("heading", name="Categorization queue"))
    page.screenshot(path=str(SHOTS / "categorize-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1200)
    to_top(page.get_by_role("heading", name="Categorization queue"))
    page.screenshot(path=str(SHOTS / "categorize-phone.png"))
    save = page.get_by_role("button", name="Save categories")
    save.scroll_into_view_if_needed()
    save.click()
    clicks += 1
    expect(page.get_by_text("Categorized 2 line(s) ($5,018.50)")).to_be_visible(timeout=30_000)
    settle(page)
    expect(table_of(page, BAKERY)).to_have_count(0)
    expect(table_of(page, TRANSFER)).to_have_count(0)
    to_top(page.get_by_role("heading", name="Categorization queue"))
    page.screenshot(path=str(SHOTS / "categorize-saved-phone.png"))

    assert uncategorized(books, month) == before - 4
    seconds = time.perf_counter() - started
    print(
        f"\n4 lines categorized (2 by one rule, 2 in the table): {clicks} clicks, {seconds:.1f} s"
    )
