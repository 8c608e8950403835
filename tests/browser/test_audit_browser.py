"""The three business-audit pages in headless Chromium, at desktop and phone widths."""

from __future__ import annotations

import json
import os

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import page, settle, shown_month, sign_in, tile

pytestmark = pytest.mark.browser
__all__ = ["page"]  # the fixture, re-used
PAGES = [
    ("rental", "Rental audit", "Rent due", "rent_due"),
    ("yacht-delivery", "Yacht delivery audit", "Deliveries completed", "deliveries"),
    ("client-billing", "Client billing audit", "Invoiced", "billed_revenue"),
]


def _kpi(server: Server, name: str, kid: str) -> dict:
    data = json.loads(
        server.cli("report", name, "--entity", "all", "--period", shown_month(), "--format", "json")
    )
    return next(k for k in data["kpis"] if k["id"] == kid)


@pytest.mark.parametrize(("path", "title", "label", "kid"), PAGES)
def test_audit_page_desktop_and_phone(
    page: Page, server: Server, path: str, title: str, label: str, kid: str
) -> None:
    sign_in(page, server, "owner@example.com", path=f"/{path}")
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=30_000)
    settle(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    kpi = _kpi(server, path, kid)
    shown = tile(page, label)
    assert shown.replace(",", "").lstrip("$").split(".")[0] == f"{kpi['value']:.0f}"
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{path}-desktop.png"))
    if os.environ.get("AUDIT_TALL_SHOTS"):  # whole page, to review by eye
        page.set_viewport_size({"width": 1440, "height": 5200})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / f"{path}-desktop-tall.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{path}-phone.png"))


def test_entity_without_rental_records_shows_a_message(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/rental?entity=JADA")
    expect(page.get_by_text("No rental records for JADA")).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_aging_date_is_kept_in_the_url(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/client-billing?as_of=2026-01-15")
    settle(page)
    expect(page.get_by_text("AR aging by client on 2026-01-15")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("they agree").first).to_be_visible()
