"""The calendar and availability rules on every backend, with an injected clock: the late
change emails (47 h -> email, 49 h -> none), the feed's window, who is free for a trip, and
nudges that skip people away."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.errors import Forbidden, NotFound, RateLimited
from core.ops.calendar_records import Away
from core.ops.models import OpsUser, utcnow
from core.ops.rules.calendar import FEED_HITS_PER_CLIENT
from core.ops.service import OpsService
from core.ops.store import OpsStore
from core.ops.trip_changes import change_mails
from tests.core.ops.conftest import LA, NOW, Clock, trip

SECRET = "s" * 40


def starting_in(hours: float, **extra: object) -> dict[str, object]:
    return trip(starts_at=(NOW + timedelta(hours=hours)).isoformat(), **extra)


@pytest.mark.parametrize(("hours", "mailed"), [(47, True), (49, False)])
def test_a_change_within_48_hours_emails_the_trip(
    ops: OpsService, people: dict[str, OpsUser], hours: float, mailed: bool
) -> None:
    admin = people["admin"]
    event = ops.create_event(admin, starting_in(hours))
    ops.claim(people["cap"], event.id, "captain")
    ops.claim(people["crew1"], event.id, "crew")
    ops.add_guest(admin, event.id, email="g@example.com", name="Gail")
    _, mails = ops.change_event(admin, event.id, {"vessel": "Queen"})
    expected = ["c1@example.com", "cap@example.com", "g@example.com"] if mailed else []
    assert [m.to for m in mails] == expected
    if mailed:
        assert "Vessel: JADA -> now Queen." in mails[0].text
        assert mails[0].subject.startswith("Changed: Sunset sail")


def test_a_move_into_the_window_counts_by_the_new_departure(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], starting_in(100))
    ops.claim(people["crew1"], event.id, "crew")
    moved = (NOW + timedelta(hours=40)).isoformat()
    _, mails = ops.change_event(people["admin"], event.id, {"starts_at": moved})
    assert [m.to for m in mails] == ["c1@example.com"]
    assert "Departure:" in mails[0].text and "Back at the dock:" not in mails[0].text
    # ... and a move out of it by the old one
    far = (NOW + timedelta(hours=200)).isoformat()
    _, mails = ops.change_event(people["admin"], event.id, {"starts_at": far})
    assert [m.to for m in mails] == ["c1@example.com"]


def test_what_is_told_and_what_is_not(ops: OpsService, people: dict[str, OpsUser]) -> None:
    admin = people["admin"]
    event = ops.create_event(admin, starting_in(10))
    ops.claim(people["crew1"], event.id, "crew")
    assert ops.change_event(admin, event.id, {"title": "New name"})[1] == []
    assert ops.change_event(admin, event.id, {"guests_max": 3})[1] == []
    _, longer = ops.change_event(admin, event.id, {"duration_minutes": 240})
    assert "Back at the dock:" in longer[0].text and "(240 minutes)" in longer[0].text
    _, cancelled = ops.change_event(admin, event.id, {"status": "cancelled"})
    assert cancelled[0].subject.startswith("Cancelled:")
    assert "The trip is cancelled." in cancelled[0].text
    departed = replace(ops.event(admin, event.id), starts_at=NOW - timedelta(hours=1))
    assert change_mails(departed, replace(departed, vessel="X"), ["a@x.com"], now=NOW, tz=LA) == []


def test_only_admins_of_the_entity_change_trips(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], starting_in(10))
    with pytest.raises(Forbidden):
        ops.change_event(people["crew1"], event.id, {"vessel": "X"})
    other = ops.add_user(
        email="o@example.com", name="O", role="admin", entities=frozenset({"Elsewhere"})
    )
    with pytest.raises(NotFound):
        ops.change_event(other, event.id, {"vessel": "X"})
    assert ops.event(people["admin"], event.id).vessel == "JADA"


def test_the_feed_window_is_30_days_back_and_90_ahead(
    ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    admin, crew = people["admin"], people["crew1"]
    titles = {}
    for days in (-31, -29, 89, 91):
        clock.now = NOW + timedelta(days=days) - timedelta(hours=1)  # claim just before it
        event = ops.create_event(admin, starting_in(days * 24, title=f"d{days}"))
        ops.claim(crew, event.id, "crew")
        titles[event.id] = days
    clock.now = NOW
    token = ops.feed_token(crew, SECRET)
    feed = ops.feed(token, "198.51.100.1")
    assert feed.user.id == crew.id
    assert sorted(titles[e.event.id] for e in feed.entries) == [-29, 89]


def test_feed_tokens_are_stable_rotate_and_follow_the_secret(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    crew = people["crew1"]
    token = ops.feed_token(crew, SECRET)
    assert ops.feed_token(crew, SECRET) == token and len(token) == 32
    assert ops.feed_token(people["crew2"], SECRET) != token
    rotated = ops.feed_token(crew, SECRET, rotate=True)
    assert rotated != token
    with pytest.raises(NotFound):
        ops.feed(token, "198.51.100.1")
    assert ops.feed(rotated, "198.51.100.1").user.id == crew.id
    # a new server secret gives a new token; the old one stops working
    renewed = ops.feed_token(crew, "t" * 40)
    assert renewed != rotated and ops.feed(renewed, "198.51.100.1").user.id == crew.id
    with pytest.raises(NotFound):
        ops.feed(rotated, "198.51.100.1")


def test_feed_fetches_are_limited_per_client(ops: OpsService, people: dict[str, OpsUser]) -> None:
    for _ in range(FEED_HITS_PER_CLIENT):
        with pytest.raises(NotFound):
            ops.feed("nope", "198.51.100.2")
    with pytest.raises(RateLimited):
        ops.feed("nope", "198.51.100.2")
    token = ops.feed_token(people["crew1"], SECRET)
    assert ops.feed(token, "198.51.100.3").user.id == people["crew1"].id


def test_available_crew_leaves_out_the_busy_the_away_and_other_entities(
    ops: OpsService, ops_store: OpsStore, people: dict[str, OpsUser]
) -> None:
    admin = people["admin"]
    event = ops.create_event(admin, starting_in(30))
    clash = ops.create_event(admin, starting_in(31, title="Clash"))
    ops.claim(people["crew2"], clash.id, "crew")  # busy on an overlapping trip
    ops.claim(people["cap"], event.id, "captain")  # already on the trip
    away = ops.add_user(email="away@example.com", name="Al Away", role="crew")
    ops_store.set_availability(
        away.id, [Away(NOW + timedelta(hours=29), NOW + timedelta(hours=40))]
    )
    back = ops.add_user(email="back@example.com", name="Bo Back", role="crew")
    ops_store.set_availability(back.id, [Away(NOW, NOW + timedelta(hours=29))])  # back in time
    ops.add_user(
        email="far@example.com", name="Fay Far", role="crew", entities=frozenset({"Elsewhere"})
    )
    free = ops.available_crew(admin, event.id)
    assert [u.name for u in free] == ["Olga Oldlicence", "Bo Back", "Cora Crew"]
    assert [u.role for u in free] == ["captain", "crew", "crew"]
    with pytest.raises(Forbidden):
        ops.available_crew(people["crew1"], event.id)
    other = ops.add_user(
        email="o@example.com", name="O", role="admin", entities=frozenset({"Elsewhere"})
    )
    with pytest.raises(NotFound):
        ops.available_crew(other, event.id)


def test_nudges_skip_crew_away_for_the_trip(
    ops: OpsService, ops_store: OpsStore, people: dict[str, OpsUser], clock: Clock
) -> None:
    now = clock.now = utcnow().replace(microsecond=0)  # marks expire by the real clock
    event = ops.create_event(
        people["admin"], trip(starts_at=(now + timedelta(hours=20)).isoformat())
    )
    ops.claim(people["crew1"], event.id, "crew")
    ops.claim(people["crew2"], event.id, "crew")
    ops_store.set_availability(
        people["crew1"].id, [Away(now + timedelta(hours=19), now + timedelta(hours=30))]
    )
    sent = {r.nudge.kind: r.to for r in ops.nudge_plan(now)}
    assert sent["unfinished_checklist"] == ["admin@example.com", "c2@example.com"]
