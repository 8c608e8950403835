"""The float plan on every ops backend: Departed and Back, who may, shore contacts, and the
run's overdue escalation and waiver reminders with an injected clock.

The once-only marks expire by the real clock, so the timing tests run near the real now."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.ops.float_notices import OVERDUE, OVERDUE_ESCALATED
from core.ops.models import Event, OpsUser, Waiver, utcnow
from core.ops.nudges import Reminder
from core.ops.service import OpsService
from core.ops.store import OpsStore
from tests.core.ops.conftest import Clock, trip

WAIVER_KINDS = ("waiver_reminder_72h", "waiver_reminder_24h")


def as_guest(email: str) -> OpsUser:
    """A guest session, as a waiver link gives one."""
    return OpsUser(f"guest-{email}", email, "Guest", "guest")


@pytest.fixture
def now(clock: Clock) -> Clock:
    """The service's clock set to the real now (marks expire by the real clock)."""
    clock.now = utcnow().replace(microsecond=0)
    return clock


@pytest.fixture
def crewed(ops: OpsService, people: dict[str, OpsUser], now: Clock) -> Event:
    """A QueenofSanDiego trip 2 h from now, its captain slot held by ``cap``, crew by crew1."""
    event = ops.create_event(
        people["admin"], trip(starts_at=(now.now + timedelta(hours=2)).isoformat())
    )
    ops.claim(people["cap"], event.id, "captain")
    ops.claim(people["crew1"], event.id, "crew")
    return event


def plan_body(clock: Clock, hours: float = 3, souls: object = 6) -> dict[str, object]:
    return {"eta": (clock.now + timedelta(hours=hours)).isoformat(), "souls_on_board": souls}


def overdue(reminders: list[Reminder]) -> list[Reminder]:
    return [r for r in reminders if r.nudge.kind in (OVERDUE, OVERDUE_ESCALATED)]


def waivers(reminders: list[Reminder]) -> list[Reminder]:
    return [r for r in reminders if r.nudge.kind in WAIVER_KINDS]


def test_departed_then_back_once_each(
    ops: OpsService, people: dict[str, OpsUser], crewed: Event, now: Clock
) -> None:
    cap = people["cap"]
    with pytest.raises(Conflict) as early:
        ops.mark_back(cap, crewed.id)
    assert early.value.code == "not_departed"
    plan = ops.depart(cap, crewed.id, plan_body(now, souls=7))
    assert (plan.souls_on_board, plan.by, plan.departed_at, plan.returned_at) == (
        7,
        cap.id,
        now.now,
        None,
    )
    assert plan.eta == now.now + timedelta(hours=3)
    with pytest.raises(Conflict) as twice:
        ops.depart(people["admin"], crewed.id, plan_body(now))
    assert twice.value.code == "already_departed"
    assert ops.view(cap, crewed.id).float_plan == plan
    now.now += timedelta(hours=2)
    back = ops.mark_back(cap, crewed.id)
    assert back.returned_at == now.now and back.returned_by == cap.id
    with pytest.raises(Conflict) as again:
        ops.mark_back(people["admin"], crewed.id)
    assert again.value.code == "already_returned"
    assert ops.view(people["admin"], crewed.id).float_plan == back


def test_only_the_captain_and_admins_over_the_entity_file_it(
    ops: OpsService, ops_store: OpsStore, people: dict[str, OpsUser], crewed: Event, now: Clock
) -> None:
    ops.add_guest(people["admin"], crewed.id, email="g@example.com", name="Gail")
    other_admin = ops.add_user(
        email="else@example.com", name="E", role="admin", entities=frozenset({"Elsewhere"})
    )
    spare_cap = ops.add_user(email="cap2@example.com", name="C2", role="captain")
    refused = {
        "crew on the trip": (people["crew1"], Forbidden),
        "a captain not on the captain slot": (spare_cap, Forbidden),
        "a guest on the manifest": (as_guest("g@example.com"), Forbidden),
        "a guest not on it": (as_guest("x@example.com"), NotFound),
        "another entity's admin": (other_admin, NotFound),
    }
    for who, (actor, error) in refused.items():
        with pytest.raises(error):
            ops.depart(actor, crewed.id, plan_body(now))
        with pytest.raises(error):
            ops.mark_back(actor, crewed.id)
        assert ops_store.float_plan(crewed.id) is None, who
    ops.depart(people["admin"], crewed.id, plan_body(now))
    for who, (actor, error) in refused.items():
        with pytest.raises(error):
            ops.mark_back(actor, crewed.id)
        assert ops_store.float_plan(crewed.id).open, who  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "bad"),
    [
        ({"eta": "in three hours", "souls_on_board": 6}, {"eta"}),
        ({"eta": "2026-12-01T18:00:00", "souls_on_board": 6}, {"eta"}),  # no offset
        ({"souls_on_board": 6}, {"eta"}),
        ("past", {"eta"}),
        ("too far", {"eta"}),
        ({"souls_on_board": 0}, {"eta", "souls_on_board"}),
    ],
)
def test_bad_float_plans_name_every_field(
    ops: OpsService,
    ops_store: OpsStore,
    people: dict[str, OpsUser],
    crewed: Event,
    now: Clock,
    body: object,
    bad: set[str],
) -> None:
    if body == "past":
        body = plan_body(now, hours=-0.1)
    elif body == "too far":
        body = plan_body(now, hours=72.1)
    with pytest.raises(Invalid) as exc:
        ops.depart(people["cap"], crewed.id, body)  # type: ignore[arg-type]
    assert set(exc.value.fields) == bad
    assert ops_store.float_plan(crewed.id) is None


