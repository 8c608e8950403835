"""The dashboard in headless Chromium: sign in, read the CFO page, scopes hold in the browser."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PASSWORD, SHOTS, Server

pytestmark = pytest.mark.browser
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def previous_month() -> str:
    now = datetime.now(ZoneInfo("America/Los_Angeles"))
    y, m = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return f"{y:04d}-{m:02d}"


def shown_month() -> str:
    """The month a page shows when the URL names none: this month to date."""
    now = datetime.now(ZoneInfo("America/Los_Angeles"))
    return f"{now.year:04d}-{now.month:02d}"


def money(value: float) -> str:
    return f"{'-' if value < 0 else ''}${abs(value):,.0f}"


def settle(page: Page) -> None:
    page.wait_for_selector(DONE, timeout=30_000)
    page.wait_for_selector('[data-testid="stStatusWidgetRunningIcon"]', state="detached")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 4200})
    yield context.new_page()
    context.close()


def sign_in(
    page: Page, server: Server, email: str, password: str = PASSWORD, path: str = "/cfo"
) -> None:
    page.goto(server.url + path)
    settle(page)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_timeout(500)
    settle(page)
    if password == PASSWORD:  # signed in once the stay-signed-in cookie has been written
        page.wait_for_function("document.cookie.includes('exec_platform_session')", timeout=15_000)
        settle(page)


def tile(page: Page, label: str) -> str:
    """The value of the KPI tile whose label is exactly ``label``."""
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True)
    )
    expect(metric).to_have_count(1)
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def expect_tile(page: Page, label: str, value: str) -> None:
    """The tile ``label`` shows ``value`` (retried while a rerun replaces the page)."""
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True)
    )
    expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text(value, timeout=15_000)


def test_owner_sees_the_core_numbers_and_charts(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/")
    expect(page.get_by_role("heading", name="CEO report")).to_be_visible()  # the owner's home
    page.get_by_role("link", name="CFO").click()
    expect(page.get_by_role("heading", name="CFO report")).to_be_visible(timeout=15_000)
    settle(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    kpis = server.cfo_json("all", shown_month())
    for kid, label in (("revenue", "Revenue"), ("cash", "Cash"), ("net_income", "Net income")):
        expect_tile(page, label, money(kpis[kid]["value"]))
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 4
    expect(page.get_by_text("Demo data.")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / "cfo-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 2400})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / "cfo-phone.png"))


def test_logged_out_deep_link_shows_the_sign_in_form(page: Page, server: Server) -> None:
    page.goto(server.url + "/cfo")
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_wrong_password_is_refused(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", "not-the-right-one")
    expect(page.get_by_text("Email or password is incorrect.")).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_scoped_user_sees_only_their_entity(page: Page, server: Server) -> None:
    sign_in(page, server, "dump@example.com")
    expected = server.cfo_json("QuickDumpNow", shown_month())["revenue"]["value"]
    assert tile(page, "Revenue") == money(expected)
    page.get_by_role("combobox", name="Entity").first.click()
    options = page.get_by_role("option").all_inner_texts()
    assert options == ["QuickDumpNow"]


def test_scoped_user_is_refused_another_entity_by_url(page: Page, server: Server) -> None:
    sign_in(page, server, "dump@example.com", path="/cfo?entity=JADA")
    refusal = page.get_by_text("You do not have access to this")
    expect(refusal).to_have_count(1, timeout=15_000)  # a stale copy may show briefly
    expect(refusal).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_cto_is_refused_the_cfo_page(page: Page, server: Server) -> None:
    sign_in(page, server, "cto@example.com", path="/cfo")
    expect(page.get_by_text("You do not have access to this page.")).to_be_visible()
    assert page.get_by_role("heading", name="CFO report").count() == 0
    assert page.get_by_role("link", name="CFO").count() == 0
    page.goto(server.url + "/")
    expect(page.get_by_role("heading", name="CTO report")).to_be_visible(timeout=15_000)


def test_operations_page_in_the_browser(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com")
    page.get_by_role("link", name="Operations").click()
    expect(page.get_by_role("heading", name="Operations")).to_be_visible(timeout=15_000)
    settle(page)
    expect(page.get_by_text("Slot board")).to_be_visible()
    for label in ("Boarding", "Departure", "Return", "Sunset", "Civil dusk"):
        found = page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True)
        expect(found).to_have_count(1)
    # the first trip, a sunset sail, is back by civil dusk; the dinner cruise is not
    expect(page.get_by_text("Returns after dusk")).to_have_count(0)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Event").click()
    page.get_by_role("option", name=re.compile("Anniversary dinner cruise")).click()
    settle(page)
    expect(page.get_by_text("Returns after dusk")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1900})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "operations-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 2600})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "operations-phone.png"))


def test_cfo_role_has_no_operations_page(page: Page, server: Server) -> None:
    sign_in(page, server, "dump@example.com", path="/operations")
    expect(page.get_by_text("You do not have access to this page.")).to_be_visible()
    assert page.get_by_role("heading", name="Operations").count() == 0
    assert page.get_by_role("link", name="Operations").count() == 0


def test_send_as_email_from_the_cfo_page(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com")
    page.get_by_role("button", name="Send as email").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("this preview is exactly what will be sent")).to_be_visible(
        timeout=30_000
    )
    expect(dialog.locator('img[src^="data:image/png;base64,"]').first).to_be_visible()
    dialog.get_by_role("textbox", name="Recipients").fill("board@example.com")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "send-as-email.png"))
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Sent to board@example.com")).to_be_visible(timeout=30_000)
    index = (server.data_dir / "outbox" / "index.jsonl").read_text()
    assert '"to": ["board@example.com"]' in index


def test_accounting_page_desktop_and_phone(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/accounting")
    expect(page.get_by_role("heading", name="Accounting")).to_be_visible()
    kpis = {
        k["id"]: k
        for k in json.loads(
            server.cli(
                "report",
                "accounting",
                "--entity",
                "all",
                "--period",
                shown_month(),
                "--format",
                "json",
            )
        )["kpis"]
    }
    assert tile(page, "Trial balance difference") == "$0"
    assert tile(page, "Uncategorized lines") == f"{int(kpis['uncategorized_count']['value'])}"
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "accounting-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "accounting-phone.png"))
