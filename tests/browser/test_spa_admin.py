"""The crew app's admin screens on a phone (390x844, Chromium): create, edit and cancel a trip,
invite crew, add guests and resend their waiver links, remove someone from a slot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.config import get_settings
from tests.browser.test_spa import PHONE, Spa, new_trip, running_spa, shot, sign_in_by_link

pytestmark = pytest.mark.browser
ZONE = "America/Los_Angeles"  # the phone's zone, as on the dock in San Diego


@pytest.fixture(scope="module")
def spa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spa]:
    with running_spa(tmp_path_factory.mktemp("spa-admin")) as running:
        yield running


@pytest.fixture
def office(browser: Browser, spa: Spa) -> Iterator[Page]:
    """An admin signed in on a phone whose clock is in San Diego."""
    context = browser.new_context(viewport=PHONE, timezone_id=ZONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in_by_link(page, spa.wired.access.admin_link("office@example.com").link)
    expect(page.get_by_role("heading", name="Upcoming trips")).to_be_visible()
    yield page
    # a 4xx shown to the user is logged by Chromium as a failed load: not a script error
    assert [e for e in errors if "Failed to load resource" not in e] == []
    context.close()


def error_under(page: Page, label: str) -> Locator:
    """Where the message for the field labelled ``label`` shows."""
    control = page.get_by_label(label, exact=True)
    return page.locator(f"#{control.get_attribute('id')}-err")


def fits_the_phone(page: Page) -> None:
    """Tap targets >= 44 px, no sideways scroll, no label cut off, no stray null/undefined."""
    words = page.locator("main").inner_text().split()
    assert "null" not in words and "undefined" not in words
    for target in page.locator("button:visible, a.button:visible").all():
        box = target.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, target.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('label, legend, button, a.button')]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => el.scrollWidth > el.clientWidth + 1
                || el.getBoundingClientRect().right > window.innerWidth)
            .map((el) => el.textContent)"""
    )
    assert clipped == []


def test_new_trip_keeps_what_was_typed_and_shows_the_api_messages(office: Page, spa: Spa) -> None:
    office.get_by_role("link", name="New trip").click()
    expect(office.get_by_role("heading", name="New trip")).to_be_visible()
    office.get_by_label("Business").fill("QueenofSanDiego")
    office.get_by_label("Vessel (optional)").fill("JADA")
    office.get_by_label("Duration (minutes)").fill("5")
    office.get_by_label("Crew", exact=True).fill("25")
    office.get_by_role("button", name="Create trip").click()
    expect(office.get_by_text("Please check the fields marked below.")).to_be_visible()
    expect(error_under(office, "Title")).to_have_text("required")
    expect(error_under(office, "Departs")).to_have_text("required")
    expect(error_under(office, "Duration (minutes)")).to_have_text("whole minutes from 15 to 20160")
    expect(office.get_by_text("an object {captain: 0-20, crew: 0-20}")).to_be_visible()
    expect(office.get_by_label("Title")).to_be_focused()  # the first field to fix
    expect(office.get_by_label("Vessel (optional)")).to_have_value("JADA")  # nothing lost
    expect(office.get_by_label("Business")).to_have_value("QueenofSanDiego")
    fits_the_phone(office)
    shot(office, "admin-new-trip-errors")

    day = (datetime.now(UTC) + timedelta(days=10)).date()
    office.get_by_label("Title").fill("Whale watch <b>&amp;</b>")
    office.get_by_label("Departs").fill(f"{day}T17:30")
    office.get_by_label("Duration (minutes)").fill("150")
    office.get_by_label("Crew", exact=True).fill("2")
    office.get_by_role("button", name="Create trip").click()
    expect(office.get_by_role("heading", name="Whale watch <b>&amp;</b>")).to_be_visible()
    made = [
        e
        for e in spa.records.list_events(datetime.now(UTC), datetime.now(UTC) + timedelta(days=30))
        if e.title == "Whale watch <b>&amp;</b>"
    ]
    assert len(made) == 1
    # typed in the phone's zone (San Diego), stored as that instant
    assert made[0].starts_at == datetime.fromisoformat(f"{day}T17:30").replace(
        tzinfo=ZoneInfo(ZONE)
    )
    assert (made[0].slots, made[0].duration_minutes, made[0].vessel) == (
        {"captain": 1, "crew": 2},
        150,
        "JADA",
    )
    expect(office.get_by_text("Departure", exact=True)).to_be_visible()
    shot(office, "admin-trip")


