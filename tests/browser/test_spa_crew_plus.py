"""The crew app's [crew-plus] screens on a phone (390x844, Chromium): the calendar link,
availability, offer and take (with the race explained), sign-in by short code, Departed and
Back on the captain's card, and the weather card from a fake National Weather Service."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from core.ops.float_plan import FloatPlan
from core.ops.models import OpsUser
from devtools.fake_nws import FakeNws, alert, fake_nws, grid
from tests.browser.test_spa import PHONE, Spa, new_trip, running_spa, shot, sign_in_by_link
from tests.browser.test_spa_admin import error_under, fits_the_phone

pytestmark = pytest.mark.browser
ZONE = "America/Los_Angeles"
CALM_HOURS = 48  # the fake forecast: calm for two days, then a gale for the rest of the week


@pytest.fixture(scope="module")
def nws() -> Iterator[FakeNws]:
    """A fake NWS: calm for 48 h from now, then a gale with its warning."""
    with fake_nws() as server:
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        calm = grid(now, wind_kt=8, gust_kt=12, wave_ft=2, hours=CALM_HOURS)
        gale = grid(now + timedelta(hours=CALM_HOURS), 34, 42, 11, hours=7 * 24 - CALM_HOURS)
        for name in ("windSpeed", "windGust", "waveHeight"):
            calm["properties"][name]["values"] += gale["properties"][name]["values"]
        server.weather = calm
        gale_from = now + timedelta(hours=CALM_HOURS)
        server.alerts = [alert("Gale Warning", gale_from, now + timedelta(days=7), "Severe")]
        yield server


@pytest.fixture(scope="module")
def spa(tmp_path_factory: pytest.TempPathFactory, nws: FakeNws) -> Iterator[Spa]:
    saved = os.environ.get("WEATHER_API_BASE")
    os.environ["WEATHER_API_BASE"] = nws.base  # read when the server's settings are built
    try:
        with running_spa(tmp_path_factory.mktemp("spa-crew-plus")) as running:
            yield running
    finally:
        if saved is None:
            os.environ.pop("WEATHER_API_BASE", None)
        else:
            os.environ["WEATHER_API_BASE"] = saved


def person(spa: Spa, email: str, role: str = "crew") -> tuple[OpsUser, str]:
    """A captain or crew member (a valid licence for captains) and a sign-in link."""
    licence = (datetime.now(UTC) + timedelta(days=400)).date() if role == "captain" else None
    inv = spa.wired.access.invite(
        spa.admin,
        email=email,
        name=email.split("@")[0].title(),
        role=role,
        licence_expires=licence,
        send=False,
    )
    return inv.user, inv.link


def phone_for(browser: Browser, spa: Spa, link: str) -> tuple[BrowserContext, Page]:
    """A phone (San Diego clock) signed in with ``link``, on the trips list."""
    context = browser.new_context(viewport=PHONE, timezone_id=ZONE)
    page = context.new_page()
    sign_in_by_link(page, link)
    expect(page.get_by_role("heading", name="Upcoming trips")).to_be_visible()
    return context, page


def fetch(url: str) -> tuple[int, str]:
    """GET ``url``: status and text (404s included)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_calendar_link_copy_open_and_make_a_new_one(browser: Browser, spa: Spa) -> None:
    eid = new_trip(spa, days=4, title="Feed sail")
    user, link = person(spa, "feed@example.com")
    spa.wired.ops.claim(user, eid, "crew")
    context, page = phone_for(browser, spa, link)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=spa.url)
    page.get_by_role("link", name="Add to my calendar").click()
    box = page.get_by_label("Your calendar link")
    expect(box).to_be_visible()
    old = box.input_value()
    assert old.startswith(f"{spa.url}/api/calendar/") and old.endswith(".ics")
    webcal = page.get_by_role("link", name="Open in my calendar app").get_attribute("href")
    assert webcal == "webcal://" + old.split("://", 1)[1]
    status, ics = fetch(old)
    assert status == 200 and "BEGIN:VCALENDAR" in ics and "Feed sail" in ics
    page.get_by_role("button", name="Copy the link").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == old
    fits_the_phone(page)
    shot(page, "crew-calendar")

    page.get_by_role("button", name="Make a new link").click()
    expect(page.get_by_role("dialog")).to_contain_text("The old link stops working")
    page.get_by_role("button", name="Yes, make a new link").click()
    expect(page.get_by_text("The old one no longer works")).to_be_visible()
    new = box.input_value()
    assert new != old
    assert fetch(old)[0] == 404 and fetch(new)[0] == 200
    context.close()


