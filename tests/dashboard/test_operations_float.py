"""AppTest of /operations' float plan: Departed and Back from the shore, the shore contact
form, and the manifest's "on hold since"; every change lands in the ops store."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from core.config import get_settings
from core.ops.factory import open_ops_store
from core.ops.float_plan import FloatPlan
from core.ops.models import utcnow
from tests.dashboard.test_operations import open_operations, store_events


def test_departed_opens_a_day_before_the_trip(ledger_dir: Path) -> None:
    first = store_events()[0]
    assert first.starts_at - utcnow() > timedelta(hours=24)  # the demo's first trip: 2 days out
    at = open_operations()
    assert any("Departed opens" in c.value for c in at.caption)
    assert not any(b.label == "Departed" for b in at.button)


def test_departed_and_back_from_the_page(ledger_dir: Path) -> None:
    first = store_events()[0]
    store = open_ops_store(get_settings())
    store.save_event(replace(first, starts_at=utcnow() + timedelta(hours=2)))
    at = open_operations()
    assert any("Not departed yet" in c.value for c in at.caption)
    next(n for n in at.number_input if n.label == "Souls on board").set_value(5)
    next(b for b in at.button if b.label == "Departed").click().run()
    assert not at.exception, at.exception
    plan = store.float_plan(first.id)
    assert plan is not None and plan.open and plan.souls_on_board == 5
    assert plan.by == "dashboard:owner@example.com"
    assert any(i.value.startswith("Out\\: departed") for i in at.info)
    next(b for b in at.button if b.label == "Mark back").click().run()
    assert not at.exception, at.exception
    assert store.float_plan(first.id).returned_at is not None  # type: ignore[union-attr]
    assert any(s.value.startswith("Back at") for s in at.success)


def test_an_overdue_trip_shows_in_red(ledger_dir: Path) -> None:
    first = store_events()[0]
    now = utcnow()
    store = open_ops_store(get_settings())
    store.save_event(replace(first, starts_at=now - timedelta(hours=3)))  # left 3 h ago
    store.depart(
        FloatPlan(
            first.id, first.entity, now - timedelta(hours=3), now - timedelta(minutes=45), 4, "x"
        )
    )
    at = open_operations()
    assert any(e.value.startswith("Overdue by 45 min") for e in at.error), [
        e.value for e in at.error
    ]
    assert not any(b.label == "Departed" for b in at.button)


def test_shore_contact_form_saves_through_the_core(ledger_dir: Path) -> None:
    at = open_operations()
    at.selectbox(key="shore-entity").select("QueenofSanDiego").run()
    assert any("No shore contact yet" in c.value for c in at.caption)
    next(t for t in at.text_input if t.label == "Shore contact email").input("not-an-email")
    next(b for b in at.button if b.label == "Save shore contact").click().run()
    assert any("shore contact not saved" in e.value for e in at.error)
    store = open_ops_store(get_settings())
    assert store.shore_contact("QueenofSanDiego") is None
    next(t for t in at.text_input if t.label == "Shore contact email").input("sam@example.com")
    next(t for t in at.text_input if t.label == "Shore contact phone").input("+1 619 555 0100")
    next(b for b in at.button if b.label == "Save shore contact").click().run()
    assert not at.exception, at.exception
    saved = store.shore_contact("QueenofSanDiego")
    assert saved is not None and (saved.email, saved.phone) == (
        "sam@example.com",
        "+1 619 555 0100",
    )
    assert saved.updated_by == "owner@example.com"


def test_the_manifest_says_since_when_a_guest_is_on_hold(ledger_dir: Path) -> None:
    store = open_ops_store(get_settings())
    first = store_events()[0]
    [*_, ben] = store.guests(first.id)
    assert ben.status == "on_hold"
    at = open_operations()
    lines = [t.value for t in at.text if ben.email in t.value]
    since = ben.added_at.astimezone(get_settings().tz).strftime("%a %-d %b, %H:%M")
    assert lines and f"on hold since {since}" in lines[0], lines
