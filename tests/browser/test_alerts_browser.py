"""/alerts in Chromium: the owner adds an alert, a run fires it, the page shows its state and
history, pauses and removes it; a CFO limited to one business sees and sets only its alerts."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import SHOTS, Server, demo_server_of_its_own
from tests.browser.test_sessions_browser import fill_sign_in, settle

pytestmark = pytest.mark.browser
NO_SKELETON = "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"


@pytest.fixture(scope="module")
def alerts_server(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    """A server of its own (its emails are counted): the demo, an owner and a scoped CFO."""
    with demo_server_of_its_own(tmp_path_factory, browser, "alerts", 14, "/alerts") as srv:
        yield srv


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    yield ctx
    ctx.close()


def open_alerts(context: BrowserContext, server: Server, email: str) -> Page:
    page = context.new_page()
    page.goto(server.url + "/alerts")
    settle(page)
    fill_sign_in(page, email)
    expect(page.get_by_role("heading", name="Alerts")).to_be_visible(timeout=30_000)
    settle(page)
    return page


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).click()  # Streamlit's selectbox opens a list of options
    page.get_by_role("option", name=option, exact=True).first.click()
    settle(page)


def shoot(page: Page, name: str) -> None:
    """The page at 1440x900, and at 390x844 opened fresh (as a phone would: sidebar closed)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"alerts-{name}-wide.png"))
    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(page.url)
    settle(phone)
    expect(phone.get_by_role("button", name="Add alert")).to_be_visible(timeout=30_000)
    phone.wait_for_function(NO_SKELETON, timeout=30_000)
    settle(phone)
    phone.screenshot(path=str(SHOTS / f"alerts-{name}-phone.png"))
    phone.close()


def outbox(server: Server) -> list[dict[str, object]]:
    index = server.data_dir / "outbox" / "index.jsonl"
    return [json.loads(x) for x in index.read_text().splitlines()] if index.exists() else []


def test_owner_adds_an_alert_that_fires_then_pauses_and_removes_it(
    context: BrowserContext, alerts_server: Server
) -> None:
    page = open_alerts(context, alerts_server, "owner@example.com")
    expect(page.get_by_text("No alerts yet")).to_be_visible()
    assert page.get_by_role("combobox", name="Month").count() == 0  # not a report page
    choose(page, "KPI", "CFO report · Cash")
    page.get_by_label("Threshold", exact=True).fill("100000000")
    page.get_by_label("Threshold", exact=True).press("Enter")
    settle(page)
    page.get_by_role("button", name="Add alert").click()
    settle(page)
    expect(page.get_by_text("Alert added")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("combobox", name="Alert")).to_have_value(
        "1: cfo.cash for all below 100,000,000, once"
    )
    expect(page.get_by_text("Not fired yet.")).to_be_visible()

    out = alerts_server.cli("alerts", "run")
    assert "evaluated 1, sent 1" in out
    [mail] = outbox(alerts_server)
    assert mail["to"] == ["owner@example.com"] and "below $100,000,000" in str(mail["subject"])

    page.reload()
    settle(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_contain_text("fired, re-arms when back on the good side", timeout=20_000)
    expect(page.locator('[data-testid="stDataFrame"]').nth(1)).to_contain_text("sent")
    shoot(page, "owner")

    page.get_by_role("button", name="Pause").click()
    settle(page)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_contain_text("paused")
    assert "evaluated 0, sent 0" in alerts_server.cli("alerts", "run")
    page.get_by_role("button", name="Resume").click()
    settle(page)
    page.get_by_role("button", name="Remove").click()
    settle(page)
    expect(page.get_by_text("No alerts yet")).to_be_visible(timeout=20_000)


def test_a_scoped_cfo_sees_and_sets_only_their_business(
    context: BrowserContext, alerts_server: Server
) -> None:
    alerts_server.cli("alert", "add", "cfo.cash", "--entity", "all", "--below", "1",
                      "--to", "owner@example.com")  # fmt: skip
    page = open_alerts(context, alerts_server, "dump@example.com")
    expect(page.get_by_text("No alerts yet")).to_be_visible()  # the owner's "all" is not theirs
    page.get_by_label("Entity").click()
    options = page.get_by_role("option").all_inner_texts()
    assert options == ["QuickDumpNow"]
    page.keyboard.press("Escape")
    choose(page, "KPI", "CFO report · Runway")
    page.get_by_label("Threshold", exact=True).fill("6")
    page.get_by_label("Threshold", exact=True).press("Enter")
    settle(page)
    page.get_by_role("button", name="Add alert").click()
    settle(page)
    expect(page.get_by_text("Alert added")).to_be_visible(timeout=20_000)
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_contain_text("Quick", timeout=20_000)
    shoot(page, "scoped-cfo")
    listing = alerts_server.cli("alert", "list")
    assert "cfo.runway_months for QuickDumpNow below 6, once" in listing
