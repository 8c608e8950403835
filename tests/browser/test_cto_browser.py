"""/cto in headless Chromium: the core's numbers, both charts drawn, desktop and phone shots."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from core.reports.formatting import format_value
from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import settle, shown_month, sign_in, tile

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def cto_kpis(server: Server, entity: str) -> dict[str, dict]:
    out = server.cli(
        "report", "cto", "--entity", entity, "--period", shown_month(), "--format", "json"
    )
    return {k["id"]: k for k in json.loads(out)["kpis"]}


def test_cto_page_desktop_and_phone(page: Page, server: Server) -> None:
    sign_in(page, server, "cto@example.com", path="/cto")
    expect(page.get_by_role("heading", name="CTO report", exact=True)).to_be_visible()
    for heading in ("Stack inventory", "Security hardening roadmap", "Cost optimization"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    kpis = cto_kpis(server, "all")
    for kid, label in (
        ("cloud_cost", "Cloud cost"),
        ("open_findings", "Open findings"),
        ("eol_services", "Services past EOL"),
        ("lead_time_hours", "Lead time (hours)"),
    ):
        assert tile(page, label) == format_value(kpis[kid]["value"], kpis[kid]["unit"])
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(2)
    for i in range(2):
        charts.nth(i).scroll_into_view_if_needed()
        expect(charts.nth(i).locator(".main-svg").first).to_be_attached(timeout=30_000)
        assert charts.nth(i).locator("g.point, g.trace").count() > 0  # bars or lines drawn
    SHOTS.mkdir(exist_ok=True)
    title = page.get_by_role("heading", name="CTO report", exact=True)
    title.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "cto-desktop.png"))
    page.set_viewport_size({"width": 1440, "height": 5200})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / "cto-desktop-full.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1200)
    settle(page)
    title.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "cto-phone.png"))
    # the whole page at phone width (Streamlit scrolls inside its own container)
    page.set_viewport_size({"width": 390, "height": 7000})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / "cto-phone-full.png"))


def test_scoped_user_is_refused_another_entity_on_cto(page: Page, server: Server) -> None:
    server.cli(
        "dashboard-user",
        "add",
        "cto-dump@example.com",
        "--role",
        "cto",
        "--entities",
        "QuickDumpNow",
        "--password-stdin",
        stdin="correct-horse-battery\n",
    )
    sign_in(page, server, "cto-dump@example.com", path="/cto?entity=JADA")
    refusal = page.get_by_text("You do not have access to this")
    # once the sign-in reruns settle there is one message (a stale copy may show briefly)
    expect(refusal).to_have_count(1, timeout=15_000)
    expect(refusal).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0
