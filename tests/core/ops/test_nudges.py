"""Who hears which reminder, and once per event, kind and day, on every ops backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from core.ops.models import OpsUser, utcnow
from core.ops.nudges import Nudge, nudge_key
from core.ops.service import OpsService
from core.ops.store import OpsStore
from tests.core.ops.conftest import Clock, trip


def test_reminders_reach_admins_of_the_entity_and_the_crew(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    ops.add_user(
        email="other@example.com", name="O", role="admin", entities=frozenset({"Elsewhere"})
    )
    ops.add_user(
        email="queen@example.com", name="Q", role="admin", entities=frozenset({"QueenofSanDiego"})
    )
    # marks expire by the real clock, so this test runs at the real now
    now = clock.now = utcnow().replace(microsecond=0)
    soon = (now + timedelta(hours=20)).isoformat()
    event = ops.create_event(people["admin"], trip(starts_at=soon))
    ops.claim(people["crew1"], event.id, "crew")
    ops.add_guest(people["admin"], event.id, email="h@example.com", name="H")
    sent = {r.nudge.kind: r.to for r in ops.nudge_plan(now)}
    admins = ["admin@example.com", "queen@example.com"]
    assert sent == {
        "unfilled_slots": admins,
        "unfinished_checklist": sorted([*admins, "c1@example.com"]),
        "guests_on_hold": admins,
    }
    assert ops.nudge_plan(now + timedelta(minutes=5)) == []  # once per day
    day = now.astimezone(ops.tz).date()
    mark = nudge_key(Nudge(event.id, "unfilled_slots", ""), day)
    assert ops_store.first_time(mark, now + timedelta(days=1)) is False  # taken before sending


def test_the_key_names_event_kind_and_day() -> None:
    key = nudge_key(Nudge("e1", "guests_on_hold", "x"), date(2026, 6, 1))
    assert key == "nudge:e1:guests_on_hold:2026-06-01"


def test_an_old_title_with_a_line_break_still_gives_a_one_line_subject(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    now = clock.now = utcnow().replace(microsecond=0)
    event = ops.create_event(
        people["admin"], trip(starts_at=(now + timedelta(hours=20)).isoformat())
    )
    ops_store.save_event(replace(event, title="Sunset\r\nBcc: x@evil.test"))  # stored long ago
    [first, *_] = ops.nudge_plan(now)
    assert "\r" not in first.subject and "\n" not in first.subject
    assert first.subject.startswith("Reminder: Sunset Bcc: x@evil.test (")
