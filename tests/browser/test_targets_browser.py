"""The Targets dialog in Chromium: it closes on save, the page says what was saved, and it
offers no target for a KPI computed from others."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from core.periods import month_label
from tests.browser.conftest import Server
from tests.browser.test_dashboard_browser import settle, shown_month, sign_in
from tests.browser.test_personas_browser import open_cfo, shoot

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def label_of(period: str) -> str:
    """``2026-10`` as the month picker shows it (``Oct 2026``)."""
    return month_label(int(period.replace("-", "")))


def test_saving_closes_the_dialog_and_says_what_was_saved(page: Page, server: Server) -> None:
    period = shown_month()
    open_cfo(page, server, "QuickDumpNow")
    page.get_by_role("button", name="Targets").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=15_000)
    # derived KPIs take no target of their own
    expect(dialog.get_by_role("spinbutton", name="Cash (USD; higher is better)")).to_be_visible()
    expect(dialog.get_by_text("Break-even revenue")).to_have_count(0)
    for label, value in (("Cash", "765432"), ("Deferred revenue", "4321")):
        box = dialog.get_by_role("spinbutton", name=f"{label} (USD; higher is better)")
        box.fill(value)
        box.press("Tab")  # the form reads the value once the field is left
    shoot(page, "targets-dialog")  # desktop and phone; back to desktop for the sidebar
    page.set_viewport_size({"width": 1440, "height": 900})
    dialog.get_by_role("button", name="Save targets").click()
    # two KPIs changed (not rows), in the picker's month format, on the reloaded page
    expect(page.get_by_text(f"Saved 2 target(s) for {label_of(period)}")).to_be_visible(
        timeout=30_000
    )
    shoot(page, "targets-saved")
    page.set_viewport_size({"width": 1440, "height": 900})
    settle(page)
    expect(page.get_by_role("dialog")).to_have_count(0)  # the dialog closed on save
    deadline = time.monotonic() + 20
    while True:  # saved on the server: the core's JSON has it
        kpis = server.cfo_json("QuickDumpNow", period)
        if kpis["cash"]["target"] == 765432.0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert kpis["cash"]["target"] == 765432.0
    assert kpis["deferred_revenue"]["target"] == 4321.0
    # reopening shows the saved values; closing without saving changes nothing
    page.get_by_role("button", name="Targets").click()
    dialog = page.get_by_role("dialog")
    box = dialog.get_by_role("spinbutton", name="Cash (USD; higher is better)")
    expect(box).to_have_value("765432.00", timeout=15_000)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    settle(page)
    page.get_by_text("Year to date vs last year").click()  # a full rerun keeps it closed
    settle(page)
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_ceo_targets_offer_no_revenue_vs_target(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/")
    page.goto(f"{server.url}/ceo?entity=QuickDumpNow")
    settle(page)
    expect(page.get_by_text("QuickDumpNow · ").first).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Targets").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("spinbutton", name="Revenue (USD; higher is better)")).to_be_visible(
        timeout=15_000
    )
    expect(dialog.get_by_text("Revenue vs target")).to_have_count(0)
    dialog.get_by_role("button", name="Save targets").click()  # nothing changed
    expect(page.get_by_text(f"No target changed for {label_of(shown_month())}")).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_role("dialog")).to_have_count(0)
