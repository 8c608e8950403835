"""One contract suite, run on every ops backend: the rules of charter operations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from core.ops.models import InboundEvent, OpsUser
from core.ops.rules.waivers import WAIVER_SHA256, WAIVER_VERSION
from core.ops.service import OpsService
from core.ops.store import OpsStore
from tests.core.ops.conftest import NOW, Clock, trip

WAIVER = {
    "full_name": "Gail Guest",
    "date_of_birth": "1990-04-30",
    "emergency_contact_name": "Gus Guest",
    "emergency_contact_phone": "+1 619 555 0100",
    "signature": "Gail Guest",
    "accept": True,
}


def as_guest(email: str) -> OpsUser:
    """A guest session, as a waiver link gives one."""
    return OpsUser(f"guest-{email}", email, "Guest", "guest")


def code_of(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def test_event_round_trip_with_timing_and_checklist(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip(vessel="JADA"))
    view = ops.view(people["admin"], event.id)
    assert view.event == event
    assert view.event.starts_at.tzinfo is not None and view.event.starts_at.utcoffset().seconds == 0
    assert view.timing.departure_at.isoformat().endswith("-07:00")  # shown in PORTFOLIO_TZ
    assert view.timing.boarding_at == view.timing.departure_at - timedelta(minutes=30)
    assert view.timing.returns_after_dusk is True  # 18:00 + 3 h in June is past dusk
    assert view.checklist_total == 11 and view.checklist_done == 0
    assert {i.phase for i in ops.checklist(people["admin"], event.id)} == {
        "pre_departure",
        "underway",
        "post_trip",
    }
    listed = ops.events(people["admin"], NOW, NOW + timedelta(days=30))
    assert [e.id for e in listed] == [event.id]
    assert ops.events(people["admin"], NOW + timedelta(days=6), NOW + timedelta(days=30)) == []


def test_event_validation_lists_every_bad_field(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    bad = trip(starts_at="tomorrow", duration_minutes=5, slots={"captain": -1}, guests_max="six")
    del bad["title"]
    with pytest.raises(Invalid) as err:
        ops.create_event(people["admin"], bad)
    assert set(err.value.fields) == {
        "title",
        "starts_at",
        "duration_minutes",
        "slots",
        "guests_max",
    }
    assert ops.events(people["admin"], NOW, NOW + timedelta(days=365)) == []
    with pytest.raises(Forbidden):
        ops.create_event(people["crew1"], trip())


def test_edit_and_cancel(ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]) -> None:
    event = ops.create_event(people["admin"], trip())
    ops.claim(people["crew1"], event.id, "crew")
    moved = ops.update_event(
        people["admin"], event.id, {"title": "Moonlight sail", "duration_minutes": 120}
    )
    assert (moved.title, moved.duration_minutes) == ("Moonlight sail", 120)
    assert ops_store.get_event(event.id).title == "Moonlight sail"
    with pytest.raises(Conflict) as err:
        ops.update_event(people["admin"], event.id, {"slots": {"captain": 1, "crew": 0}})
    assert code_of(err) == "slots_held"
    assert ops.cancel_event(people["admin"], event.id).status == "cancelled"
    with pytest.raises(Conflict):
        ops.claim(people["crew2"], event.id, "crew")


def test_captain_slot_needs_a_captain_with_a_valid_licence(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip())
    with pytest.raises(Forbidden) as err:
        ops.claim(people["crew1"], event.id, "captain")
    assert code_of(err) == "not_qualified"
    with pytest.raises(Forbidden) as err:
        ops.claim(people["old_cap"], event.id, "captain")  # licence ends before the return
    assert code_of(err) == "not_qualified"
    claim = ops.claim(people["cap"], event.id, "captain")
    assert (claim.role, claim.slot_no, claim.user_id) == ("captain", 1, people["cap"].id)


def test_crew_slots_open_to_crew_and_captains_and_fill_up(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip())
    ops.claim(people["crew1"], event.id, "crew")
    ops.claim(people["old_cap"], event.id, "crew")  # a captain may sail as crew
    with pytest.raises(Conflict) as err:
        ops.claim(people["crew2"], event.id, "crew")
    assert code_of(err) == "slot_full"
    assert [(c.role, c.slot_no) for c in ops_store.claims(event.id)] == [("crew", 1), ("crew", 2)]
    with pytest.raises(Forbidden):
        ops.claim(people["guest"], event.id, "crew")
    with pytest.raises(Forbidden):
        ops.claim(people["admin"], event.id, "crew")


def test_one_slot_per_person_per_event(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip())
    ops.claim(people["cap"], event.id, "crew")
    with pytest.raises(Conflict) as err:
        ops.claim(people["cap"], event.id, "captain")
    assert code_of(err) == "already_claimed"
    assert len(ops_store.claims(event.id)) == 1


def test_no_claims_on_overlapping_events(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    first = ops.create_event(people["admin"], trip(hours=10, duration=240))
    clash = ops.create_event(people["admin"], trip(hours=13, duration=120))
    after = ops.create_event(people["admin"], trip(hours=14, duration=60))  # starts at return
    ops.claim(people["crew1"], first.id, "crew")
    with pytest.raises(Conflict) as err:
        ops.claim(people["crew1"], clash.id, "crew")
    assert code_of(err) == "overlapping_claim"
    ops.claim(people["crew1"], after.id, "crew")
    assert [c.event_id for c in ops_store.user_claims(people["crew1"].id)] == [first.id, after.id]
    ops.release(people["crew1"], first.id)
    with pytest.raises(Conflict):  # still overlaps the 14:00 trip
        ops.claim(people["crew1"], clash.id, "crew")


def test_release_rules(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    event = ops.create_event(people["admin"], trip(days=2))
    ops.claim(people["crew1"], event.id, "crew")
    ops.release(people["crew1"], event.id)
    assert ops_store.claims(event.id) == []
    with pytest.raises(NotFound):
        ops.release(people["crew1"], event.id)
    ops.claim(people["crew1"], event.id, "crew")
    clock.now = event.starts_at - timedelta(hours=23)
    with pytest.raises(Conflict) as err:
        ops.release(people["crew1"], event.id)
    assert code_of(err) == "late_release"
    with pytest.raises(Forbidden):
        ops.release(people["crew2"], event.id, people["crew1"].id)  # only admins remove others
    ops.release(people["admin"], event.id, people["crew1"].id)
    assert ops_store.claims(event.id) == []


def test_departed_events_take_no_claims(
    ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    event = ops.create_event(people["admin"], trip(days=1))
    clock.now = event.starts_at + timedelta(minutes=1)
    with pytest.raises(Conflict):
        ops.claim(people["crew1"], event.id, "crew")


def test_checklist_by_assigned_crew_or_admin(ops: OpsService, people: dict[str, OpsUser]) -> None:
    event = ops.create_event(people["admin"], trip())
    with pytest.raises(Forbidden):
        ops.tick(people["crew1"], event.id, "pre_departure-1", True)
    ops.claim(people["crew1"], event.id, "crew")
    item = ops.tick(people["crew1"], event.id, "pre_departure-1", True)
    assert (item.done, item.done_by, item.done_at) == (True, people["crew1"].id, NOW)
    ops.tick(people["admin"], event.id, "post_trip-4", True)
    assert ops.view(people["admin"], event.id).checklist_done == 2
    undone = ops.tick(people["admin"], event.id, "pre_departure-1", False)
    assert (undone.done, undone.done_by) == (False, None)
    with pytest.raises(NotFound):
        ops.tick(people["admin"], event.id, "nope-9", True)


def test_guest_on_hold_until_waiver_then_check_in(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip())
    guest = ops.add_guest(people["admin"], event.id, email="G@example.com", name="Gail Guest")
    assert guest.status == "on_hold" and guest.email == "g@example.com"
    ops.claim(people["cap"], event.id, "captain")
    with pytest.raises(Conflict) as err:
        ops.check_in(people["cap"], event.id, guest.id)
    assert code_of(err) == "waiver_required"
    signed = ops.sign_waiver(as_guest(guest.email), event.id, WAIVER)
    assert signed.status == "cleared"
    assert signed.waiver is not None
    assert (signed.waiver.version, signed.waiver.text_sha256) == (WAIVER_VERSION, WAIVER_SHA256)
    assert signed.waiver.signed_at == NOW and signed.waiver.date_of_birth == date(1990, 4, 30)
    checked = ops.check_in(people["cap"], event.id, guest.id)
    assert checked.status == "checked_in" and checked.checked_in_at == NOW
    assert [g.status for g in ops.manifest(people["admin"], event.id)] == ["checked_in"]
    with pytest.raises(Forbidden):
        ops.manifest(people["crew1"], event.id)
    with pytest.raises(Forbidden):
        ops.check_in(people["crew1"], event.id, guest.id)


def test_minors_need_a_guardian(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip())
    kid = ops.add_guest(people["admin"], event.id, email="kid@example.com", name="Kit")
    minor = {**WAIVER, "date_of_birth": "2010-01-01"}
    with pytest.raises(Invalid) as err:
        ops.sign_waiver(as_guest(kid.email), event.id, minor)
    assert set(err.value.fields) == {"guardian_name", "guardian_signature"}
    assert ops_store.get_guest(event.id, kid.id).status == "on_hold"
    ok = ops.sign_waiver(
        as_guest(kid.email),
        event.id,
        {**minor, "guardian_name": "Pat Parent", "guardian_signature": "Pat"},
    )
    assert ok.status == "cleared" and ok.waiver and ok.waiver.guardian_name == "Pat Parent"


def test_waiver_form_is_validated(ops: OpsService, people: dict[str, OpsUser]) -> None:
    event = ops.create_event(people["admin"], trip())
    g = ops.add_guest(people["admin"], event.id, email="x@example.com", name="X")
    with pytest.raises(Invalid) as err:
        ops.sign_waiver(
            as_guest(g.email), event.id, {"accept": "yes", "date_of_birth": "30/04/1990"}
        )
    assert {"full_name", "signature", "accept", "date_of_birth"} <= set(err.value.fields)


def test_guest_capacity_and_duplicates(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip(guests_max=2))
    ops.add_guest(people["admin"], event.id, email="a@example.com", name="A")
    with pytest.raises(Conflict) as err:
        ops.add_guest(people["admin"], event.id, email="a@example.com", name="A again")
    assert code_of(err) == "guest_exists"
    ops.add_guest(people["admin"], event.id, email="b@example.com", name="B")
    with pytest.raises(Conflict) as err:
        ops.add_guest(people["admin"], event.id, email="c@example.com", name="C")
    assert code_of(err) == "guests_full"
    assert [g.name for g in ops_store.guests(event.id)] == ["A", "B"]


def test_guests_see_only_their_own_events(ops: OpsService, people: dict[str, OpsUser]) -> None:
    mine = ops.create_event(people["admin"], trip(days=3))
    ops.create_event(people["admin"], trip(days=4))
    ops.add_guest(people["admin"], mine.id, email="g@example.com", name="Gail Guest")
    seen = ops.events(people["guest"], NOW, NOW + timedelta(days=30))
    assert [e.id for e in seen] == [mine.id]


def test_users_and_unknown_records(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    with pytest.raises(Conflict) as err:
        ops.add_user(email="ADMIN@example.com", name="Dup", role="crew")
    assert code_of(err) == "email_taken"
    with pytest.raises(Invalid):
        ops.add_user(email="not-an-email", name="", role="pirate")
    assert ops_store.find_user("cap@example.com") == people["cap"]
    assert ops_store.find_user("nobody@example.com") is None
    assert len(ops_store.list_users()) == 6
    bumped = ops_store.save_user(OpsUser(**{**people["crew1"].__dict__, "token_version": 3}))
    assert ops_store.get_user(bumped.id).token_version == 3
    for call in (
        lambda: ops_store.get_event("missing"),
        lambda: ops_store.get_user("missing"),
        lambda: ops_store.get_guest("missing", "x"),
        lambda: ops.claim(people["crew1"], "missing", "crew"),
    ):
        with pytest.raises(NotFound):
            call()


def test_codes_work_once_and_expire(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    from core.ops.login_codes import LoginCode
    from core.ops_access.codes import code_hash

    store = ops_store
    live = LoginCode(
        code_hash("ABCD-2345"), people["crew1"].id, "login", NOW + timedelta(minutes=10)
    )
    stale = LoginCode(
        code_hash("ZZZZ9999"), people["crew1"].id, "login", NOW - timedelta(seconds=1)
    )
    store.put_code(live)
    store.put_code(stale)
    assert store.take_code(code_hash("abcd 2345"), NOW) == live
    assert store.take_code(code_hash("ABCD2345"), NOW) is None  # single use
    assert store.take_code(stale.code_hash, NOW) is None  # expired


def test_counters_count_per_window(ops_store: OpsStore, ops: OpsService) -> None:
    store = ops_store
    assert [store.count_hit("claim:1.2.3.4", 900, NOW) for _ in range(3)] == [1, 2, 3]
    assert store.count_hit("claim:5.6.7.8", 900, NOW) == 1
    assert store.count_hit("claim:1.2.3.4", 900, NOW) == 4  # the same window counts on
    assert store.count_hit("claim:1.2.3.4", 900, NOW + timedelta(minutes=15)) == 1


def test_an_empty_or_reversed_range_lists_no_events(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    ops.create_event(people["admin"], trip())
    later = NOW + timedelta(days=30)
    assert ops_store.list_events(later, NOW) == []
    assert ops_store.list_events(NOW, NOW) == []
    assert len(ops_store.list_events(NOW, later)) == 1


def test_reserved_hits_stop_at_the_limit_and_can_be_given_back(
    ops_store: OpsStore, ops: OpsService
) -> None:
    store = ops_store
    key = "claim-fail:1.2.3.4"
    assert [store.reserve_hit(key, 3, 900, NOW) for _ in range(5)] == [True] * 3 + [False] * 2
    store.release_hit(key, 900, NOW)  # 3 -> 2: refused attempts added nothing
    assert store.reserve_hit(key, 3, 900, NOW) is True
    assert store.reserve_hit(key, 3, 900, NOW) is False
    assert store.reserve_hit("claim-fail:5.6.7.8", 3, 900, NOW) is True  # per key
    assert store.reserve_hit(key, 3, 900, NOW + timedelta(minutes=15)) is True  # next window
    assert store.reserve_hit("zero", 0, 900, NOW) is False
    store.release_hit("never-hit", 900, NOW)  # nothing to give back: no effect, no error
    assert [store.reserve_hit("never-hit", 1, 900, NOW) for _ in range(2)] == [True, False]
    for _ in range(3):
        store.release_hit("claim-fail:5.6.7.8", 900, NOW)
    # never below zero: the count is 0 again, so one reservation under a limit of 1 fits
    assert [store.reserve_hit("claim-fail:5.6.7.8", 1, 900, NOW) for _ in range(2)] == [
        True,
        False,
    ]


def test_reserved_hits_hold_under_a_race(ops_store: OpsStore, ops: OpsService) -> None:
    import threading

    barrier = threading.Barrier(20)
    won: list[bool] = []

    def attempt() -> None:
        barrier.wait()
        won.append(ops_store.reserve_hit("race", 5, 900, NOW))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(won) == [False] * 15 + [True] * 5
    # exactly 5 held: one more fits under a limit of 6, then none
    assert [ops_store.reserve_hit("race", 6, 900, NOW) for _ in range(2)] == [True, False]


def test_first_time_marks_are_once_only(ops_store: OpsStore, ops: OpsService) -> None:
    from core.ops.models import utcnow

    store = ops_store
    until = utcnow() + timedelta(days=2)  # marks expire on the real clock (like TTL)
    assert store.first_time("nudge:e1:slots:2026-06-01", until) is True
    assert store.first_time("nudge:e1:slots:2026-06-01", until) is False
    assert store.first_time("nudge:e1:slots:2026-06-02", until) is True


def _inbound(event_id: str, received: datetime, *, ttl_days: int = 30) -> InboundEvent:
    return InboundEvent(
        source="stripe",
        id=event_id,
        type="charge.succeeded",
        created_at=received - timedelta(seconds=5),
        received_at=received,
        expires_at=received + timedelta(days=ttl_days),
        object_id="ch_1",
        livemode=False,
    )


def test_webhook_events_are_kept_once_and_listed_newest_first(
    ops_store: OpsStore, ops: OpsService
) -> None:
    from core.ops.models import utcnow

    store = ops_store
    now = utcnow()
    assert store.record_inbound(_inbound("evt_1", now - timedelta(minutes=2))) is True
    assert store.record_inbound(_inbound("evt_1", now - timedelta(minutes=1))) is False
    assert store.record_inbound(_inbound("evt_2", now - timedelta(minutes=1))) is True
    listed = store.inbound_events("stripe", now - timedelta(hours=1))
    assert [e.id for e in listed] == ["evt_2", "evt_1"]
    assert listed[1].received_at == now - timedelta(minutes=2)  # the first copy is kept
    assert listed[0].type == "charge.succeeded" and listed[0].object_id == "ch_1"
    assert [e.id for e in store.inbound_events("stripe", now - timedelta(seconds=90))] == ["evt_2"]
    assert store.inbound_events("other", now - timedelta(hours=1)) == []
    assert len(store.inbound_events("stripe", now - timedelta(hours=1), limit=1)) == 1


def test_an_expired_webhook_event_is_forgotten(ops_store: OpsStore, ops: OpsService) -> None:
    from core.ops.models import utcnow

    store = ops_store
    old = utcnow() - timedelta(days=40)
    assert store.record_inbound(_inbound("evt_old", old)) is True  # already past its expiry
    assert store.inbound_events("stripe", old - timedelta(days=1)) == []
    assert store.record_inbound(_inbound("evt_old", utcnow())) is True