def test_edit_then_cancel_with_a_confirm(office: Page, spa: Spa) -> None:
    eid = new_trip(spa, title="Harbor tour")
    office.reload()
    office.get_by_role("link", name="Harbor tour").click()
    office.get_by_role("link", name="Edit trip").click()
    expect(office.get_by_label("Title")).to_have_value("Harbor tour")
    office.get_by_label("Title").fill("Harbor tour (long)")
    office.get_by_label("Duration (minutes)").fill("")
    office.get_by_role("button", name="Save changes").click()
    expect(error_under(office, "Duration (minutes)")).to_have_text("whole minutes from 15 to 20160")
    assert spa.records.get_event(eid).title == "Harbor tour"  # nothing saved on an error
    expect(office.get_by_label("Title")).to_have_value("Harbor tour (long)")
    office.get_by_label("Duration (minutes)").fill("240")
    office.get_by_role("button", name="Save changes").click()
    expect(office.get_by_role("heading", name="Harbor tour (long)")).to_be_visible()
    saved = spa.records.get_event(eid)
    assert (saved.title, saved.duration_minutes) == ("Harbor tour (long)", 240)

    office.get_by_role("button", name="Cancel trip").click()
    dialog = office.get_by_role("dialog")
    expect(dialog).to_contain_text("Cancel this trip?")
    fits_the_phone(office)
    shot(office, "admin-cancel-confirm")
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_have_count(0)
    assert spa.records.get_event(eid).status == "scheduled"
    office.get_by_role("button", name="Cancel trip").click()
    office.get_by_role("button", name="Yes, cancel the trip").click()
    expect(office.get_by_text("This trip is cancelled.")).to_be_visible()
    assert spa.records.get_event(eid).status == "cancelled"
    expect(office.get_by_role("button", name="Cancel trip")).to_have_count(0)


def test_invite_a_captain_with_licence_and_entities(office: Page, spa: Spa) -> None:
    new_trip(spa, title="Scope sail")  # so QueenofSanDiego is offered as a choice
    office.reload()
    office.get_by_role("link", name="Invite crew").click()
    expect(office.get_by_label("Captain's licence valid until")).to_be_hidden()
    office.get_by_label("Email").fill("skipper(at)example.com")
    office.get_by_label("Name").fill("Skip Per")
    office.get_by_label("Role").select_option("captain")
    expect(office.get_by_label("Captain's licence valid until")).to_be_visible()
    office.get_by_label("Captain's licence valid until").fill("2028-03-31")
    office.get_by_label("QueenofSanDiego").check()
    office.get_by_role("button", name="Send invite").click()
    expect(error_under(office, "Email")).to_have_text("not an email address (one @ needed)")
    expect(office.get_by_label("Name")).to_have_value("Skip Per")
    expect(office.get_by_label("QueenofSanDiego")).to_be_checked()
    assert spa.records.find_user("skipper(at)example.com") is None
    fits_the_phone(office)
    shot(office, "admin-invite-error")

    office.get_by_label("Email").fill("skipper@example.com")
    office.get_by_role("button", name="Send invite").click()
    expect(office.get_by_text("Invite sent to skipper@example.com")).to_be_visible()
    user = spa.records.find_user("skipper@example.com")
    assert user is not None
    assert (user.role, user.licence_expires, user.entities) == (
        "captain",
        date(2028, 3, 31),
        frozenset({"QueenofSanDiego"}),
    )
    link = office.get_by_label("Sign-in link").input_value()
    assert "code=" in link
    shot(office, "admin-invite-sent")


def test_invite_outside_my_scope_is_refused_in_words(browser: Browser, spa: Spa) -> None:
    link = spa.wired.access.invite(
        spa.admin,
        email="qsd-office@example.com",
        name="QSD office",
        role="admin",
        entities=["QueenofSanDiego"],
        send=False,
    ).link
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in_by_link(page, link)
    page.get_by_role("link", name="Invite crew").click()
    page.get_by_label("Email").fill("deck@example.com")
    page.get_by_role("button", name="Send invite").click()
    expect(error_under(page, "Name")).to_have_text("required text, at most 1000 bytes")
    page.get_by_label("Name").fill("Deck Hand")
    page.get_by_label("Businesses, comma-separated").fill("QuickDumpNow")
    page.get_by_role("button", name="Send invite").click()
    expect(
        page.get_by_text("you can only invite people to the entities you manage")
    ).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Deck Hand")
    assert spa.records.find_user("deck@example.com") is None
    context.close()


