"""The Operations page's float plan and shore contact in Chromium, desktop and phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.ops.models import utcnow
from core.ops.sqlite import SqliteOpsStore
from tests.browser.conftest import Server
from tests.browser.test_dashboard_browser import settle, sign_in

SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "h-float"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def shoot(page: Page, name: str, focus: str) -> None:
    """Desktop and phone screenshots with the text ``focus`` scrolled into view."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", (1440, 900)), ("phone", (390, 844))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.wait_for_timeout(500)
        page.get_by_text(focus).first.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"))
    page.set_viewport_size({"width": 1440, "height": 900})


@pytest.fixture
def first_trip_leaves_soon(server: Server) -> Iterator[None]:
    """The demo's first trip (2 days out) moved to 2 h from now (Departed opens a day
    before), and back afterwards: the shared server's other tests expect the demo."""
    store = SqliteOpsStore(server.data_dir / "ops.db")
    now = utcnow()
    first = store.list_events(now, now + timedelta(days=90))[0]
    store.save_event(replace(first, starts_at=now + timedelta(hours=2)))
    yield
    store.save_event(first)


@pytest.mark.usefixtures("first_trip_leaves_soon")
def test_departed_back_and_shore_contact(page: Page, server: Server) -> None:
    sign_in(page, server, "owner@example.com", path="/operations")
    expect(page.get_by_role("heading", name="Operations")).to_be_visible(timeout=15_000)
    settle(page)
    expect(page.get_by_text("Not departed yet")).to_be_visible()
    shoot(page, "float-not-departed", "Not departed yet")
    page.get_by_role("spinbutton", name="Souls on board").fill("5")
    page.get_by_role("button", name="Departed").click()
    settle(page)
    expect(page.get_by_text("Out: departed")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("5 aboard")).to_be_visible()
    shoot(page, "float-out", "Out: departed")
    page.get_by_role("button", name="Mark back").click()
    settle(page)
    expect(page.get_by_text(re.compile(r"^Back at \w{3} "))).to_be_visible(timeout=15_000)
    page.get_by_role("tab", name="Crew").click()
    settle(page)
    page.get_by_role("textbox", name="Shore contact email").fill("sam@example.com")
    page.get_by_role("textbox", name="Shore contact name").fill("Sam Shore")
    page.get_by_role("button", name="Save shore contact").click()
    settle(page)
    expect(page.get_by_text("No shore contact yet")).to_have_count(0, timeout=15_000)
    expect(page.get_by_role("textbox", name="Shore contact email")).to_have_value("sam@example.com")
    shoot(page, "shore-contact", "Save shore contact")