@pytest.mark.parametrize("souls", [0, 1000, True, "6", 2.5, None])
def test_souls_on_board_is_a_whole_number_from_1_to_999(
    ops: OpsService, people: dict[str, OpsUser], crewed: Event, now: Clock, souls: object
) -> None:
    with pytest.raises(Invalid) as exc:
        ops.depart(people["cap"], crewed.id, plan_body(now, souls=souls))
    assert set(exc.value.fields) == {"souls_on_board"}


def test_departed_opens_a_day_before_the_start(
    ops: OpsService,
    ops_store: OpsStore,
    people: dict[str, OpsUser],
    now: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    starts = now.now + timedelta(hours=30)
    event = ops.create_event(people["admin"], trip(starts_at=starts.isoformat()))
    assert ops.departure_opens(event) == starts - timedelta(hours=24)
    with pytest.raises(Conflict) as exc:
        ops.depart(people["admin"], event.id, plan_body(now, hours=33))
    assert exc.value.code == "too_early"
    assert ops_store.float_plan(event.id) is None
    with monkeypatch.context() as m:  # a trip too far out to have a plan costs no read
        m.setattr(ops_store, "float_plan", lambda _id: pytest.fail("float plan read"))
        assert ops.view(people["admin"], event.id).float_plan is None
    now.now += timedelta(hours=6, minutes=1)
    plan = ops.depart(people["admin"], event.id, plan_body(now, hours=27))
    assert ops.view(people["admin"], event.id).float_plan == plan


def test_a_cancelled_trip_does_not_depart(
    ops: OpsService, people: dict[str, OpsUser], crewed: Event, now: Clock
) -> None:
    ops.cancel_event(people["admin"], crewed.id)
    with pytest.raises(Conflict) as exc:
        ops.depart(people["admin"], crewed.id, plan_body(now, hours=72))
    assert exc.value.code == "event_closed"


def test_open_plans_are_listed_by_eta_and_closed_ones_leave(
    ops: OpsService, ops_store: OpsStore, people: dict[str, OpsUser], now: Clock
) -> None:
    admin, ids = people["admin"], []
    for hours in (5, 3, 4):
        e = ops.create_event(admin, trip(starts_at=(now.now + timedelta(hours=1)).isoformat()))
        ops.depart(admin, e.id, plan_body(now, hours=hours))
        ids.append(e.id)
    window = (now.now, now.now + timedelta(hours=10))
    assert [p.event_id for p in ops_store.open_float_plans(*window)] == [ids[1], ids[2], ids[0]]
    ops.mark_back(admin, ids[1])
    assert [p.event_id for p in ops_store.open_float_plans(*window)] == [ids[2], ids[0]]
    assert ops_store.open_float_plans(now.now, now.now + timedelta(hours=4)) == []


def test_overdue_escalation_timing(
    ops: OpsService, people: dict[str, OpsUser], crewed: Event, now: Clock
) -> None:
    queen = ops.add_user(
        email="queen@example.com", name="Q", role="admin", entities=frozenset({"QueenofSanDiego"})
    )
    ops.add_user(email="else@example.com", name="E", role="admin", entities=frozenset({"Else"}))
    ops.set_shore_contact(
        queen, "QueenofSanDiego", {"email": "Shore@Example.com", "name": "Sam", "phone": "911"}
    )
    start = now.now
    ops.depart(people["cap"], crewed.id, plan_body(now, hours=3))
    eta = start + timedelta(hours=3)
    assert overdue(ops.nudge_plan(eta + timedelta(minutes=29))) == []
    [first] = overdue(ops.nudge_plan(eta + timedelta(minutes=31)))
    assert first.nudge.kind == OVERDUE
    assert first.to == ["admin@example.com", "queen@example.com", "shore@example.com"]
    assert first.subject.startswith("OVERDUE: Sunset sail (JADA) not back, 31 min past its ETA")
    for line in (
        "Captain: Cal Captain <cap@example.com>",
        "Souls on board: 6",
        "Late by: 31 min",
        "Shore contact: Sam <shore@example.com>, 911",
    ):
        assert line in first.text
    local = eta.astimezone(ops.tz).strftime("%a %-d %b %H:%M")
    assert f"ETA: {local}" in first.text
    skipped: list[Reminder] = []
    assert overdue(ops.nudge_plan(eta + timedelta(minutes=32), skipped=skipped)) == []
    assert [r.nudge.kind for r in overdue(skipped)] == [OVERDUE]
    assert overdue(ops.nudge_plan(eta + timedelta(hours=1, minutes=59))) == []
    [second] = overdue(ops.nudge_plan(eta + timedelta(hours=2, minutes=1)))
    assert second.nudge.kind == OVERDUE_ESCALATED
    assert second.subject.startswith("SECOND NOTICE, escalated: Sunset sail (JADA) still")
    assert "Late by: 2 h 01 min" in second.text and second.to == first.to
    assert overdue(ops.nudge_plan(eta + timedelta(hours=2, minutes=2))) == []
    now.now = eta + timedelta(hours=2, minutes=10)
    ops.mark_back(people["cap"], crewed.id)
    assert overdue(ops.nudge_plan(eta + timedelta(hours=5))) == []


def test_nothing_after_back(
    ops: OpsService, people: dict[str, OpsUser], crewed: Event, now: Clock
) -> None:
    ops.depart(people["cap"], crewed.id, plan_body(now, hours=1))
    now.now += timedelta(minutes=50)
    ops.mark_back(people["cap"], crewed.id)
    for late in (31, 121, 600):
        assert overdue(ops.nudge_plan(now.now + timedelta(minutes=10 + late))) == []


def test_a_run_that_missed_the_first_notice_sends_only_the_escalated_one(
    ops: OpsService, people: dict[str, OpsUser], crewed: Event, now: Clock
) -> None:
    ops.depart(people["cap"], crewed.id, plan_body(now, hours=1))
    eta = now.now + timedelta(hours=1)
    assert [r.nudge.kind for r in overdue(ops.nudge_plan(eta + timedelta(hours=3)))] == [
        OVERDUE_ESCALATED
    ]
    assert overdue(ops.nudge_plan(eta + timedelta(hours=3, minutes=1))) == []


def test_concurrent_runs_send_each_notice_once(
    ops: OpsService, people: dict[str, OpsUser], crewed: Event, now: Clock
) -> None:
    ops.depart(people["cap"], crewed.id, plan_body(now, hours=1))
    at = now.now + timedelta(hours=1, minutes=31)
    sent: list[Reminder] = []
    lock = threading.Lock()

    def run() -> None:
        got = overdue(ops.safety_reminders(at))
        with lock:
            sent.extend(got)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.nudge.kind for r in sent] == [OVERDUE]


