"""AppTest of /operations: the page shows the ops core's state and changes it through it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ops.factory import open_ops_store
from core.ops.models import Event, utcnow
from tests.dashboard.conftest import sign_in


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