def test_availability_add_keeps_typing_on_error_and_remove(browser: Browser, spa: Spa) -> None:
    user, link = person(spa, "away@example.com")
    context, page = phone_for(browser, spa, link)
    page.get_by_role("link", name="When I can't sail").click()
    expect(page.get_by_text("None: you are free for any trip.")).to_be_visible()
    day = (datetime.now(UTC) + timedelta(days=5)).date()
    page.get_by_label("From").fill(f"{day}T18:00")
    page.get_by_label("Until").fill(f"{day}T09:00")  # before From
    page.get_by_role("button", name="Add").click()
    expect(error_under(page, "Until")).to_have_text("after from")
    expect(page.get_by_label("From")).to_have_value(f"{day}T18:00")
    assert spa.records.availability(user.id) == []
    fits_the_phone(page)
    shot(page, "crew-availability-error")
    page.get_by_label("Until").fill(f"{day + timedelta(days=2)}T09:00")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    (away,) = spa.records.availability(user.id)
    assert away.ends_at - away.starts_at == timedelta(hours=39)
    expect(page.get_by_role("button", name="Remove")).to_have_count(1)
    shot(page, "crew-availability")
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("None: you are free for any trip.")).to_be_visible()
    assert spa.records.availability(user.id) == []
    context.close()


def test_offer_then_two_takers_one_wins_the_other_is_told(browser: Browser, spa: Spa) -> None:
    eid = new_trip(spa, days=0.5, title="Swap sail")  # within 24 h: no plain release
    holder, holder_link = person(spa, "holder@example.com")
    spa.wired.ops.claim(holder, eid, "crew")
    context, page = phone_for(browser, spa, holder_link)
    page.get_by_role("link", name="Swap sail").click()
    page.get_by_role("button", name="Offer my slot").click()
    expect(page.get_by_text("Your crew slot is offered")).to_be_visible()
    shot(page, "crew-offered")
    context.close()

    quick, quick_link = person(spa, "quick@example.com")
    _, slow_link = person(spa, "slow@example.com")
    first, fast = phone_for(browser, spa, quick_link)
    second, late = phone_for(browser, spa, slow_link)
    for p in (fast, late):
        expect(p.get_by_role("heading", name="Slots offered")).to_be_visible()
        expect(p.get_by_role("button", name="Take this slot")).to_be_visible()
    shot(late, "crew-offers-list")
    fast.get_by_role("button", name="Take this slot").click()
    expect(fast.get_by_text("The crew slot on Swap sail is yours now.")).to_be_visible()
    late.get_by_role("button", name="Take this slot").click()
    expect(late.get_by_text("Someone else took this slot a moment before you")).to_be_visible()
    fits_the_phone(late)
    shot(late, "crew-offer-taken")
    assert [c.user_id for c in spa.records.claims(eid)] == [quick.id]
    first.close()
    second.close()


