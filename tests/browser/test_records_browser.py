"""Records in Chromium: the owner adds a client and an invoice on /records and sees them on
the Client billing page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from core.config import get_settings
from tests.browser.conftest import PASSWORD, SHOTS, Server, streamlit_server
from tests.browser.test_sessions_browser import fill_sign_in, settle

pytestmark = pytest.mark.browser
ENTITY = "Studio"


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    """A server over a fresh data folder: one owner and one consulting business, no records."""
    data_dir = tmp_path_factory.mktemp("records")
    srv = Server(url="", data_dir=data_dir)
    srv.cli("dashboard-user", "add", "owner@example.com", "--role", "owner",
            "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    srv.cli("entity", "add", ENTITY, "--name", "Studio", "--kind", "software-consultancy")
    with streamlit_server(data_dir) as url:
        warm = browser.new_context()  # the first session of a server can lose a deep link
        page = warm.new_page()
        page.goto(url + "/records")
        settle(page)
        warm.close()
        yield Server(url=url, data_dir=data_dir)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    yield ctx
    ctx.close()


def field(page: Page, table: str, name: str, n: int = 0) -> object:
    """The input of one field of ``table``'s form (keys: rec_<table>_<field>_<entity>_<n>)."""
    return page.locator(f".st-key-rec_{table}_{name}_{ENTITY}_{n}")


def choose(page: Page, table: str, name: str, option: str) -> None:
    field(page, table, name).click()  # Streamlit's selectbox opens a list of options
    page.get_by_role("option", name=option).first.click()


def open_billing(context: BrowserContext, studio: Server) -> Page:
    """Signed in as the owner on /records, the Client billing tab open."""
    page = context.new_page()
    page.goto(studio.url + "/records")
    settle(page)
    fill_sign_in(page, "owner@example.com")
    expect(page.get_by_role("heading", name="Records")).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("tab", name="Client billing").click()
    return page


def test_owner_adds_a_client_and_an_invoice_and_sees_them_billed(
    context: BrowserContext, studio: Server
) -> None:
    started = time.perf_counter()
    today = datetime.now(get_settings().tz).date()
    page = open_billing(context, studio)
    settle(page)

    page.get_by_role("button", name="Add client").click()  # no name: the error by the field
    expect(page.get_by_text("Is required")).to_be_visible(timeout=20_000)
    settle(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "records-client-error.png"))

    field(page, "clients", "name").locator("input").fill("Acme Corp")
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_text("Added client C0001")).to_be_visible(timeout=30_000)
    settle(page)

    page.get_by_role("tab", name="Client billing").click()
    page.locator(".st-key-rec_table_billing").get_by_text("Invoices", exact=True).click()
    settle(page)
    choose(page, "invoices", "client_id", "C0001 · Acme Corp")
    field(page, "invoices", "number").locator("input").fill("AC-1001")
    choose(page, "invoices", "kind", "project")
    date_box = field(page, "invoices", "issued_on").locator("input")
    date_box.fill(today.isoformat())
    date_box.press("Enter")
    field(page, "invoices", "amount").locator("input").fill("4,800")
    page.get_by_role("button", name="Add invoice").click()
    expect(page.get_by_text("Added invoice INV0001")).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("tab", name="Client billing").click()  # the tab and its table stay
    expect(page.get_by_text("The newest 1 invoice(s)")).to_be_visible()
    page.screenshot(path=str(SHOTS / "records-invoice-added.png"), full_page=True)

    page.goto(f"{studio.url}/client-billing?entity={ENTITY}&period={today:%Y-%m}")
    settle(page)
    expect(page.get_by_text("Acme Corp").first).to_be_visible(timeout=30_000)
    invoiced = page.locator('[data-testid="stMetric"]', has_text="Invoiced").first
    expect(invoiced).to_contain_text("$4,800")
    page.screenshot(path=str(SHOTS / "records-client-billing.png"), full_page=True)
    elapsed = time.perf_counter() - started
    print(f"records: sign in, a client and an invoice, seen on client billing in {elapsed:.1f} s")


def test_a_csv_with_bad_rows_lists_them_and_writes_nothing(
    context: BrowserContext, studio: Server
) -> None:
    page = open_billing(context, studio)
    page.get_by_text("Upload clients from a CSV file").click()
    csv = b"id,name,terms_days\n,Bayline,30\n,,ten\n"
    page.locator(".st-key-rec_csv_clients_0 input[type=file]").set_input_files(
        files=[{"name": "clients.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    settle(page)
    page.get_by_role("button", name="Add every row to clients").click()
    expect(page.get_by_text("row 3: Name is required")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("row 3: Payment terms (days) must be a whole number")).to_be_visible()
    settle(page)
    page.screenshot(path=str(SHOTS / "records-csv-problems.png"), full_page=True)
    expect(page.get_by_text("Bayline")).to_have_count(0)  # the good row was not written either
