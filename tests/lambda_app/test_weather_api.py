"""``timing.weather`` on GET /api/events/{id} from a fake NWS server, on both ops stores: who
sees it, the list without it, unknown instead of errors, and the once-only no-go nudge."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.config import get_settings
from devtools.fake_nws import FakeNws, fake_nws
from lambda_app.deps import deps
from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, outbox, sign_in_as
from tests.lambda_app.test_api import trip
from tests.lambda_app.test_ops_scopes import claim, last_code, scoped_admin

NUDGE = {
    "source": "aws.events",
    "detail-type": "Scheduled Event",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/ptb_nudge"],
}
KEYS = {"wind_kt", "gust_kt", "wave_ft", "alerts", "source", "fetched_at", "go_no_go", "reasons"}


@pytest.fixture
def nws(api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNws]:
    """The API's WEATHER_API_BASE pointed at a fake NWS with a calm week."""
    with fake_nws() as server:
        server.calm(datetime.now(UTC) - timedelta(hours=1))
        monkeypatch.setenv("WEATHER_API_BASE", server.base)
        get_settings.cache_clear()
        deps.cache_clear()
        yield server


def test_every_role_that_sees_the_trip_sees_its_weather(
    api: Callable[..., Reply], nws: FakeNws, tmp_path: Path
) -> None:
    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip(days=2)).body["id"]
    guest_line = {"email": "g@example.com", "name": "G"}
    api("POST", f"/api/events/{event}/guests", token=root, body=guest_line)
    guest = claim(api, last_code(tmp_path, "g@example.com")).body["token"]
    captain, _ = sign_in_as("captain")
    crew, _ = sign_in_as("crew")
    for token in (root, captain, crew, guest):
        got = api("GET", f"/api/events/{event}", token=token)
        assert got.status == 200
        weather = got.body["timing"]["weather"]
        assert set(weather) == KEYS
        assert (weather["go_no_go"], weather["wind_kt"], weather["wave_ft"]) == ("go", 8, 2.0)
        assert weather["source"] == "National Weather Service"
        # in the portfolio's zone, as the rest of the timing
        assert weather["fetched_at"][-6:] == got.body["timing"]["departure_at"][-6:]
    assert len(nws.requests) == 3  # four readers, one fetch
    assert all("crew.example.com" in r["agent"] for r in nws.requests)


def test_another_entitys_admin_gets_404_and_no_fetch(
    api: Callable[..., Reply], nws: FakeNws
) -> None:
    root, _ = sign_in_as("admin")
    cent = scoped_admin(api, root, "cent@example.com")
    event = api("POST", "/api/events", token=root, body=trip(days=2)).body["id"]
    assert api("GET", f"/api/events/{event}", token=cent).status == 404
    assert api("GET", f"/api/events/{event}").status == 401
    assert nws.requests == []


def test_the_list_leaves_weather_out_and_never_fetches(
    api: Callable[..., Reply], nws: FakeNws
) -> None:
    root, _ = sign_in_as("admin")
    for days in (1, 2, 3):
        api("POST", "/api/events", token=root, body=trip(days=days))
    listed = api("GET", "/api/events", token=root).body["events"]
    assert len(listed) == 3 and all("weather" not in e["timing"] for e in listed)
    assert nws.requests == []


def test_a_gale_is_no_go_with_its_alert(api: Callable[..., Reply], nws: FakeNws) -> None:
    nws.gale(datetime.now(UTC) - timedelta(hours=1))
    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip(days=1)).body["id"]
    weather = api("GET", f"/api/events/{event}", token=root).body["timing"]["weather"]
    assert weather["go_no_go"] == "no_go"
    assert weather["reasons"][0] == "wind 34 kt (no-go from 25 kt)"
    assert weather["alerts"] == [
        {
            "headline": "Gale Warning issued by NWS San Diego CA",
            "event": "Gale Warning",
            "severity": "Severe",
        }
    ]


@pytest.mark.parametrize("fault", ["500", "junk", "odd"])
def test_a_broken_service_is_unknown_never_an_error(
    api: Callable[..., Reply], nws: FakeNws, fault: str
) -> None:
    nws.faults = [fault]
    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip(days=1)).body["id"]
    got = api("GET", f"/api/events/{event}", token=root)
    assert got.status == 200
    assert got.body["timing"]["weather"] == {
        "go_no_go": "unknown",
        "reasons": ["no forecast available right now"],
    }


def test_a_trip_beyond_the_forecast_is_unknown_without_a_fetch(
    api: Callable[..., Reply], nws: FakeNws
) -> None:
    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip(days=9)).body["id"]
    weather = api("GET", f"/api/events/{event}", token=root).body["timing"]["weather"]
    assert weather["go_no_go"] == "unknown" and nws.requests == []


def test_the_nudge_run_tells_the_admins_of_a_no_go_once(
    api: Callable[..., Reply], nws: FakeNws, tmp_path: Path
) -> None:
    nws.gale(datetime.now(UTC) - timedelta(hours=1))
    root, _ = sign_in_as("admin", email="root@example.com")
    scoped_admin(api, root, "cent@example.com")
    soon = (datetime.now(UTC) + timedelta(hours=40)).replace(microsecond=0).isoformat()
    full = {"captain": 0, "crew": 0}  # no slot nudge: the weather's is the only one due
    api("POST", "/api/events", token=root, body=trip(starts_at=soon, slots=full))
    before = len(outbox(tmp_path))
    assert lambda_handler(NUDGE, None)["nudges"] == 1
    mails = outbox(tmp_path)[before:]
    no_go = [m for m in mails if "weather no-go" in m["subject"]]
    assert [m["to"] for m in no_go] == [["root@example.com"]]
    assert "wind 34 kt (no-go from 25 kt)" in no_go[0]["subject"]
    assert lambda_handler(NUDGE, None)["nudges"] == 0
