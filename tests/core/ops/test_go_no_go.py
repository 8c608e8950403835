"""Go / caution / no-go at the limits' edges, alerts in and out of the trip's window, and the
JSON the event carries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.ops.forecast import Alert, Forecast, Reading
from core.ops.go_no_go import Limits, TripWeather, VesselWeather, assess, unknown

START = datetime(2026, 11, 27, 18, tzinfo=UTC)
END = START + timedelta(hours=3)


def steady(value: float) -> tuple[Reading, ...]:
    return (Reading(START - timedelta(hours=6), END + timedelta(hours=6), value),)


def forecast(wind: float = 8, gust: float = 12, wave: float | None = 2, *alerts: Alert) -> Forecast:
    return Forecast(
        source="National Weather Service",
        fetched_at=START - timedelta(hours=30),
        wind_kt=steady(wind),
        gust_kt=steady(gust),
        wave_ft=steady(wave) if wave is not None else (),
        alerts=alerts,
    )


@pytest.mark.parametrize(
    ("wind", "flag"),
    [(14.49, "go"), (14.5, "go"), (14.51, "caution"), (15, "caution"), (24.4, "caution"),
     (24.6, "no_go"), (25, "no_go")],
)  # fmt: skip
def test_wind_edges_compare_the_whole_knots_shown(wind: float, flag: str) -> None:
    assert assess(forecast(wind=wind), START, END, Limits()).go_no_go == flag


@pytest.mark.parametrize(
    ("gust", "flag", "reasons"),
    [
        (19.4, "go", []),
        (20, "caution", ["gusts 20 kt (caution from 20 kt)"]),
        (29.4, "caution", ["gusts 29 kt (caution from 20 kt)"]),
        (31, "no_go", ["gusts 31 kt (no-go from 30 kt)"]),
    ],
)
def test_gust_edges_and_their_reasons(gust: float, flag: str, reasons: list[str]) -> None:
    weather = assess(forecast(gust=gust), START, END, Limits())
    assert (weather.go_no_go, list(weather.reasons)) == (flag, reasons)


@pytest.mark.parametrize(
    ("wave", "flag"), [(3.94, "go"), (3.96, "caution"), (7.9, "caution"), (8.0, "no_go")]
)
def test_wave_edges_to_a_tenth_of_a_foot(wave: float, flag: str) -> None:
    assert assess(forecast(wave=wave), START, END, Limits()).go_no_go == flag


def test_only_the_trips_window_counts() -> None:
    calm_then_gale = Forecast(
        source="s",
        fetched_at=START,
        wind_kt=(
            Reading(START - timedelta(hours=3), END, 9),
            Reading(END, END + timedelta(hours=3), 40),  # starts as the trip is back
        ),
    )
    weather = assess(calm_then_gale, START, END, Limits())
    assert (weather.go_no_go, weather.wind_kt) == ("go", 9)


def test_no_go_reasons_come_first_and_the_worst_wins() -> None:
    weather = assess(forecast(wind=18, gust=33), START, END, Limits())
    assert weather.go_no_go == "no_go"
    assert list(weather.reasons) == [
        "gusts 33 kt (no-go from 30 kt)",
        "wind 18 kt (caution from 15 kt)",
    ]


def in_window(event: str) -> Alert:
    return Alert(event, f"{event} until Friday", "Moderate", START - timedelta(hours=1), END)


@pytest.mark.parametrize(
    ("event", "flag"),
    [
        ("Small Craft Advisory", "caution"),
        ("Small Craft Advisory for Hazardous Seas", "caution"),
        ("Gale Warning", "no_go"),
        ("Storm Warning", "no_go"),
        ("Hurricane Force Wind Warning", "no_go"),
        ("Heat Advisory", "go"),  # listed, no effect on the water
    ],
)
def test_marine_alerts_in_force_during_the_trip(event: str, flag: str) -> None:
    weather = assess(forecast(8, 12, 2, in_window(event)), START, END, Limits())
    assert weather.go_no_go == flag
    assert [a.event for a in weather.alerts] == [event]
    assert ("in force" in " ".join(weather.reasons)) is (flag != "go")


def test_an_alert_that_ends_before_departure_is_left_out() -> None:
    over = Alert("Gale Warning", "h", "Severe", START - timedelta(hours=9), START)
    weather = assess(forecast(8, 12, 2, over), START, END, Limits())
    assert (weather.go_no_go, weather.alerts) == ("go", ())


def test_a_vessels_own_limits_move_the_edges() -> None:
    dinghy = Limits(caution_wind_kt=8, no_go_wind_kt=12)
    weather = assess(forecast(wind=12), START, END, dinghy)
    assert (weather.go_no_go, weather.reasons) == ("no_go", ("wind 12 kt (no-go from 12 kt)",))


def test_no_wind_for_the_window_is_unknown_and_no_waves_is_not() -> None:
    empty = Forecast(source="s", fetched_at=START)
    assert assess(empty, START, END, Limits()).go_no_go == "unknown"
    inland = assess(forecast(wave=None), START, END, Limits())
    assert (inland.go_no_go, inland.wave_ft) == ("go", None)


def test_the_events_json() -> None:
    weather = assess(forecast(8, 21, 2.04, in_window("Small Craft Advisory")), START, END, Limits())
    assert weather.to_dict() == {
        "wind_kt": 8,
        "gust_kt": 21,
        "wave_ft": 2.0,
        "alerts": [
            {
                "headline": "Small Craft Advisory until Friday",
                "event": "Small Craft Advisory",
                "severity": "Moderate",
            }
        ],
        "source": "National Weather Service",
        "fetched_at": "2026-11-26T12:00:00+00:00",
        "go_no_go": "caution",
        "reasons": ["gusts 21 kt (caution from 20 kt)", "Small Craft Advisory in force"],
    }
    assert unknown("no forecast").to_dict() == {"go_no_go": "unknown", "reasons": ["no forecast"]}
    assert TripWeather("go").to_dict()["alerts"] == []


def test_forecast_and_vessel_settings_survive_json() -> None:
    f = forecast(8, 12, 2, in_window("Gale Warning"))
    assert Forecast.from_dict(f.to_dict()) == f
    s = VesselWeather("QueenofSanDiego", "JADA", Limits(no_go_gust_kt=28), 32.71, -117.17)
    assert VesselWeather.from_dict(s.to_dict()) == s
