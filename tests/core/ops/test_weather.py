"""The NWS client against a real local HTTP server serving NWS-shaped JSON: units, intervals,
alerts, the User-Agent, and every failure (timeout, 500, bad JSON, odd shapes) as no forecast."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core.config import Settings
from core.errors import Invalid
from core.ops.factory import ops_service
from core.ops.sqlite import SqliteOpsStore
from core.ops.weather import NwsClient, OddAnswer, interval, user_agent
from devtools.dynamodb_local import free_port
from devtools.fake_nws import FakeNws, alert, fake_nws, grid, layer

NOW = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


@pytest.fixture
def nws() -> Iterator[FakeNws]:
    with fake_nws() as server:
        server.calm(NOW)
        yield server


def client(nws: FakeNws, timeout: float = 3.0) -> NwsClient:
    return NwsClient(nws.base, agent=user_agent("https://crew.example.com"), timeout=timeout)


def test_a_forecast_in_knots_and_feet_from_the_three_calls(nws: FakeNws) -> None:
    forecast = client(nws).forecast(32.7157, -117.1611, NOW)
    assert forecast is not None
    assert nws.paths() == ["/points/32.7157,-117.1611", "/gridpoints/SGX/55,13", "/alerts/active"]
    assert nws.requests[2]["point"] == "32.7157,-117.1611"
    assert {r["agent"] for r in nws.requests} == {"exec-platform-crew (https://crew.example.com)"}
    first = forecast.wind_kt[0]
    assert (first.start, first.end) == (NOW, NOW + timedelta(hours=3))
    assert first.value == pytest.approx(8)  # served as 14.816 km/h
    assert forecast.gust_kt[0].value == pytest.approx(12)
    assert forecast.wave_ft[0].value == pytest.approx(2)  # served as 0.6096 m
    assert forecast.fetched_at == NOW and forecast.alerts == ()


def test_coordinates_go_out_with_at_most_four_decimals(nws: FakeNws) -> None:
    client(nws).forecast(32.7, -117.161149, NOW)
    assert nws.paths()[0] == "/points/32.7,-117.1611"


def test_alerts_keep_event_headline_severity_and_times(nws: FakeNws) -> None:
    nws.alerts = [alert("Small Craft Advisory", NOW, NOW + timedelta(hours=9))]
    forecast = client(nws).forecast(32.7157, -117.1611, NOW)
    assert forecast is not None
    [a] = forecast.alerts
    assert (a.event, a.severity, a.onset, a.ends) == (
        "Small Craft Advisory",
        "Minor",
        NOW,
        NOW + timedelta(hours=9),
    )
    assert a.headline == "Small Craft Advisory issued by NWS San Diego CA"


def test_a_grid_without_waves_and_null_values_still_gives_wind(nws: FakeNws) -> None:
    nws.weather = grid(NOW, wind_kt=10, gust_kt=14, wave_ft=None)
    nws.weather["properties"]["windGust"] = layer(NOW, 6, None, "wmoUnit:km_h-1")
    forecast = client(nws).forecast(32.7157, -117.1611, NOW)
    assert forecast is not None
    assert forecast.wave_ft == () and forecast.gust_kt == ()
    assert forecast.wind_kt[0].value == pytest.approx(10)


@pytest.mark.parametrize("fault", ["500", "junk", "odd"])
@pytest.mark.parametrize("call", [0, 1, 2])
def test_a_failed_call_is_no_forecast_never_an_error(nws: FakeNws, fault: str, call: int) -> None:
    nws.faults = ["ok"] * call + [fault]
    assert client(nws).forecast(32.7157, -117.1611, NOW) is None
    assert len(nws.requests) == call + 1  # stops at the first failure


def test_a_slow_service_times_out_as_no_forecast(nws: FakeNws) -> None:
    nws.faults, nws.slow_seconds = ["slow"], 2.0
    started = time.perf_counter()
    assert client(nws, timeout=0.3).forecast(32.7157, -117.1611, NOW) is None
    assert time.perf_counter() - started < 1.5


def test_three_slow_calls_stop_at_the_budget(nws: FakeNws) -> None:
    nws.faults, nws.slow_seconds = ["slow", "slow", "slow"], 0.4
    slow = NwsClient(nws.base, agent="t", timeout=3.0, budget=0.6)
    started = time.perf_counter()
    assert slow.forecast(32.7157, -117.1611, NOW) is None
    assert time.perf_counter() - started < 1.2
    assert len(nws.requests) == 2  # the second call ran out of time; no third


def test_a_service_that_is_not_there_is_no_forecast() -> None:
    down = NwsClient(f"http://127.0.0.1:{free_port()}", agent="t")
    assert down.forecast(32.7157, -117.1611, NOW) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda w: w["properties"]["windSpeed"].update(uom="wmoUnit:furlong_fortnight-1"),
        lambda w: w["properties"]["windSpeed"]["values"][0].update(validTime="2026-11-26/P1M"),
        lambda w: w["properties"]["windSpeed"]["values"][0].update(value="fast"),
        lambda w: w["properties"].update(windSpeed=[1, 2]),
        lambda w: w.update(properties=None),
        lambda w: w["properties"]["windSpeed"].update(values=[{"value": None}] * 1001),
    ],
)
def test_a_grid_of_another_shape_is_no_forecast(nws: FakeNws, change: object) -> None:
    change(nws.weather)  # type: ignore[operator]
    assert client(nws).forecast(32.7157, -117.1611, NOW) is None


def test_a_grid_id_that_is_not_a_grid_is_never_put_in_a_url(nws: FakeNws) -> None:
    from core.ops.weather import grid_path

    with pytest.raises(OddAnswer):
        grid_path({"properties": {"gridId": "../x", "gridX": 1, "gridY": 2}})
    assert grid_path({"properties": {"gridId": "SGX", "gridX": 55, "gridY": 13}}) == "SGX/55,13"


def test_iso_8601_intervals() -> None:
    start, end = interval("2026-11-26T18:00:00+00:00/P1DT6H")
    assert (start, end - start) == (datetime(2026, 11, 26, 18, tzinfo=UTC), timedelta(hours=30))
    assert interval("2026-11-26T18:00:00-08:00/PT45M")[1].minute == 45
    for bad in ("2026-11-26T18:00:00+00:00/P1M", "2026-11-26T18:00:00/PT1H", "x/PT1H", "P"):
        with pytest.raises(ValueError):
            interval(bad)


def test_the_service_asks_the_configured_base_as_the_app(tmp_path: object) -> None:
    settings = Settings.from_env(
        {"WEATHER_API_BASE": "http://127.0.0.1:8999/nws/", "APP_URL": "https://crew.example.com"}
    )
    client = ops_service(settings, SqliteOpsStore(f"{tmp_path}/ops.db")).forecasts
    assert isinstance(client, NwsClient)
    assert (client.base, client.agent) == (
        "http://127.0.0.1:8999/nws",
        "exec-platform-crew (https://crew.example.com)",
    )
    assert Settings.from_env({}).weather_api_base == "https://api.weather.gov"
    with pytest.raises(Invalid) as caught:
        Settings.from_env({"WEATHER_API_BASE": "file:///etc/passwd"})
    assert "WEATHER_API_BASE" in str(caught.value)
