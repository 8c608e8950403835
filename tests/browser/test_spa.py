"""The crew and guest SPA in headless Chromium at 390x844, against `lambda_app.serve`."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.config import get_settings
from core.ops.factory import open_ops_store
from core.ops.login_codes import LoginCode
from core.ops.models import OpsUser
from core.ops.store import OpsStore
from core.ops_access.codes import code_hash
from core.ops_access.wiring import OpsAccess
from devtools.dynamodb_local import free_port
from lambda_app.deps import deps
from lambda_app.serve import Handler
from tests.browser.conftest import SHOTS

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Spa:
    url: str
    wired: OpsAccess
    admin: OpsUser
    records: OpsStore  # the same store, opened on its own, to check what the SPA changed


@contextmanager
def running_spa(data_dir: Path) -> Iterator[Spa]:
    """`lambda_app.serve` on a free port over a fresh SQLite ops store in ``data_dir``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "EXEC_DATA_DIR": str(data_dir),
        "JWT_SECRET": "spa-test-secret-that-is-long-enough-1234",
        "APP_URL": url,
        "OPS_BACKEND": "sqlite",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    deps.cache_clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    wired = deps()
    admin = wired.access.admin_link("office@example.com", "Office").user
    try:
        yield Spa(url, wired, admin, open_ops_store(get_settings()))
    finally:
        httpd.shutdown()
        httpd.server_close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()
        deps.cache_clear()


@pytest.fixture(scope="module")
def spa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spa]:
    with running_spa(tmp_path_factory.mktemp("spa")) as running:
        yield running


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.csp_errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda m: (
            page.csp_errors.append(m.text)  # type: ignore[attr-defined]
            if "Content Security Policy" in m.text
            else None
        ),
    )
    yield page
    assert page.csp_errors == []  # type: ignore[attr-defined]
    context.close()


def new_trip(spa: Spa, days: float = 3, title: str = "Sunset sail") -> str:
    start = (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)
    event = spa.wired.ops.create_event(
        spa.admin,
        {
            "entity": "QueenofSanDiego",
            "title": title,
            "vessel": "JADA",
            "starts_at": start.isoformat(),
            "duration_minutes": 150,
            "slots": {"captain": 1, "crew": 1},
            "guests_max": 4,
        },
    )
    return event.id


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    # the sticky bar would be drawn over the page's middle in a full-page picture
    page.evaluate("document.querySelector('.bar').style.position = 'static'")
    page.screenshot(path=str(SHOTS / f"spa-{name}.png"), full_page=True)
    page.evaluate("document.querySelector('.bar').style.position = ''")


