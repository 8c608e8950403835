"""Charts and formats in Chromium: the email preview fits a phone, Operations leads with the
columns a skipper acts on, tables never say "None", an empty chart says so in words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import settle, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CELLS = '[data-testid="stDataFrame"] [data-testid^="glide-cell"]'


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def tall(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 6000})
    yield context.new_page()
    context.close()


def test_the_email_preview_fits_a_phone(phone: Page, server: Server) -> None:
    sign_in(phone, server, "owner@example.com")
    phone.get_by_role("button", name="Send as email").click()
    dialog = phone.get_by_role("dialog")
    expect(dialog.get_by_text("this preview is exactly what will be sent")).to_be_visible(
        timeout=30_000
    )
    preview = dialog.locator('[data-testid="stHtml"]').first
    expect(preview.locator('img[src^="data:image/png;base64,"]').first).to_be_attached()
    box = preview.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # nothing inside pushes the email wider than its box (wide tables scroll in their own)
    widths = preview.evaluate("e => [e.clientWidth, e.scrollWidth]")
    assert widths[1] <= widths[0], widths
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "email-preview-phone.png"))


def test_operations_leads_with_crew_holds_and_checklist(phone: Page, server: Server) -> None:
    sign_in(phone, server, "owner@example.com", path="/operations")
    expect(phone.get_by_role("heading", name="Operations")).to_be_visible(timeout=15_000)
    table = phone.locator('[data-testid="stDataFrame"]').first
    headers = table.locator('th[role="columnheader"]')
    expect(headers.nth(1)).to_have_text("Open crew", timeout=15_000)  # on screen on a phone
    shown = headers.all_inner_texts()
    # the grid draws the columns in view: on a phone these four, Event scrolled to
    assert shown[:4] == ["When", "Open crew", "On hold", "Checklist"]


@pytest.mark.parametrize("path", ["/cfo", "/client-billing"])
def test_no_table_says_none(tall: Page, server: Server, path: str) -> None:
    sign_in(tall, server, "owner@example.com", path=path)
    tall.wait_for_selector(CELLS, state="attached", timeout=30_000)
    settle(tall)
    cells = tall.locator(CELLS).all_inner_texts()
    assert cells and not [c for c in cells if c.strip() in ("None", "nan", "NaN")]
    money = [c for c in cells if c.startswith(("$", "-$"))]
    assert money and not [c for c in money if c.endswith(".00")]  # whole dollars, as tiles


def test_an_empty_chart_says_so(tall: Page, server: Server) -> None:
    # the demo sends JADA no email or SMS campaigns: its campaign ROI chart is empty
    sign_in(tall, server, "owner@example.com", path="/cmo?entity=JADA")
    chart = tall.locator('[data-testid="stPlotlyChart"]').filter(has_text="Campaign ROI")
    expect(chart.first).to_contain_text("No campaigns sent yet", timeout=30_000)
    assert chart.first.locator(".ytick").count() == 0  # no -1..1 axis behind the sentence
    SHOTS.mkdir(exist_ok=True)
    chart.first.screenshot(path=str(SHOTS / "empty-chart.png"))
