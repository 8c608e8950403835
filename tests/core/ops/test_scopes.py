"""Entity scopes, the one visibility rule, waivers signed once and event-time windows, on
every ops backend."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.auth.dashboard_users import UserScope
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.ops.actors import dashboard_actor
from core.ops.models import OpsUser
from core.ops.service import OpsService
from core.ops.store import OpsStore
from tests.core.ops.conftest import NOW, Clock, trip
from tests.core.ops.test_contract import WAIVER, as_guest

CENTAUR = "DangerousCentaur"
QUEEN = "QueenofSanDiego"


@pytest.fixture
def scoped(ops: OpsService, people: dict[str, OpsUser]) -> dict[str, Any]:
    """A Queen trip (with a guest and a crew holder) and admin/crew scoped to Centaur."""
    queen = ops.create_event(people["admin"], trip(days=3))
    ops.claim(people["crew1"], queen.id, "crew")
    guest = ops.add_guest(people["admin"], queen.id, email="q@example.com", name="Quinn")
    centaur = ops.create_event(people["admin"], trip(days=4, entity=CENTAUR))
    return {
        "queen": queen,
        "centaur": centaur,
        "guest": guest,
        "admin": ops.add_user(
            email="ca@example.com", name="Cent Admin", role="admin", entities=frozenset({CENTAUR})
        ),
        "crew": ops.add_user(
            email="cc@example.com", name="Cent Crew", role="crew", entities=frozenset({CENTAUR})
        ),
    }


def test_scope_is_stored_and_old_records_read_as_all(ops_store: OpsStore, ops: OpsService) -> None:
    two = frozenset({CENTAUR, QUEEN})
    user = ops.add_user(email="s@example.com", name="S", role="admin", entities=two)
    assert ops_store.get_user(user.id).entities == two
    assert ops_store.find_user("s@example.com") == user
    everyone = ops.add_user(email="all@example.com", name="A", role="crew")
    assert ops_store.get_user(everyone.id).entities is None
    # a record written before scopes existed has no "entities" key: it reads as all entities
    from core.ops.codec import dump, load

    old = {k: v for k, v in dump(user).items() if k != "entities"}
    assert load(OpsUser, json.loads(json.dumps(old))).entities is None
    with pytest.raises(Invalid) as err:
        ops.add_user(email="none@example.com", name="N", role="crew", entities=frozenset())
    assert "entities" in err.value.fields


def test_a_scoped_admin_sees_and_changes_only_its_entities(
    ops_store: OpsStore, ops: OpsService, scoped: dict[str, Any]
) -> None:
    admin, queen, centaur = scoped["admin"], scoped["queen"], scoped["centaur"]
    listed = ops.events(admin, NOW, NOW + timedelta(days=30))
    assert [e.id for e in listed] == [centaur.id]
    assert ops.view(admin, centaur.id).event == centaur
    hidden: list[Callable[[], object]] = [
        lambda: ops.view(admin, queen.id),
        lambda: ops.event(admin, queen.id),
        lambda: ops.manifest(admin, queen.id),
        lambda: ops.add_guest(admin, queen.id, email="x@example.com", name="X"),
        lambda: ops.guest(admin, queen.id, scoped["guest"].id),
        lambda: ops.check_in(admin, queen.id, scoped["guest"].id),
        lambda: ops.checklist(admin, queen.id),
        lambda: ops.tick(admin, queen.id, "underway-1", True),
        lambda: ops.release(admin, queen.id, ops_store.claims(queen.id)[0].user_id),
        lambda: ops.update_event(admin, queen.id, {"title": "Mine now"}),
        lambda: ops.cancel_event(admin, queen.id),
    ]
    for call in hidden:
        with pytest.raises(NotFound):  # not Forbidden: the event's existence stays private
            call()
    with pytest.raises(Forbidden):
        ops.create_event(admin, trip(days=6))
    with pytest.raises(Forbidden):
        ops.update_event(admin, centaur.id, {"entity": QUEEN})
    made = ops.create_event(admin, trip(days=6, entity=CENTAUR))
    assert ops.update_event(admin, made.id, {"title": "Night sail"}).title == "Night sail"
    # nothing out of scope changed
    assert ops_store.get_event(queen.id) == queen
    assert len(ops_store.claims(queen.id)) == 1
    assert [g.name for g in ops_store.guests(queen.id)] == ["Quinn"]


def test_scoped_crew_claim_only_in_scope(ops: OpsService, scoped: dict[str, Any]) -> None:
    crew = scoped["crew"]
    with pytest.raises(NotFound):
        ops.claim(crew, scoped["queen"].id, "crew")
    assert ops.claim(crew, scoped["centaur"].id, "crew").user_id == crew.id
    assert [e.id for e in ops.events(crew, NOW, NOW + timedelta(days=30))] == [scoped["centaur"].id]


def test_crew_list_is_limited_to_shared_entities(
    ops: OpsService, people: dict[str, OpsUser], scoped: dict[str, Any]
) -> None:
    queen_only = ops.add_user(
        email="qo@example.com", name="Q Only", role="crew", entities=frozenset({QUEEN})
    )
    seen = {u.email for u in ops.crew(scoped["admin"])}
    assert "cc@example.com" in seen and "c1@example.com" in seen  # scoped + everyone's crew
    assert queen_only.email not in seen and "g@example.com" not in seen  # other scope, guests
    assert queen_only.email in {u.email for u in ops.crew(people["admin"])}
    with pytest.raises(Forbidden):
        ops.crew(people["crew1"])


def test_guests_see_only_their_events_in_list_and_by_id(
    ops: OpsService, scoped: dict[str, Any]
) -> None:
    quinn = as_guest("q@example.com")
    assert [e.id for e in ops.events(quinn, NOW, NOW + timedelta(days=30))] == [scoped["queen"].id]
    assert ops.view(quinn, scoped["queen"].id).event.id == scoped["queen"].id
    with pytest.raises(NotFound):
        ops.view(quinn, scoped["centaur"].id)
    with pytest.raises(NotFound):
        ops.sign_waiver(quinn, scoped["centaur"].id, WAIVER)


def test_dashboard_actor_is_derived_and_never_stored(
    ops_store: OpsStore, ops: OpsService, scoped: dict[str, Any]
) -> None:
    before = ops_store.list_users()
    ceo = dashboard_actor(UserScope("ceo@example.com", "Cee", "ceo", frozenset({CENTAUR})))
    assert (ceo.role, ceo.entities) == ("admin", frozenset({CENTAUR}))
    owner = dashboard_actor(UserScope("owner@example.com", "Own", "owner", frozenset({QUEEN})))
    assert (owner.role, owner.entities) == ("admin", None)
    global_ceo = dashboard_actor(UserScope("boss@example.com", "B", "ceo", None))
    assert global_ceo.entities is None
    with pytest.raises(Forbidden):
        dashboard_actor(UserScope("cfo@example.com", "C", "cfo", None))
    # what the dashboard does as the CEO works and stays in scope
    assert [e.id for e in ops.events(ceo, NOW, NOW + timedelta(days=30))] == [scoped["centaur"].id]
    made = ops.create_event(ceo, trip(days=8, entity=CENTAUR))
    guest = ops.add_guest(ceo, made.id, email="gg@example.com", name="Gigi")
    holder = ops.claim(scoped["crew"], made.id, "crew")
    ops.release(ceo, made.id, holder.user_id)
    with pytest.raises(NotFound):
        ops.manifest(ceo, scoped["queen"].id)
    assert ops_store.find_user("ceo@example.com") is None
    assert ops_store.list_users() == before
    assert [g.id for g in ops.manifest(ceo, made.id)] == [guest.id]


def test_control_characters_in_text_are_refused(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    admin = people["admin"]
    with pytest.raises(Invalid) as err:
        ops.create_event(admin, trip(title="Sail\r\nBcc: x@example.com", vessel="JA\tDA"))
    assert set(err.value.fields) == {"title", "vessel"}
    event = ops.create_event(admin, trip())
    with pytest.raises(Invalid) as err:
        ops.update_event(admin, event.id, {"title": "a\x00b"})
    assert set(err.value.fields) == {"title"}
    with pytest.raises(Invalid) as err:
        ops.add_guest(admin, event.id, email="a@example.com", name="Ann\nBob")
    assert set(err.value.fields) == {"name"}
    with pytest.raises(Invalid) as err:
        ops.add_user(email="n@example.com", name="Nul\x00", role="crew")
    assert set(err.value.fields) == {"name"}
    guest = ops.add_guest(admin, event.id, email="w@example.com", name="W")
    with pytest.raises(Invalid) as err:
        ops.sign_waiver(as_guest(guest.email), event.id, {**WAIVER, "full_name": "W\rX"})
    assert set(err.value.fields) == {"full_name"}
    assert ops_store.get_event(event.id).title == "Sunset sail"


@pytest.mark.parametrize(
    "email",
    ["a@example.com,b@example.com", "a b@example.com", "a@example.com\r\n", "a@@example.com"],
)
def test_one_strict_email_check(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser], email: str
) -> None:
    event = ops.create_event(people["admin"], trip())
    with pytest.raises(Invalid) as err:
        ops.add_guest(people["admin"], event.id, email=email, name="X")
    assert set(err.value.fields) == {"email"}
    with pytest.raises(Invalid):
        ops.add_user(email=email, name="X", role="crew")
    assert ops_store.guests(event.id) == []


def test_a_waiver_is_signed_once(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser], clock: Clock
) -> None:
    event = ops.create_event(people["admin"], trip())
    guest = ops.add_guest(people["admin"], event.id, email="w@example.com", name="W")
    me = as_guest(guest.email)
    with pytest.raises(Forbidden):  # crew or admins never sign for a guest
        ops.sign_waiver(people["admin"], event.id, WAIVER)
    first = ops.sign_waiver(me, event.id, WAIVER)
    clock.now = NOW + timedelta(hours=1)
    with pytest.raises(Conflict) as err:
        ops.sign_waiver(me, event.id, {**WAIVER, "full_name": "Someone Else"})
    assert err.value.code == "already_signed"
    ops.check_in(people["admin"], event.id, guest.id)
    with pytest.raises(Conflict) as err:
        ops.sign_waiver(me, event.id, {**WAIVER, "full_name": "Someone Else"})
    assert err.value.code == "already_checked_in"
    kept = ops_store.get_guest(event.id, guest.id)
    assert kept.status == "checked_in" and kept.waiver == first.waiver
    # the store refuses too, whoever calls it
    with pytest.raises(Conflict) as err:
        ops_store.sign_waiver(event.id, guest.id, first.waiver)  # type: ignore[arg-type]
    assert err.value.code == "already_checked_in"


def test_windows_in_any_offset_find_the_same_events(
    ops_store: OpsStore, ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip(days=3, hours=18))  # 18:00 LA
    tokyo = ZoneInfo("Asia/Tokyo")
    start = event.starts_at.astimezone(tokyo) - timedelta(hours=1)
    end = event.starts_at.astimezone(tokyo) + timedelta(hours=1)
    assert start.utcoffset() == timedelta(hours=9)
    assert [e.id for e in ops_store.list_events(start, end)] == [event.id]
    assert [e.id for e in ops.events(people["admin"], start, end)] == [event.id]
    later = event.starts_at.astimezone(tokyo) + timedelta(minutes=1)
    assert ops_store.list_events(later, later + timedelta(days=1)) == []
    utc = event.starts_at.astimezone(UTC)
    assert [e.id for e in ops_store.list_events(utc, utc + timedelta(seconds=1))] == [event.id]
    assert ops_store.list_events(utc - timedelta(seconds=1), utc) == []
    assert isinstance(event.starts_at, datetime)


def test_the_upcoming_list_runs_from_12_hours_ago_to_90_days_ahead(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    admin = people["admin"]
    at = {
        "left 13 h ago": NOW - timedelta(hours=13),
        "left 11 h ago": NOW - timedelta(hours=11),
        "in 89 days": NOW + timedelta(days=89),
        "in 91 days": NOW + timedelta(days=91),
    }
    for title, start in at.items():
        ops.create_event(admin, trip(title=title, starts_at=start.isoformat()))
    assert [e.title for e in ops.upcoming(admin)] == ["left 11 h ago", "in 89 days"]
    later = NOW + timedelta(days=2)  # the window follows the time given
    assert [e.title for e in ops.upcoming(admin, later)] == ["in 89 days", "in 91 days"]
    asked = ops.upcoming(admin, start=NOW - timedelta(days=1), end=NOW)
    assert [e.title for e in asked] == ["left 13 h ago", "left 11 h ago"]
