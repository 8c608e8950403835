"""The CEO page, drill-down, comparisons and targets in headless Chromium, desktop and phone."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import money, settle, shown_month, sign_in, tile

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def open_cfo(page: Page, server: Server, entity: str | None = None) -> None:
    """Sign in as the owner and open the CFO page from the sidebar (optionally one entity)."""
    sign_in(page, server, "owner@example.com", path="/")
    page.get_by_role("link", name="CFO").click()
    expect(page.get_by_role("heading", name="CFO report")).to_be_visible(timeout=15_000)
    settle(page)
    if entity:
        page.get_by_role("combobox", name="Entity").first.click()
        page.get_by_role("option", name=entity).click()
        settle(page)
        expect(page.get_by_text(f"{entity} · ").first).to_be_visible(timeout=15_000)


def shoot(page: Page, name: str) -> None:
    """Screenshots at 1440x900 and 390x844 (the whole page, as a user scrolls it)."""
    SHOTS.mkdir(exist_ok=True)
    for label, width, height in (("desktop", 1440, 900), ("phone", 390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(900)
        settle(page)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)


def test_ceo_page_desktop_and_phone(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/")  # the owner's home page
    expect(page.get_by_role("heading", name="CEO report")).to_be_visible()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    data = json.loads(
        server.cli(
            "report", "ceo", "--entity", "all", "--period", shown_month(), "--format", "json"
        )
    )
    kpis = {k["id"]: k for k in data["kpis"]}
    assert tile(page, "Revenue") == money(kpis["revenue"]["value"])
    assert tile(page, "Open crew slots") == f"{int(kpis['unfilled_slots']['value'])}"
    expect(page.get_by_text("KPI framework: every persona")).to_be_visible()
    shoot(page, "ceo")


def test_drill_down_lists_the_lines_behind_revenue(page: Page, server: Server) -> None:
    open_cfo(page, server)
    revenue = server.cfo_json("all", shown_month())["revenue"]["value"]
    page.get_by_role("button", name="Ledger lines").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(f"→ {money(revenue)} = Revenue")).to_be_visible(timeout=30_000)
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "drill-down.png"))


def test_comparison_selector_is_kept_in_the_url(page: Page, server: Server) -> None:
    open_cfo(page, server)
    page.get_by_text("Year to date vs last year").click()
    settle(page)
    expect(
        page.locator('[data-testid="stMetricLabel"]').get_by_text("Revenue (YTD)")
    ).to_be_visible()
    assert "compare=ytd" in page.url


def test_owner_edits_a_target_in_the_browser(page: Page, server: Server) -> None:
    open_cfo(page, server, "JADA (sailing yacht)")
    page.get_by_role("button", name="Targets").click()
    box = page.get_by_role("spinbutton", name="Cash (USD; higher is better)")
    box.fill("1234567")
    box.press("Tab")  # the form reads the value once the field is left
    page.get_by_role("button", name="Save targets").click()
    deadline = time.monotonic() + 20
    while True:  # saved on the server: the core's JSON has it
        kpis = server.cfo_json("JADA", shown_month())
        if kpis["cash"]["target"] == 1234567.0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert kpis["cash"]["target"] == 1234567.0
    assert kpis["cash"]["status"] == "bad"
    settle(page)
    expect_tile_badge = page.locator('[data-testid="stMetric"]').filter(has_text="Cash")
    expect(expect_tile_badge.first).to_be_visible()