def test_add_guests_and_resend_the_waiver_link(office: Page, spa: Spa) -> None:
    eid = new_trip(spa, title="Guest list sail")
    office.reload()
    office.get_by_role("link", name="Guest list sail").click()
    office.get_by_label("Guest's name").fill("Ana Ruiz")
    office.get_by_label("Guest's email").fill("ana@")
    office.get_by_role("button", name="Add guest").click()
    expect(error_under(office, "Guest's email")).to_have_text("not an email address")
    expect(office.get_by_label("Guest's name")).to_have_value("Ana Ruiz")
    assert spa.records.guests(eid) == []
    office.get_by_label("Guest's email").fill("ana@example.com")
    office.get_by_role("button", name="Add guest").click()
    expect(office.get_by_text("Ana Ruiz is on the guest list")).to_be_visible()
    expect(office.get_by_text("On hold: no waiver")).to_be_visible()
    assert [g.email for g in spa.records.guests(eid)] == ["ana@example.com"]
    outbox = get_settings().outbox_dir

    def mails_to_ana() -> int:
        return sum("ana@example.com" in p.read_text() for p in outbox.glob("**/*.eml"))

    sent = mails_to_ana()
    assert sent >= 1
    office.get_by_role("button", name="Resend link").click()
    expect(office.get_by_text("A new waiver link is on its way to ana@example.com")).to_be_visible()
    assert mails_to_ana() == sent + 1
    fits_the_phone(office)
    shot(office, "admin-guests")


def test_remove_someone_from_a_slot(office: Page, spa: Spa) -> None:
    eid = new_trip(spa, title="Slot board sail")
    crew = spa.wired.access.invite(
        spa.admin, email="deck@example.com", name="Deck", role="crew", send=False
    ).user
    spa.wired.ops.claim(crew, eid, "crew")
    office.reload()
    office.get_by_role("link", name="Slot board sail").click()
    office.get_by_role("button", name="Remove from Crew 1").click()
    office.get_by_role("dialog").get_by_role("button", name="No").click()
    assert [c.user_id for c in spa.records.claims(eid)] == [crew.id]
    office.get_by_role("button", name="Remove from Crew 1").click()
    office.get_by_role("button", name="Yes, remove").click()
    expect(office.get_by_role("button", name="Remove from Crew 1")).to_have_count(0)
    assert spa.records.claims(eid) == []
    fits_the_phone(office)


def test_crew_see_no_admin_screens(browser: Browser, spa: Spa) -> None:
    new_trip(spa, title="Crew only sail")
    link = spa.wired.access.invite(
        spa.admin, email="plain@example.com", name="Plain", role="crew", send=False
    ).link
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in_by_link(page, link)
    expect(page.get_by_role("heading", name="Upcoming trips")).to_be_visible()
    expect(page.get_by_role("link", name="New trip")).to_have_count(0)
    page.goto(f"{spa.url}/#/invite")
    expect(page.get_by_role("heading", name="Upcoming trips")).to_be_visible()
    page.get_by_role("link", name="Crew only sail").click()
    expect(page.get_by_role("button", name="Take crew slot")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel trip")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit trip")).to_have_count(0)
    context.close()


def test_admin_screens_on_a_laptop(browser: Browser, spa: Spa) -> None:
    """The same screens at 1440x900, for the screenshots."""
    new_trip(spa, title="Laptop sail")
    context = browser.new_context(viewport={"width": 1440, "height": 900}, timezone_id=ZONE)
    page = context.new_page()
    sign_in_by_link(page, spa.wired.access.admin_link("office@example.com").link)
    expect(page.get_by_role("link", name="New trip")).to_be_visible()
    shot(page, "admin-list-1440")
    page.get_by_role("link", name="Laptop sail").click()
    expect(page.get_by_role("link", name="Edit trip")).to_be_visible()
    shot(page, "admin-trip-1440")
    page.goto(f"{spa.url}/#/invite")
    expect(page.get_by_role("button", name="Send invite")).to_be_visible()
    shot(page, "admin-invite-1440")
    context.close()
