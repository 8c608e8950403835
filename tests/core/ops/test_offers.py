"""Slot offers on every backend: the atomic take, racing takers, closing at departure with an
injected clock, the taker's qualification and clashes, stale offers, cancel, and the
"slot offered" reminders."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import pytest

from core.errors import Conflict, Forbidden, NotFound
from core.ops.models import OpsUser, utcnow
from core.ops.offers import OfferReminder
from core.ops.service import OpsService
from core.ops.store import OpsStore
from tests.core.ops.conftest import Clock, trip


def _trip_with_holders(ops: OpsService, people: dict[str, OpsUser], **extra: Any) -> str:
    event = ops.create_event(people["admin"], trip(**extra))
    ops.claim(people["cap"], event.id, "captain")
    ops.claim(people["crew1"], event.id, "crew")
    return event.id


def test_take_moves_the_slot_and_closes_the_offer(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    eid = _trip_with_holders(ops, people)
    offer = ops.offer_slot(people["crew1"], eid, "crew")
    assert (offer.status, offer.slot_no, offer.closes_at) == (
        "open",
        1,
        ops_store.get_event(eid).starts_at,
    )
    assert [o.id for o in ops.view(people["admin"], eid).offers] == [offer.id]
    claim = ops.take_offer(people["crew2"], offer.id)
    assert (claim.user_id, claim.slot_no, claim.claimed_at) == (people["crew2"].id, 1, clock.now)
    holders = {(c.role, c.slot_no): c.user_id for c in ops_store.claims(eid)}
    assert holders == {("captain", 1): people["cap"].id, ("crew", 1): people["crew2"].id}
    assert ops_store.user_claims(people["crew1"].id) == []
    assert [c.event_id for c in ops_store.user_claims(people["crew2"].id)] == [eid]
    stored = ops_store.get_offer(offer.id)
    assert (stored.status, stored.taken_by, stored.ended_at) == (
        "taken",
        people["crew2"].id,
        clock.now,
    )
    assert ops_store.event_offers(eid) == [] and ops_store.open_offers(clock.now) == []
    # the new holder may offer it on, and the old one may claim a free slot again
    assert ops.offer_slot(people["crew2"], eid, "crew").status == "open"
    assert ops.claim(people["crew1"], eid, "crew").slot_no == 2


def test_two_takers_racing_exactly_one_wins(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    eid = _trip_with_holders(ops, people)
    offer = ops.offer_slot(people["crew1"], eid, "crew")
    takers = [people["crew2"]] + [
        ops.add_user(email=f"t{i}@example.com", name=f"T{i}", role="crew") for i in range(9)
    ]
    barrier = threading.Barrier(len(takers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: OpsUser) -> None:
        barrier.wait()
        try:
            ops.take_offer(user, offer.id)
            result = f"won:{user.id}"
        except Conflict as exc:
            result = exc.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(u,)) for u in takers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    won = [o for o in outcomes if o.startswith("won:")]
    assert len(won) == 1 and len(outcomes) == 10
    assert sorted(set(outcomes) - set(won)) == ["offer_taken"]
    winner = won[0].removeprefix("won:")
    assert {c.user_id for c in ops_store.claims(eid) if c.role == "crew"} == {winner}
    holders = [u for u in takers if ops_store.user_claims(u.id)]
    assert [u.id for u in holders] == [winner]
    assert ops_store.user_claims(people["crew1"].id) == []


def test_offers_close_at_departure(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    eid = _trip_with_holders(ops, people, days=1)
    offer = ops.offer_slot(people["crew1"], eid, "crew")
    departs = ops_store.get_event(eid).starts_at
    clock.now = departs - timedelta(seconds=1)
    assert [o.id for o, _ in ops.open_offers(people["crew2"])] == [offer.id]
    clock.now = departs
    with pytest.raises(Conflict) as exc:
        ops.take_offer(people["crew2"], offer.id)
    assert exc.value.code == "offer_closed"
    assert ops.open_offers(people["crew2"]) == []
    assert ops.view(people["admin"], eid).offers == ()
    with pytest.raises(Conflict) as made:
        ops.offer_slot(people["cap"], eid, "captain")
    assert made.value.code == "event_closed"
    assert {c.user_id for c in ops_store.claims(eid)} == {people["cap"].id, people["crew1"].id}


def test_the_taker_qualifies_as_for_a_claim(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    eid = _trip_with_holders(ops, people)
    captain_offer = ops.offer_slot(people["cap"], eid, "captain")
    with pytest.raises(Forbidden) as crew_try:
        ops.take_offer(people["crew2"], captain_offer.id)
    assert crew_try.value.code == "not_qualified"
    with pytest.raises(Forbidden) as expired:  # licence ends before the trip is back
        ops.take_offer(people["old_cap"], captain_offer.id)
    assert expired.value.code == "not_qualified"
    with pytest.raises(Forbidden):
        ops.take_offer(people["admin"], captain_offer.id)
    # a captain already on an overlapping trip clashes; the offer stays open
    other = ops.create_event(people["admin"], trip(hours=17))
    spare = ops.add_user(
        email="spare@example.com", name="Sam", role="captain", licence_expires=date(2027, 1, 1)
    )
    ops.claim(spare, other.id, "crew")
    with pytest.raises(Conflict) as clash:
        ops.take_offer(spare, captain_offer.id)
    assert clash.value.code == "overlapping_claim"
    # already on the trip (or the offer's own maker)
    crew_offer = ops.offer_slot(people["crew1"], eid, "crew")
    for who in (people["cap"], people["crew1"]):
        with pytest.raises(Conflict) as on_it:
            ops.take_offer(who, crew_offer.id)
        assert on_it.value.code == "already_claimed"
    assert ops_store.get_offer(captain_offer.id).status == "open"
    assert ops_store.get_offer(crew_offer.id).status == "open"
    ops.release(people["admin"], other.id, spare.id)
    assert ops.take_offer(spare, crew_offer.id).user_id == spare.id  # crew slots: captains too


def test_only_the_holder_offers_once_and_cancel_closes(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    eid = _trip_with_holders(ops, people)
    with pytest.raises(Forbidden) as not_holder:
        ops.offer_slot(people["crew2"], eid, "crew")
    assert not_holder.value.code == "not_holder"
    with pytest.raises(NotFound):  # a guest not on the manifest does not see the trip
        ops.offer_slot(people["guest"], eid, "crew")
    offer = ops.offer_slot(people["crew1"], eid, "crew")
    with pytest.raises(Conflict) as twice:
        ops.offer_slot(people["crew1"], eid, "crew")
    assert twice.value.code == "offer_exists"
    with pytest.raises(Forbidden):
        ops.cancel_offer(people["crew2"], offer.id)
    cancelled = ops.cancel_offer(people["crew1"], offer.id)
    assert cancelled.status == "cancelled" and ops_store.get_offer(offer.id).status == "cancelled"
    with pytest.raises(Conflict) as closed:
        ops.take_offer(people["crew2"], offer.id)
    assert closed.value.code == "offer_closed"
    again = ops.offer_slot(people["crew1"], eid, "crew")  # a new offer after a cancel
    ops.cancel_offer(people["admin"], again.id)
    with pytest.raises(NotFound):
        ops.take_offer(people["crew2"], "no-such-offer")


def test_an_offer_whose_slot_was_released_is_stale(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    eid = _trip_with_holders(ops, people)
    offer = ops.offer_slot(people["crew1"], eid, "crew")
    ops.release(people["admin"], eid, people["crew1"].id)
    assert ops.view(people["admin"], eid).offers == ()
    assert ops.open_offers(people["crew2"]) == []
    ops.claim(people["crew2"], eid, "crew")  # slot 1 again, someone else's now
    with pytest.raises(Conflict) as stale:
        ops.take_offer(people["old_cap"], offer.id)
    assert stale.value.code == "offer_closed"
    assert {c.user_id for c in ops_store.claims(eid)} == {people["cap"].id, people["crew2"].id}
    assert ops.offer_slot(people["crew2"], eid, "crew").slot_no == 1  # not blocked by the stale


def test_offer_reminders_go_once_to_qualified_people_in_scope(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    # marks expire by the real clock, so this test runs at the real now
    now = clock.now = utcnow().replace(microsecond=0)
    eid = _trip_with_holders(ops, people, starts_at=(now + timedelta(hours=40)).isoformat())
    valid = (now + timedelta(days=400)).date()
    far = ops.add_user(
        email="far@example.com",
        name="Far",
        role="captain",
        licence_expires=valid,
        entities=frozenset({"X"}),
    )
    ops.add_user(email="sp@example.com", name="Sp", role="captain", licence_expires=valid)
    ops.add_user(  # their licence ends before the trip is back
        email="ends@example.com", name="End", role="captain", licence_expires=now.date()
    )
    offer = ops.offer_slot(people["cap"], eid, "captain")
    plan = ops.nudge_plan(clock.now)
    offered = [r for r in plan if isinstance(r, OfferReminder)]
    assert len(offered) == 1
    # a captain's slot: a captain in scope whose licence outlasts the trip; not the one whose
    # licence ends first, not crew, not the admin, not the captain out of scope
    assert offered[0].to == ["sp@example.com"]
    assert far.email not in offered[0].to
    assert offered[0].subject.startswith("A slot is offered on Sunset sail (")
    assert "Cal Captain offers their captain slot" in offered[0].text
    unfilled = [r for r in plan if r.nudge.kind == "unfilled_slots"]
    assert "open offers: 1 captain" in unfilled[0].nudge.detail
    skipped: list[Any] = []
    again = ops.nudge_plan(clock.now + timedelta(minutes=5), skipped=skipped)
    assert not [r for r in again if isinstance(r, OfferReminder)]
    assert [r.offer.id for r in skipped if isinstance(r, OfferReminder)] == [offer.id]
