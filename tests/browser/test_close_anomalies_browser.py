"""The Close page's Anomalies section in headless Chromium: a planted double charge is listed
with its ledger lines, marked expected, and stays quiet in `close status` after."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.config import get_settings
from core.periods import first_day, format_period, month_add, month_label, month_of
from tests.browser.conftest import SHOTS, Server
from tests.browser.test_dashboard_browser import page, settle, sign_in

pytestmark = pytest.mark.browser
__all__ = ["page"]  # the fixture, re-used
PAYEE = "ANCHOR RIGGING WORKS"


def _last_month() -> int:
    return month_add(month_of(datetime.now(get_settings().tz).date()), -1)


def test_a_double_charge_is_listed_and_marked_expected(
    page: Page, server: Server, tmp_path: Path
) -> None:
    month = _last_month()
    day = first_day(month)
    csv = tmp_path / "rigging.csv"
    csv.write_text(
        "Date,Description,Amount\n"
        f"{day.replace(day=3)},{PAYEE} 0412,-812.40\n"
        f"{day.replace(day=5)},{PAYEE} 0413,-812.40\n"
    )
    out = server.cli(
        "import-csv", str(csv), "--entity", "JADA", "--account", "Assets:Bank:Checking"
    )
    run_id = re.search(r"import run (\d+)", out).group(1)  # type: ignore[union-attr]
    try:
        assert "Anomalies: 2 anomalies: Likely duplicate: ANCHOR RIGGING WORKS" in out
        sign_in(page, server, "owner@example.com", path="/close")
        expect(page.get_by_role("heading", name="Close", exact=True)).to_be_visible(timeout=30_000)
        page.get_by_label("Business").click()
        page.get_by_role("option", name="JADA (sailing yacht)", exact=True).click()
        settle(page)
        page.get_by_label("Month").click()
        page.get_by_role("option", name=month_label(month), exact=True).click()
        settle(page)
        expect(page.get_by_role("heading", name="Anomalies")).to_be_visible(timeout=30_000)
        duplicate = page.get_by_text(re.compile(f"Likely duplicate: {PAYEE}"))
        expect(duplicate).to_be_visible()
        expect(page.get_by_text(re.compile(f"First-time counterparty: {PAYEE}"))).to_be_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        duplicate.click()  # opens the expander: the lines and the actions
        settle(page)
        section = page.locator('[data-testid="stExpander"]').filter(has_text="Likely duplicate")
        expect(section.get_by_role("button", name="Mark expected")).to_be_visible()
        expect(section.locator('[data-testid="stDataFrame"]')).to_be_visible()
        for width, height, name in ((1440, 900, "desktop"), (390, 844, "phone")):
            page.set_viewport_size({"width": width, "height": height})
            section.scroll_into_view_if_needed()
            page.wait_for_timeout(800)
            page.screenshot(path=str(SHOTS / f"close-anomalies-{name}.png"))
        page.set_viewport_size({"width": 1400, "height": 4200})
        section.get_by_role("button", name="Mark expected").click()
        settle(page)
        expect(page.get_by_text(re.compile("marked expected$"))).to_be_visible(timeout=30_000)
        status = json.loads(
            server.cli(
                "close",
                "status",
                "--entity",
                "JADA",
                "--period",
                format_period(month),
                "--format",
                "json",
            )
        )
        kinds = {a["kind"] for a in status["anomalies"] if PAYEE in a["counterparty"]}
        assert kinds == {"new_counterparty"}  # the duplicate is quiet now, the other still open
    finally:
        server.cli("import-runs", "undo", run_id)
