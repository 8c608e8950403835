"""The trip card's weather in Chromium, on a phone and a laptop: a server of its own whose
WEATHER_API_BASE is a fake NWS forecasting a gale, so the first trip reads no-go."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from devtools.fake_nws import FakeNws, fake_nws
from tests.browser.conftest import PASSWORD, SHOTS, Server, streamlit_server
from tests.browser.test_dashboard_browser import settle, sign_in

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def gale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, FakeNws]]:
    with fake_nws() as nws:
        nws.gale(datetime.now(UTC) - timedelta(hours=1))
        data_dir = tmp_path_factory.mktemp("weather")
        srv = Server(url="", data_dir=data_dir)
        srv.cli("seed-demo", "--months", "2")
        srv.cli("dashboard-user", "add", "owner@example.com", "--role", "owner",
                "--entities", "all", "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
        with streamlit_server(data_dir, {"WEATHER_API_BASE": nws.base}) as url:
            yield Server(url=url, data_dir=data_dir), nws


@pytest.mark.parametrize("size", SIZES)
def test_the_trip_card_says_no_go_with_its_reasons(
    browser: Browser, gale_server: tuple[Server, FakeNws], size: str
) -> None:
    server, nws = gale_server
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page: Page = context.new_page()
    try:
        sign_in(page, server, "owner@example.com", path="/operations")
        expect(page.get_by_role("heading", name="Operations")).to_be_visible(timeout=30_000)
        settle(page)
        expect(page.get_by_text("Weather: No-go")).to_be_visible()
        expect(page.get_by_text("wind 34 kt (no-go from 25 kt)", exact=False)).to_be_visible()
        expect(
            page.get_by_text("Gale Warning issued by NWS San Diego CA", exact=False)
        ).to_be_visible()
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="Max gusts")
        expect(metric).to_contain_text("42 kt")
        assert {r["path"] for r in nws.requests} >= {"/gridpoints/SGX/55,13"}
        SHOTS.mkdir(exist_ok=True)
        page.get_by_text("Weather: No-go").evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"ops-weather-{size}.png"))
        page.get_by_role("tab", name="Weather").click()
        expect(page.get_by_text("Weather limits per vessel")).to_be_visible()
        expect(page.get_by_role("button", name="Save limits")).to_be_visible()
        page.get_by_text("Weather limits per vessel").evaluate("e => e.scrollIntoView()")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"ops-weather-limits-{size}.png"))
    finally:
        context.close()