def test_the_office_cancels_an_offer_and_the_form_waits_for_the_day(
    browser: Browser, spa: Spa
) -> None:
    eid = new_trip(spa, days=3, title="Office offer sail")
    holder, _ = person(spa, "office-holder@example.com", "captain")
    spa.wired.ops.claim(holder, eid, "captain")
    offer = spa.wired.ops.offer_slot(holder, eid, "captain")
    context, page = phone_for(browser, spa, spa.wired.access.admin_link("office@example.com").link)
    page.get_by_role("link", name="Office offer sail").click()
    expect(page.get_by_text("offered", exact=True)).to_be_visible()  # beside Captain 1
    expect(page.get_by_role("button", name="Departed")).to_have_count(0)  # three days ahead
    page.get_by_role("button", name="Cancel offer").click()
    expect(page.get_by_text("Offer withdrawn.")).to_be_visible()
    assert spa.records.get_offer(offer.id).status == "cancelled"
    assert [c.user_id for c in spa.records.claims(eid)] == [holder.id]  # still on the trip
    context.close()


def test_a_guest_gets_a_calendar_link_but_no_availability(browser: Browser, spa: Spa) -> None:
    eid = new_trip(spa, days=6, title="Guest feed sail")
    guest = spa.wired.ops.add_guest(spa.admin, eid, email="gfeed@example.com", name="Gia")
    link = spa.wired.access.guest_link(spa.admin, eid, guest.id).link
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in_by_link(page, link)
    expect(page.get_by_role("heading", name="Your trip")).to_be_visible()
    expect(page.get_by_role("link", name="When I can't sail")).to_have_count(0)
    page.get_by_role("link", name="Add to my calendar").click()
    status, ics = fetch(page.get_by_label("Your calendar link").input_value())
    assert status == 200 and "Guest feed sail" in ics
    context.close()


def test_sign_in_with_the_short_code_from_the_email(browser: Browser, spa: Spa) -> None:
    inv = spa.wired.access.invite(
        spa.admin, email="laptop@example.com", name="Lap", role="crew", send=False
    )
    assert inv.short_code
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{spa.url}/#/signin")
    page.get_by_label("Your email").fill("laptop(at)example.com")
    page.get_by_label("Code from the email").fill(inv.short_code)
    page.get_by_role("button", name="Sign in with the code").click()
    expect(error_under(page, "Your email")).to_have_text("not an email address (one @ needed)")
    page.get_by_label("Your email").fill("laptop@example.com")
    page.get_by_label("Code from the email").fill("WXYZ-WXYZ")
    page.get_by_role("button", name="Sign in with the code").click()
    expect(page.get_by_text("This link or code does not work")).to_be_visible()
    fits_the_phone(page)
    shot(page, "crew-signin-code")
    page.get_by_label("Code from the email").fill(inv.short_code.lower())
    page.get_by_role("button", name="Sign in with the code").click()
    expect(page.get_by_role("heading", name="Upcoming trips")).to_be_visible()
    context.close()


