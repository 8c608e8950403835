"""/forecast in Chromium: a what-if changes the low point to the core's figure, a scenario is
saved by name, and the items table shows what makes a week; screenshots on a laptop and a phone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from core.auth.dashboard_users import OPERATOR
from core.forecast.build import build_forecast
from core.forecast.model import OneOff, Scenario
from core.forecast.scenarios import list_scenarios
from core.ledger.store import LedgerStore
from tests.browser.conftest import Server
from tests.browser.test_dashboard_browser import money, settle, sign_in, tile

pytestmark = pytest.mark.browser
ENTITY = "QueenofSanDiego"
COST = Decimal(250_000)
SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "h-fb"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def shoot(page: Page, name: str, heading: str | None = None) -> None:
    """The screen at 1440x900 and 390x844: the top, or scrolled to ``heading``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(900)
        settle(page)
        if heading:
            page.get_by_role("heading", name=heading).evaluate(
                "e => e.scrollIntoView({block: 'start'})"
            )
        else:
            page.evaluate("document.querySelectorAll('*').forEach(e => e.scrollTop = 0)")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    settle(page)


def open_forecast(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/")
    page.goto(f"{server.url}/forecast?entity={ENTITY}")
    settle(page)
    expect(page.get_by_role("heading", name="Forecast")).to_be_visible(timeout=15_000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)


def test_a_one_off_lowers_the_low_point_saves_and_shows_in_the_items(
    page: Page, server: Server
) -> None:
    store = LedgerStore(f"sqlite:///{server.data_dir / 'ledger.db'}")
    as_of = datetime.now(ZoneInfo("America/Los_Angeles")).date()
    base = build_forecast(store, OPERATOR, ENTITY, as_of, 13)
    open_forecast(page, server)
    assert tile(page, "Low point") == money(float(base.low_point))
    shoot(page, "forecast-baseline")

    box = page.get_by_role("spinbutton", name="One-off cost ($)")
    box.fill(str(COST))
    box.press("Enter")
    settle(page)
    day = as_of + timedelta(days=14)  # the page's default day for a one-off
    what_if = Scenario(None, (), (OneOff(day, -COST, "One-off cost"),))
    expected = build_forecast(store, OPERATOR, ENTITY, as_of, 13, what_if)
    expect(page.get_by_text("Low point (scenario)")).to_be_visible(timeout=15_000)
    assert tile(page, "Low point (scenario)") == money(float(expected.low_point))
    assert expected.low_point < base.low_point
    expect(page.get_by_text("The scenario:")).to_be_visible()

    # the week of the one-off: its item, source and account in the table
    week = expected.weeks[1]
    picker = page.get_by_role("combobox", name="Week", exact=True)
    picker.scroll_into_view_if_needed()
    picker.click()
    page.get_by_role("option", name=f"{week.start:%b %-d} – {week.end:%b %-d}").click()
    settle(page)
    grid = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.get_by_role("gridcell", name="One-off cost", exact=True, include_hidden=True)
    )
    expect(grid).to_have_count(1, timeout=15_000)
    source = grid.get_by_role("gridcell", name="one-off", exact=True, include_hidden=True)
    expect(source).to_have_count(1)

    page.get_by_role("textbox", name="Save this scenario as").fill("Engine rebuild")
    page.get_by_role("button", name="Save scenario").click()
    expect(page.get_by_text("Saved scenario “Engine rebuild”")).to_be_visible(timeout=15_000)
    settle(page)
    saved = {s.scenario.name: s.scenario for s in list_scenarios(store, OPERATOR, ENTITY)}
    assert saved["Engine rebuild"].one_offs == (OneOff(day, -COST, "One-off cost"),)
    shoot(page, "forecast-scenario")
    shoot(page, "forecast-items", heading="What makes each week")
    store.engine.dispose()


def test_break_even_trips_and_the_budget_tab(page: Page, server: Server) -> None:
    open_forecast(page, server)
    page.get_by_role("tab", name="Break-even trips").click()
    settle(page)
    expect(page.get_by_text("A trip").first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Queen of San Diego Charters", exact=True)).to_be_visible()
    header = page.get_by_role("columnheader", name="Break-even trips a month", include_hidden=True)
    expect(header).to_have_count(1)
    shoot(page, "forecast-break-even", heading="Break-even trips")
    page.get_by_role("tab", name="Budget").click()
    expect(page.get_by_role("button", name="Save budget")).to_be_visible(timeout=15_000)


def test_the_cfo_page_has_the_forecast_and_budget_panels(page: Page, server: Server) -> None:
    month = datetime.now(ZoneInfo("America/Los_Angeles")).strftime("%Y-%m")
    budget = server.data_dir / "budget.csv"
    budget.write_text(
        "month,account,amount\n"
        f"{month},Income:Charters,30000\n{month},Expenses:Fuel,1500\n"
        f"{month},Expenses:CrewWages,6000\n"
    )
    assert "Saved 3 budget lines" in server.cli("budget", "import", str(budget), "--entity", ENTITY)
    sign_in(page, server, "owner@example.com", path="/")
    page.goto(f"{server.url}/cfo?entity={ENTITY}")
    settle(page)
    expect(page.get_by_role("heading", name="Cash forecast")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Budget vs actual")).to_be_visible()
    panel = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.get_by_role("columnheader", name="Variance YTD", include_hidden=True)
    )
    expect(panel).to_have_count(1, timeout=15_000)
    for group in ("Income:Charters", "Expenses:Fuel", "Expenses:CrewWages"):
        cell = panel.get_by_role("gridcell", name=group, exact=True, include_hidden=True)
        expect(cell).to_have_count(1)
    shoot(page, "cfo-forecast-panel", heading="Cash forecast")
    shoot(page, "cfo-budget-panel", heading="Budget vs actual")