def sign_in_by_link(page: Page, link: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Confirm sign-in")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()


def test_crew_flow_invite_claim_tick_release(phone: Page, spa: Spa) -> None:
    eid = new_trip(spa, title="Crew flow sail")
    link = spa.wired.access.invite(
        spa.admin, email="mo@example.com", name="Mo", role="crew", send=False
    ).link
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Confirm sign-in")).to_be_visible()
    shot(phone, "confirm")
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", name="Upcoming trips")).to_be_visible()
    shot(phone, "events")
    phone.get_by_role("link", name="Crew flow sail").click()
    expect(phone.get_by_text("Boarding")).to_be_visible()
    phone.get_by_role("button", name="Take crew slot").click()
    expect(phone.get_by_role("button", name="Release my slot")).to_be_visible()
    box = phone.get_by_label("Check weather and marine forecast")
    box.check()
    expect(phone.get_by_text("1 of 11 done")).to_be_visible()
    phone.wait_for_timeout(300)
    items = spa.records.checklist(eid)
    assert [i.done for i in items if i.id == "pre_departure-1"] == [True]
    shot(phone, "event-crew")
    phone.get_by_role("button", name="Release my slot").click()
    expect(phone.get_by_role("button", name="Take crew slot")).to_be_visible()
    assert spa.records.claims(eid) == []


def test_late_release_is_explained(phone: Page, spa: Spa) -> None:
    eid = new_trip(spa, days=0.5, title="Tonight sail")
    inv = spa.wired.access.invite(
        spa.admin, email="tj@example.com", name="TJ", role="crew", send=False
    )
    spa.wired.ops.claim(inv.user, eid, "crew")
    sign_in_by_link(phone, inv.link)
    phone.get_by_role("link", name="Tonight sail").click()
    phone.get_by_role("button", name="Release my slot").click()
    expect(phone.get_by_text("only the office can release your slot")).to_be_visible()


def test_guest_flow_waiver_with_guardian_rules(phone: Page, spa: Spa) -> None:
    eid = new_trip(spa, title="Guest flow sail")
    guest = spa.wired.ops.add_guest(spa.admin, eid, email="ana@example.com", name="Ana")
    link = spa.wired.access.guest_link(spa.admin, eid, guest.id).link
    sign_in_by_link(phone, link)
    expect(phone.get_by_role("heading", name="Your trip")).to_be_visible()
    phone.get_by_role("link", name="Guest flow sail").click()
    phone.get_by_role("link", name="Sign the waiver").click()
    phone.get_by_label("Your full name", exact=True).fill("Ana Ruiz")
    phone.get_by_label("Date of birth").fill("2012-03-04")
    expect(phone.get_by_label("Guardian's full name")).to_be_visible()  # under 18
    phone.get_by_label("Emergency contact", exact=True).fill("Luis Ruiz")
    phone.get_by_label("Emergency contact phone").fill("+1 619 555 0142")
    phone.get_by_label("Signature (type your full name)").fill("Ana Ruiz")
    phone.get_by_label("I accept the waiver").check()
    phone.get_by_role("button", name="Sign the waiver").click()
    expect(phone.get_by_text("Please fill this in.").first).to_be_visible()  # guardian missing
    shot(phone, "waiver")
    assert spa.records.get_guest(eid, guest.id).status == "on_hold"
    phone.get_by_label("Date of birth").fill("1990-03-04")
    expect(phone.get_by_label("Guardian's full name")).to_be_hidden()
    phone.get_by_role("button", name="Sign the waiver").click()
    expect(phone.get_by_text("is cleared to board")).to_be_visible()
    shot(phone, "waiver-done")
    assert spa.records.get_guest(eid, guest.id).status == "cleared"


def test_check_in_refused_while_on_hold(phone: Page, spa: Spa) -> None:
    eid = new_trip(spa, title="Manifest sail")
    spa.wired.ops.add_guest(spa.admin, eid, email="ben@example.com", name="Ben")
    lic = (datetime.now(UTC) + timedelta(days=400)).date()
    inv = spa.wired.access.invite(
        spa.admin,
        email="cal@example.com",
        name="Cal",
        role="captain",
        licence_expires=lic,
        send=False,
    )
    spa.wired.ops.claim(inv.user, eid, "captain")
    sign_in_by_link(phone, inv.link)
    phone.get_by_role("link", name="Manifest sail").click()
    expect(phone.get_by_text("On hold: no waiver")).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^since \w"))).to_be_visible()  # unsigned since when
    phone.get_by_role("button", name="Check in").click()
    expect(phone.get_by_text("has not signed the waiver yet")).to_be_visible()
    shot(phone, "manifest")


def test_expired_code_is_explained(phone: Page, spa: Spa) -> None:
    user = spa.wired.ops.add_user(email="late@example.com", name="Late", role="crew")
    old = datetime.now(UTC) - timedelta(minutes=1)
    spa.wired.access.codes.put_code(LoginCode(code_hash("EXPRD23456"), user.id, "login", old))
    sign_in_by_link(phone, f"{spa.url}/#/claim?code=EXPRD23456")
    expect(phone.get_by_text("has expired")).to_be_visible()
    shot(phone, "expired")


def test_first_load_is_small_and_secured(phone: Page, spa: Spa) -> None:
    sizes: dict[str, int] = {}
    phone.on("response", lambda r: sizes.update({r.url: len(r.body())}) if r.ok else None)
    response = phone.goto(f"{spa.url}/#/signin")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    frontend = Path(__file__).resolve().parents[2] / "lambda_app/frontend"
    # every module and the stylesheet come before the first screen: all of them count
    assert {f"{spa.url}/{f.name}" for f in frontend.glob("*.[jc]s*")} <= set(sizes)
    assert sum(sizes.values()) <= 100 * 1024
    html = frontend / "index.html"
    assert "<script>" not in html.read_text() and "style=" not in html.read_text()


def test_tap_targets_and_narrow_screens(browser: Browser, spa: Spa) -> None:
    new_trip(spa, title="Narrow sail")
    link = spa.wired.access.invite(
        spa.admin, email="narrow@example.com", name="Nara", role="crew", send=False
    ).link
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in_by_link(page, link)
    page.get_by_role("link", name="Narrow sail").click()
    expect(page.get_by_role("button", name="Take crew slot")).to_be_visible()
    for button in page.get_by_role("button").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in {"A", "BUTTON", "INPUT"}
    shot(page, "narrow-360")
    context.close()