def test_departed_and_back_on_the_captains_card(browser: Browser, spa: Spa) -> None:
    eid = new_trip(spa, days=0.2, title="Float sail")
    captain, link = person(spa, "skipper@example.com", "captain")
    spa.wired.ops.claim(captain, eid, "captain")
    context, page = phone_for(browser, spa, link)
    page.get_by_role("link", name="Float sail").click()
    expect(page.get_by_label("Back by (ETA)")).not_to_have_value("")  # the trip's return
    page.get_by_role("button", name="Departed").click()
    expect(error_under(page, "Souls on board")).to_have_text("a whole number from 1 to 999")
    assert spa.records.float_plan(eid) is None
    fits_the_phone(page)
    shot(page, "captain-departed-form")
    page.get_by_label("Souls on board").fill("6")
    page.get_by_role("button", name="Departed").click()
    expect(page.get_by_text("6 on board")).to_be_visible()
    expect(page.get_by_text("Out", exact=True)).to_be_visible()
    plan = spa.records.float_plan(eid)
    assert plan is not None and plan.souls_on_board == 6 and plan.returned_at is None
    shot(page, "captain-out")
    page.get_by_role("button", name="Back", exact=True).click()
    page.get_by_role("button", name="Yes, we are back").click()
    expect(page.get_by_text("Back", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Back", exact=True)).to_have_count(0)
    assert spa.records.float_plan(eid).returned_at is not None  # type: ignore[union-attr]
    context.close()


def test_an_overdue_trip_says_so(browser: Browser, spa: Spa) -> None:
    eid = new_trip(spa, days=0.01, title="Late sail")
    captain, link = person(spa, "late-skipper@example.com", "captain")
    spa.wired.ops.claim(captain, eid, "captain")
    now = datetime.now(UTC)
    event = spa.records.get_event(eid)
    spa.records.depart(
        FloatPlan(eid, event.entity, now - timedelta(hours=3), now - timedelta(hours=1), 4, "x")
    )
    context, page = phone_for(browser, spa, link)
    page.get_by_role("link", name="Late sail").click()
    expect(page.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(page.get_by_text('Tap "Back" as soon as you are in.')).to_be_visible()
    shot(page, "captain-overdue")
    context.close()


def test_weather_card_go_no_go_and_unknown(browser: Browser, spa: Spa) -> None:
    calm = new_trip(spa, days=1, title="Calm sail")
    windy = new_trip(spa, days=4, title="Gale sail")
    far = new_trip(spa, days=20, title="Far sail")
    _, link = person(spa, "wx@example.com")
    context, page = phone_for(browser, spa, link)
    card = page.get_by_role("region", name="Weather")

    page.goto(f"{spa.url}/#/events/{calm}")
    expect(card.get_by_text("Go", exact=True)).to_be_visible()
    expect(card.get_by_text("8 kt", exact=True)).to_be_visible()
    expect(card.get_by_text("12 kt", exact=True)).to_be_visible()
    expect(card.get_by_text("2 ft", exact=True)).to_be_visible()
    expect(card).to_contain_text("National Weather Service")
    fits_the_phone(page)
    shot(page, "weather-go")

    page.goto(f"{spa.url}/#/events/{windy}")
    expect(card.get_by_text("No-go", exact=True)).to_be_visible()
    expect(card.get_by_text("34 kt", exact=True)).to_be_visible()
    expect(card).to_contain_text("Gale Warning")
    assert card.locator("ul.reasons li").count() >= 1  # the reasons behind the flag
    fits_the_phone(page)
    shot(page, "weather-no-go")

    page.goto(f"{spa.url}/#/events/{far}")
    expect(card.get_by_text("Forecast unknown", exact=True)).to_be_visible()
    expect(card).to_contain_text("check again nearer the day")  # the reason, in words
    expect(card).to_contain_text("Check the marine forecast yourself")
    shot(page, "weather-unknown")
    context.close()


def test_crew_screens_on_a_laptop(browser: Browser, spa: Spa) -> None:
    """The trips list with an offer, and the calendar screen, at 1440x900 (screenshots)."""
    eid = new_trip(spa, days=2, title="Laptop offer sail")
    holder, _ = person(spa, "laptop-holder@example.com")
    spa.wired.ops.claim(holder, eid, "crew")
    spa.wired.ops.offer_slot(holder, eid, "crew")
    _, link = person(spa, "laptop-crew@example.com")
    context = browser.new_context(viewport={"width": 1440, "height": 900}, timezone_id=ZONE)
    page = context.new_page()
    sign_in_by_link(page, link)
    expect(page.get_by_role("heading", name="Slots offered")).to_be_visible()
    shot(page, "crew-list-1440")
    page.get_by_role("link", name="Add to my calendar").click()
    expect(page.get_by_label("Your calendar link")).to_be_visible()
    shot(page, "crew-calendar-1440")
    page.goto(f"{spa.url}/#/events/{eid}")
    expect(page.get_by_role("region", name="Weather")).to_be_visible()
    shot(page, "crew-trip-1440")
    context.close()
