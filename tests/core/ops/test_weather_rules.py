"""Weather on each ops store: the forecast cache (an hour per grid point, ten minutes after a
failure), the trip's flag on its view, the vessels' limits (admins, in their entities), and
the once-only no-go reminder when the fake server's forecast flips."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from core.errors import Forbidden, Invalid
from core.ops.go_no_go import Limits, VesselWeather
from core.ops.models import OpsUser, utcnow
from core.ops.rules.weather import grid_key
from core.ops.service import OpsService
from core.ops.store import OpsStore
from core.ops.weather import NwsClient
from devtools.fake_nws import FakeNws, fake_nws
from tests.core.ops.conftest import NOW, Clock, trip


@pytest.fixture
def nws(ops: OpsService) -> Iterator[FakeNws]:
    """A fake NWS with a calm week from NOW, wired into the service."""
    with fake_nws() as server:
        server.calm(NOW - timedelta(hours=1))
        ops.forecasts = NwsClient(server.base, agent="tests")
        yield server


def test_the_cache_keeps_a_body_until_it_expires(ops_store: OpsStore) -> None:
    ops_store.cache_forecast("32.7157,-117.1611", {"forecast": {"a": 1}}, NOW + timedelta(hours=1))
    assert ops_store.cached_forecast("32.7157,-117.1611", NOW) == {"forecast": {"a": 1}}
    assert ops_store.cached_forecast("32.7157,-117.1611", NOW + timedelta(hours=1)) is None
    assert ops_store.cached_forecast("0.0000,0.0000", NOW) is None
    ops_store.cache_forecast("32.7157,-117.1611", {"forecast": None}, NOW + timedelta(hours=2))
    assert ops_store.cached_forecast("32.7157,-117.1611", NOW) == {"forecast": None}


def test_vessel_settings_are_kept_per_entity_and_vessel(ops_store: OpsStore) -> None:
    jada = VesselWeather("QueenofSanDiego", "JADA", Limits(no_go_gust_kt=28), 32.7, -117.2)
    ops_store.save_vessel_weather(jada)
    ops_store.save_vessel_weather(VesselWeather("Elsewhere", "JADA"))
    assert ops_store.vessel_weather("QueenofSanDiego", " jada ") == jada
    assert ops_store.vessel_weather("QueenofSanDiego", "Other") is None
    changed = VesselWeather("QueenofSanDiego", "Jada", Limits(no_go_gust_kt=26))
    ops_store.save_vessel_weather(changed)  # the same vessel, renamed in case: replaced
    assert [(s.entity, s.limits.no_go_gust_kt) for s in ops_store.list_vessel_weather()] == [
        ("Elsewhere", 30),
        ("QueenofSanDiego", 26),
    ]


def test_one_fetch_an_hour_per_grid_point(
    ops: OpsService, people: dict[str, OpsUser], nws: FakeNws, clock: Clock
) -> None:
    first = ops.create_event(people["admin"], trip(days=2))
    second = ops.create_event(people["admin"], trip(days=3))
    weather = ops.trip_weather(first)
    assert (weather.go_no_go, weather.wind_kt, weather.gust_kt, weather.wave_ft) == (
        "go",
        8,
        12,
        2.0,
    )
    assert weather.fetched_at == NOW
    assert ops.trip_weather(second).go_no_go == "go"
    assert ops.view(people["crew1"], first.id).weather == weather
    assert len(nws.requests) == 3  # one fetch for both trips and the view
    clock.now = NOW + timedelta(minutes=59)
    ops.trip_weather(first)
    assert len(nws.requests) == 3
    clock.now = NOW + timedelta(minutes=61)
    assert ops.trip_weather(first).fetched_at == clock.now
    assert len(nws.requests) == 6


def test_a_failure_is_unknown_and_asked_again_after_ten_minutes(
    ops: OpsService, people: dict[str, OpsUser], nws: FakeNws, clock: Clock
) -> None:
    event = ops.create_event(people["admin"], trip(days=1))
    nws.faults = ["500"]
    weather = ops.trip_weather(event)
    assert weather.to_dict() == {
        "go_no_go": "unknown",
        "reasons": ["no forecast available right now"],
    }
    clock.now = NOW + timedelta(minutes=9)
    assert ops.trip_weather(event).go_no_go == "unknown"
    assert len(nws.requests) == 1  # the failure is remembered: pages do not wait on it
    clock.now = NOW + timedelta(minutes=11)
    assert ops.trip_weather(event).go_no_go == "go"


def test_only_trips_within_a_week_fetch(
    ops: OpsService, people: dict[str, OpsUser], nws: FakeNws
) -> None:
    far = ops.create_event(people["admin"], trip(days=8))
    weather = ops.trip_weather(far)
    assert weather.go_no_go == "unknown" and "7 days" in weather.reasons[0]
    cancelled = ops.cancel_event(people["admin"], ops.create_event(people["admin"], trip()).id)
    assert ops.trip_weather(cancelled).reasons == ("the trip is cancelled",)
    assert nws.requests == []


def test_without_a_forecast_service_every_trip_is_unknown(
    ops: OpsService, people: dict[str, OpsUser]
) -> None:
    event = ops.create_event(people["admin"], trip(days=1))
    assert ops.view(people["admin"], event.id).weather.go_no_go == "unknown"  # type: ignore[union-attr]


def test_a_vessels_own_port_and_limits_are_used(
    ops: OpsService, people: dict[str, OpsUser], nws: FakeNws
) -> None:
    ops.set_vessel_weather(
        people["admin"],
        "QueenofSanDiego",
        "JADA",
        {"caution_wind_kt": 5, "no_go_wind_kt": 8, "lat": 33.2, "lon": -117.4},
    )
    event = ops.create_event(people["admin"], trip(days=1))  # vessel JADA
    weather = ops.trip_weather(event)
    assert (weather.go_no_go, weather.reasons) == ("no_go", ("wind 8 kt (no-go from 8 kt)",))
    assert nws.paths()[0] == "/points/33.2,-117.4"
    other = ops.create_event(people["admin"], trip(days=1, vessel="Dinghy"))
    assert ops.trip_weather(other).go_no_go == "go"
    assert nws.paths()[3] == "/points/32.7157,-117.1611"  # the home port, its own grid


def test_limits_are_set_by_admins_in_their_entities(
    ops: OpsService, ops_store: OpsStore, people: dict[str, OpsUser]
) -> None:
    other = ops.add_user(
        email="else@example.com", name="E", role="admin", entities=frozenset({"Elsewhere"})
    )
    for actor in (people["crew1"], people["cap"], people["guest"], other):
        with pytest.raises(Forbidden):
            ops.set_vessel_weather(actor, "QueenofSanDiego", "JADA", {"no_go_gust_kt": 40})
    assert ops_store.list_vessel_weather() == []
    saved = ops.set_vessel_weather(people["admin"], "QueenofSanDiego", "JADA", {})
    assert saved.limits == Limits() and saved.updated_by == "admin@example.com"
    assert ops.vessel_weather_settings(other) == []
    assert ops.vessel_weather_settings(people["admin"]) == [saved]
    with pytest.raises(Forbidden):
        ops.vessel_weather_settings(people["crew1"])


def test_bad_limits_name_every_field(ops: OpsService, people: dict[str, OpsUser]) -> None:
    with pytest.raises(Invalid) as caught:
        ops.set_vessel_weather(
            people["admin"],
            "QueenofSanDiego",
            "",
            {
                "caution_wind_kt": "windy",
                "no_go_wave_ft": -1,
                "caution_gust_kt": 35,
                "lat": 91,
            },
        )
    assert set(caught.value.fields) == {
        "vessel",
        "caution_wind_kt",
        "no_go_wave_ft",
        "no_go_gust_kt",
        "lat",
        "lon",
    }


def test_a_no_go_within_48_hours_tells_the_admins_once(
    ops: OpsService, people: dict[str, OpsUser], nws: FakeNws, clock: Clock
) -> None:
    # once-only marks expire by the real clock, so this test runs at the real now
    now = clock.now = utcnow().replace(microsecond=0)
    nws.calm(now - timedelta(hours=1))
    ops.add_user(email="else@example.com", name="E", role="admin", entities=frozenset({"Else"}))
    soon = ops.create_event(
        people["admin"], trip(starts_at=(now + timedelta(hours=30)).isoformat())
    )
    later = ops.create_event(
        people["admin"], trip(starts_at=(now + timedelta(hours=60)).isoformat())
    )

    def weather_nudges(at: timedelta) -> list[tuple[str, list[str], str]]:
        clock.now = now + at
        return [
            (r.nudge.event_id, r.to, r.nudge.detail)
            for r in ops.nudge_plan(clock.now)
            if r.nudge.kind == "weather_no_go"
        ]

    assert weather_nudges(timedelta(0)) == []
    nws.gale(now - timedelta(hours=1))  # the forecast flips
    assert weather_nudges(timedelta(minutes=30)) == []  # still the cached calm forecast
    [(event_id, to, detail)] = weather_nudges(timedelta(minutes=61))
    assert (event_id, to) == (soon.id, ["admin@example.com"])  # not the other entity's admin
    assert detail.startswith("weather no-go: wind 34 kt (no-go from 25 kt)")
    assert later.id != event_id  # 60 h out: not yet
    skipped: list = []
    clock.now = now + timedelta(minutes=90)
    plan = ops.nudge_plan(clock.now, skipped=skipped)
    assert [r for r in plan if r.nudge.kind == "weather_no_go"] == []  # once
    assert [r.nudge.event_id for r in skipped if r.nudge.kind == "weather_no_go"] == [soon.id]


def test_grid_keys_name_a_place_to_four_decimals() -> None:
    assert grid_key(32.71571, -117.16109) == "32.7157,-117.1611"