def test_overdue_mail_goes_to_the_entity_only(
    ops: OpsService, people: dict[str, OpsUser], now: Clock
) -> None:
    elsewhere = ops.add_user(
        email="else@example.com", name="E", role="admin", entities=frozenset({"Elsewhere"})
    )
    ops.set_shore_contact(elsewhere, "Elsewhere", {"email": "shore-else@example.com"})
    event = ops.create_event(
        people["admin"], trip(starts_at=(now.now + timedelta(hours=1)).isoformat())
    )
    ops.depart(people["admin"], event.id, plan_body(now, hours=1))
    [notice] = overdue(ops.nudge_plan(now.now + timedelta(hours=1, minutes=40)))
    assert notice.to == ["admin@example.com"]  # no shore contact of its own; not Elsewhere's
    assert "nobody holds the captain slot" in notice.text


def test_shore_contact_is_set_by_an_admin_over_the_entity(
    ops: OpsService, ops_store: OpsStore, people: dict[str, OpsUser]
) -> None:
    queen = ops.add_user(
        email="queen@example.com", name="Q", role="admin", entities=frozenset({"QueenofSanDiego"})
    )
    assert ops.shore_contact(queen, "QueenofSanDiego") is None
    saved = ops.set_shore_contact(queen, "QueenofSanDiego", {"email": " sam@example.com "})
    assert (saved.email, saved.name, saved.phone, saved.updated_by) == (
        "sam@example.com",
        "",
        "",
        "queen@example.com",
    )
    assert ops.shore_contact(people["admin"], "QueenofSanDiego") == saved
    for actor in (people["cap"], people["crew1"], as_guest("g@example.com")):
        with pytest.raises(Forbidden):
            ops.set_shore_contact(actor, "QueenofSanDiego", {"email": "x@example.com"})
        with pytest.raises(Forbidden):
            ops.shore_contact(actor, "QueenofSanDiego")
    with pytest.raises(Forbidden):
        ops.set_shore_contact(queen, "JADA", {"email": "x@example.com"})
    with pytest.raises(Invalid) as bad:
        ops.set_shore_contact(
            queen, "QueenofSanDiego", {"email": "not-an-email", "phone": "1\n2", "name": "x" * 300}
        )
    assert set(bad.value.fields) == {"email", "phone", "name"}
    assert ops_store.shore_contact("QueenofSanDiego") == saved
    assert ops_store.shore_contact("JADA") is None


