"""AppTest of the Operations page's "available to ask" list (the core's available_crew)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core.config import get_settings
from core.ops.calendar_records import Away
from core.ops.factory import open_ops_store
from core.ops.models import utcnow
from tests.dashboard.test_operations import open_operations, store_events


def free_list(at) -> str:  # type: ignore[no-untyped-def]
    heads = [m.value for m in at.markdown]
    assert "**Available to ask**" in heads, heads
    return " ".join(c.value for c in at.caption)


def test_the_slot_board_lists_who_is_free_and_drops_who_is_away(ledger_dir: Path) -> None:
    at = open_operations()
    shown = free_list(at)
    assert "Inés Duarte (crew)" in shown  # free on the first trip's day
    first = store_events()[0]
    store = open_ops_store(get_settings())
    ines = store.find_user("crew.ines@example.com")
    assert ines is not None
    store.set_availability(
        ines.id, [Away(first.starts_at - timedelta(hours=1), first.ends_at + timedelta(hours=1))]
    )
    at = open_operations()
    assert "Inés Duarte" not in free_list(at)
    holders = {c.user_id for c in store.claims(first.id)}
    for uid in holders:  # people on the trip are not listed as free
        assert store.get_user(uid).name not in free_list(at)
    assert utcnow() < first.starts_at


def test_cancelling_a_trip_soon_from_the_page_emails_its_people(ledger_dir: Path) -> None:
    from dataclasses import replace

    from tests.dashboard.test_operations import _outbox

    store = open_ops_store(get_settings())
    first = store_events()[0]
    store.save_event(replace(first, starts_at=utcnow() + timedelta(hours=30)))
    at = open_operations()
    before = len(_outbox())
    next(b for b in at.button if b.label == "Cancel event").click().run()
    assert not at.exception, at.exception
    assert store.get_event(first.id).status == "cancelled"
    told = sorted(m["to"][0] for m in _outbox()[before:])
    people = [store.get_user(c.user_id).email for c in store.claims(first.id)]
    people += [g.email for g in store.guests(first.id)]
    assert told == sorted(people) and len(told) >= 3


def test_an_invite_shows_the_short_code_beside_the_link(ledger_dir: Path) -> None:
    import re

    at = open_operations()
    next(t for t in at.text_input if t.label == "Name").input("Nia Crew")
    next(t for t in at.text_input if t.label == "Email").input("nia@example.com")
    next(b for b in at.button if b.label == "Invite").click().run()
    assert not at.exception, at.exception
    shown = " ".join(s.value for s in at.success).replace("\\", "")  # markdown escapes
    assert re.search(r"with the code [A-Z2-9]{4}-[A-Z2-9]{4} to type in the app", shown), shown
