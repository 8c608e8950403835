"""AppTest of /operations: the page shows the ops core's state and changes it through it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import add_user
from core.config import get_settings
from core.ledger.store import open_ledger
from core.ops.factory import open_ops_store
from core.ops.models import Event, utcnow
from dashboard import core_calls
from tests.dashboard.conftest import PASSWORD, sign_in


def open_operations(email: str = "owner@example.com") -> AppTest:
    at = sign_in(email)
    at.switch_page("views/operations.py").run()
    assert not at.exception, at.exception
    return at


def store_events() -> list[Event]:
    store = open_ops_store(get_settings())
    now = utcnow()
    return store.list_events(now - timedelta(hours=12), now + timedelta(days=90))


def test_upcoming_events_timing_and_manifest(ledger_dir: Path) -> None:
    at = open_operations()
    assert [t.value for t in at.title] == ["Operations"]
    table = at.dataframe[0].value
    assert list(table["Event"]) == [e.title for e in store_events()]
    # checklist progress in whole percent (1 of 11 ticked shows 9%, not 9.09%)
    assert table["Checklist"].iloc[0] == 9 and all(
        float(p).is_integer() for p in table["Checklist"]
    )
    assert [m.label for m in at.metric][:5] == [
        "Boarding",
        "Departure",
        "Return",
        "Sunset",
        "Civil dusk",
    ]
    # the sunset sail is back by civil dusk; the dinner cruise comes home after dark
    assert not any("Returns after dusk" in w.value for w in at.warning)
    check_in = [b for b in at.button if b.label == "Check in"]
    assert [b.disabled for b in check_in] == [False, True]  # Ben has not signed the waiver
    dinner = next(e for e in store_events() if e.title == "Anniversary dinner cruise")
    at.selectbox(key="ops_event").select(dinner).run()
    assert any("Returns after dusk" in w.value for w in at.warning)


def test_check_in_and_remove_go_through_the_core(ledger_dir: Path) -> None:
    at = open_operations()
    first = store_events()[0]
    next(b for b in at.button if b.label == "Check in" and not b.disabled).click().run()
    store = open_ops_store(get_settings())
    assert [g.status for g in store.guests(first.id)] == ["checked_in", "on_hold"]
    before = len(store.claims(first.id))
    next(b for b in at.button if b.label == "Remove").click().run()
    assert len(store.claims(first.id)) == before - 1


def test_create_event_from_the_form(ledger_dir: Path) -> None:
    at = open_operations()
    count = len(store_events())
    titles_inputs = [t for t in at.text_input if t.label == "Title"]
    titles_inputs[-1].input("Full moon sail")  # the "New event" tab comes last
    next(b for b in at.button if b.label == "Create event").click().run()
    assert not at.exception, at.exception
    titles = [e.title for e in store_events()]
    assert len(titles) == count + 1 and "Full moon sail" in titles


def test_roles_without_operations_cannot_open_it(ledger_dir: Path) -> None:
    at = sign_in("dump@example.com")  # a cfo: no operations page in their navigation
    assert not at.exception
    try:
        at.switch_page("views/operations.py").run()
    except Exception as exc:  # AppTest refuses pages that are not in the navigation
        assert "operations" in str(exc).lower() or "page" in str(exc).lower()
    assert not any(t.value == "Operations" for t in at.title)


def test_invite_crew_and_add_guest_show_links(ledger_dir: Path) -> None:
    at = open_operations()
    next(t for t in at.text_input if t.label == "Name").input("Nia Crew")
    next(t for t in at.text_input if t.label == "Email").input("nia@example.com")
    next(b for b in at.button if b.label == "Invite").click().run()
    assert not at.exception, at.exception
    links = [c.value for c in at.code]
    assert len(links) == 1 and "/#/claim?code=" in links[0]
    store = open_ops_store(get_settings())
    invited = store.find_user("nia@example.com")
    assert invited is not None and invited.role == "crew"

    next(t for t in at.text_input if t.label == "Guest name").input("Gia")
    next(t for t in at.text_input if t.label == "Guest email").input("gia@example.com")
    next(b for b in at.button if b.label == "Add guest").click().run()
    assert not at.exception, at.exception
    [link] = [c.value for c in at.code]
    assert link.startswith(get_settings().app_url)
    first = store_events()[0]
    assert "gia@example.com" in [g.email for g in store.guests(first.id)]


def test_a_scoped_ceo_runs_only_its_entities_and_is_never_stored(ledger_dir: Path) -> None:
    store = open_ledger(get_settings().ledger_url)
    add_user(
        store,
        email="centaur@example.com",
        role="ceo",
        password=PASSWORD,
        entities="DangerousCentaur",
    )
    at = open_operations("centaur@example.com")
    assert not at.dataframe or "Sunset sail" not in list(at.dataframe[0].value.get("Event", []))
    assert any("No upcoming events" in i.value for i in at.info)  # the Queen's trips are hidden
    next(t for t in at.text_input if t.label == "Title").input("Centaur sprint")
    next(b for b in at.button if b.label == "Create event").click().run()
    assert not at.exception, at.exception
    made = [e for e in store_events() if e.title == "Centaur sprint"]
    assert [e.entity for e in made] == ["DangerousCentaur"]
    next(t for t in at.text_input if t.label == "Name").input("Dee Crew")
    next(t for t in at.text_input if t.label == "Email").input("dee@example.com")
    next(b for b in at.button if b.label == "Invite").click().run()
    assert not at.exception, at.exception
    ops_store = open_ops_store(get_settings())
    invited = ops_store.find_user("dee@example.com")
    assert invited is not None and invited.entities == frozenset({"DangerousCentaur"})
    assert ops_store.find_user("centaur@example.com") is None  # no ops admin was created
    before = len(_outbox())
    core_calls.access().login_link("centaur@example.com", "203.0.113.9")
    assert len(_outbox()) == before  # nothing stored, so the API signs nobody in


def _outbox() -> list[dict[str, object]]:
    index = get_settings().outbox_dir / "index.jsonl"
    return [json.loads(x) for x in index.read_text().splitlines()] if index.exists() else []


def test_user_text_is_never_read_as_markdown(ledger_dir: Path) -> None:
    title = "![x](http://127.0.0.1:9/x.png) :blue[**bold**]"
    store = open_ops_store(get_settings())
    first = store_events()[0]
    # written straight to the store, as an old record or another door might have
    store.save_event(replace(first, title=title, vessel="[v](http://127.0.0.1:9/)"))
    at = open_operations()
    assert not at.exception, at.exception
    bodies = [m.value for m in at.markdown] + [s.value for s in at.subheader]
    bodies += [e.value for e in at.error] + [c.value for c in at.caption]
    assert not any("](http" in b for b in bodies), bodies  # no live image or link markup
    assert any(t.value.endswith(title) for t in at.text)  # the calendar shows it as text
    assert any(title in str(v) for v in at.dataframe[0].value["Event"])
    guest_lines = [t.value for t in at.text if "ana.guest@example.com" in t.value]
    assert guest_lines == ["Ana Ruiz\nana.guest@example.com"]


def test_resend_waiver_link_from_the_manifest(ledger_dir: Path) -> None:
    at = open_operations()
    before = [m for m in _outbox() if m["to"] == ["ben.guest@example.com"]]
    [resend] = [b for b in at.button if b.label == "Resend waiver link"]  # Ben is on hold
    resend.click().run()
    assert not at.exception, at.exception
    [link] = [c.value for c in at.code]
    assert "/#/claim?code=" in link
    after = [m for m in _outbox() if m["to"] == ["ben.guest@example.com"]]
    assert len(after) == len(before) + 1


def test_the_table_leads_with_crew_holds_and_checklist(ledger_dir: Path) -> None:
    table = open_operations().dataframe[0].value
    assert list(table.columns)[:5] == ["When", "Open crew", "On hold", "Checklist", "Event"]


def test_a_trip_on_the_first_of_next_month_is_shown_once(ledger_dir: Path) -> None:
    settings = get_settings()
    store = open_ops_store(settings)
    today = utcnow().astimezone(settings.tz).date()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    noon = datetime.combine(first, time(12), settings.tz).astimezone(UTC)
    sail = replace(store_events()[0], id="ev-first-of-next", title="First-day sail")
    store.create_event(replace(sail, starts_at=noon), [])
    at = open_operations()
    shown = [t.value for t in at.text if t.value.endswith("First-day sail")]
    # in next month's grid on its own day; never again in this month's padding cells
    assert shown == ["12:00 First-day sail"]