def test_waiver_reminders_72h_and_24h_once_each(
    ops: OpsService, ops_store: OpsStore, people: dict[str, OpsUser], now: Clock
) -> None:
    admin, start = people["admin"], now.now
    departs = start + timedelta(hours=100)
    event = ops.create_event(admin, trip(starts_at=departs.isoformat()))
    gail = ops.add_guest(admin, event.id, email="gail@example.com", name="Gail")
    ops.add_guest(admin, event.id, email="hal@example.com", name="Hal")
    signer = ops.add_guest(admin, event.id, email="sig@example.com", name="Sig")
    ops_store.sign_waiver(
        event.id, signer.id, Waiver("v", "h", "Sig", start.date(), "x", "1", "Sig", start)
    )
    assert waivers(ops.nudge_plan(departs - timedelta(hours=72, minutes=1))) == []
    first = waivers(ops.nudge_plan(departs - timedelta(hours=71, minutes=59)))
    assert sorted((r.nudge.kind, *r.to) for r in first) == [
        ("waiver_reminder_72h", "gail@example.com"),
        ("waiver_reminder_72h", "hal@example.com"),
    ]
    mail = next(r for r in first if r.to == [gail.email])
    assert mail.subject.startswith("Reminder: sign your waiver for Sunset sail (")
    assert "Hello Gail," in mail.text and "ask the office for a new one" in mail.text
    assert waivers(ops.nudge_plan(departs - timedelta(hours=30))) == []
    # added after the 72 h run but (by the clock) before both moments: only the 24 h one
    ops.add_guest(admin, event.id, email="late@example.com", name="Late")
    now.now = departs - timedelta(hours=30)
    just_added = ops.add_guest(admin, event.id, email="new@example.com", name="New")
    second = waivers(ops.nudge_plan(departs - timedelta(hours=23)))
    assert sorted(r.to[0] for r in second) == [
        "gail@example.com",
        "hal@example.com",
        "late@example.com",
        "new@example.com",
    ]
    assert {r.nudge.kind for r in second} == {"waiver_reminder_24h"}
    assert just_added.email in {r.to[0] for r in second}
    assert waivers(ops.nudge_plan(departs - timedelta(hours=22))) == []
    assert waivers(ops.nudge_plan(departs - timedelta(hours=1))) == []


def gail_on_a_trip(ops: OpsService, admin: OpsUser, departs: datetime) -> Event:
    """A trip leaving at ``departs`` with Gail on hold (added now)."""
    event = ops.create_event(admin, trip(starts_at=departs.isoformat()))
    ops.add_guest(admin, event.id, email="gail@example.com", name="Gail")
    return event


def test_a_guest_added_inside_a_window_skips_that_reminder(
    ops: OpsService, people: dict[str, OpsUser], now: Clock
) -> None:
    admin = people["admin"]
    departs = now.now + timedelta(hours=30)
    event = gail_on_a_trip(ops, admin, departs)
    assert waivers(ops.nudge_plan(now.now + timedelta(minutes=5))) == []  # just had the link
    assert len(waivers(ops.nudge_plan(departs - timedelta(hours=23)))) == 1
    now.now = departs - timedelta(hours=3)
    ops.add_guest(admin, event.id, email="last@example.com", name="Last minute")
    assert waivers(ops.nudge_plan(departs - timedelta(hours=2))) == []


def test_no_waiver_reminders_for_a_cancelled_trip(
    ops: OpsService, people: dict[str, OpsUser], now: Clock
) -> None:
    departs = now.now + timedelta(hours=100)
    event = gail_on_a_trip(ops, people["admin"], departs)
    ops.cancel_event(people["admin"], event.id)
    assert waivers(ops.nudge_plan(departs - timedelta(hours=23))) == []
