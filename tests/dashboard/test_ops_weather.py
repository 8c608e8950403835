"""AppTest of the Operations page's weather: the trip card shows the forecast and the flag
from a fake NWS server, unknown when there is none, and admins set a vessel's limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ops.factory import open_ops_store
from devtools.fake_nws import FakeNws, alert, fake_nws
from tests.dashboard.test_operations import open_operations


@pytest.fixture
def nws(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNws]:
    with fake_nws() as server:
        server.calm(datetime.now(UTC) - timedelta(hours=1))
        monkeypatch.setenv("WEATHER_API_BASE", server.base)
        get_settings.cache_clear()
        st.cache_resource.clear()
        yield server


def texts(at: AppTest) -> str:
    """What the page says in captions, alerts and badges (st.badge is Markdown), unescaped."""
    parts = [*at.caption, *at.warning, *at.error, *at.markdown]
    return " | ".join(str(p.value) for p in parts).replace("\\", "")


def test_the_trip_card_shows_wind_waves_and_the_flag(nws: FakeNws) -> None:
    nws.weather["properties"]["windGust"]["values"][0:40] = [
        {"validTime": v["validTime"], "value": 22 * 1.852}
        for v in nws.weather["properties"]["windGust"]["values"][0:40]
    ]
    start = datetime.now(UTC)
    nws.alerts = [alert("Small Craft Advisory", start, start + timedelta(days=6))]
    at = open_operations()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Max wind"], metrics["Max gusts"], metrics["Max waves"]) == (
        "8 kt",
        "22 kt",
        "2 ft",
    )
    shown = texts(at)
    assert "Weather: Caution" in shown
    assert "gusts 22 kt (caution from 20 kt)" in shown
    assert "Small Craft Advisory issued by NWS San Diego CA" in shown
    assert "National Weather Service, fetched" in shown


def test_no_forecast_is_unknown_not_an_error(ledger_dir: Path) -> None:
    at = open_operations()  # WEATHER_API_BASE: a closed port
    assert not at.exception
    shown = texts(at)
    assert "Weather unknown" in shown and "no forecast available right now" in shown


def test_an_admin_sets_a_vessels_limits_and_the_flag_follows(nws: FakeNws) -> None:
    at = open_operations()
    at.selectbox(key="wx-entity").select("QueenofSanDiego")  # the demo trips' entity
    at.text_input(key="wx-vessel").input("JADA")
    at.number_input(key="wx-caution_wind_kt").set_value(5.0)
    at.number_input(key="wx-no_go_wind_kt").set_value(8.0)
    next(b for b in at.button if b.label == "Save limits").click().run()
    assert not at.exception, at.exception
    [saved] = open_ops_store(get_settings()).list_vessel_weather()
    assert (saved.vessel, saved.limits.no_go_wind_kt, saved.updated_by) == (
        "JADA",
        8.0,
        "owner@example.com",
    )
    assert "Weather: No-go" in texts(at)
    assert at.dataframe[-1].value["Vessel"].tolist() == ["JADA"]


def test_bad_limits_show_the_cores_field_errors(nws: FakeNws) -> None:
    at = open_operations()
    at.text_input(key="wx-vessel").input("JADA")
    at.number_input(key="wx-caution_gust_kt").set_value(40.0)
    next(b for b in at.button if b.label == "Save limits").click().run()
    assert any("no_go_gust_kt" in e.value.replace("\\", "") for e in at.error)
    assert open_ops_store(get_settings()).list_vessel_weather() == []
