"""The marine forecast client: the US National Weather Service API (``api.weather.gov``, no key).

Standard library only (``urllib``): the Lambda API imports no requests. Three GETs per place,
each with a 3 s timeout (5 s for all three: a page never waits longer) and the descriptive
``User-Agent`` NWS asks for:

- ``/points/{lat},{lon}`` names the forecast grid (office, x, y);
- ``/gridpoints/{office}/{x},{y}``: ``windSpeed``, ``windGust`` and ``waveHeight``, each
  ``{"uom": "wmoUnit:km_h-1", "values": [{"validTime": "2026-11-26T18:00:00+00:00/PT3H",
  "value": 27.8}, ...]}`` (speeds in km/h, heights in m; converted here to kt and ft);
- ``/alerts/active?point={lat},{lon}``: a GeoJSON collection of the alerts in force.

The grid URL is built from ``WEATHER_API_BASE`` and the grid's names, never followed from the
answer, so a test server (or a proxy) sees every call. Any failure (timeout, refused
connection, HTTP error, JSON of another shape) is *no forecast*: ``forecast`` returns None and
never raises; the caller shows ``unknown``.
"""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.request
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.ops.forecast import Alert, Forecast, Reading

logger = logging.getLogger(__name__)

DEFAULT_BASE = "https://api.weather.gov"
SOURCE = "National Weather Service"
TIMEOUT_SECONDS = 3.0  # per call
BUDGET_SECONDS = 5.0  # for the three calls of one forecast
MAX_BYTES = 8 * 1024 * 1024  # a gridpoint answer is ~1 MB; more is not a forecast
MAX_READINGS = 1000  # per layer: a week in hours is 168; the cache item stays small
KT_PER = {"km_h-1": 1 / 1.852, "m_s-1": 3600 / 1852, "kn": 1.0, "mi_h-1": 1609.344 / 1852}
FT_PER = {"m": 1 / 0.3048, "ft": 1.0}
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_GRID_ID = re.compile(r"^[A-Z]{3}$")


class ForecastSource(Protocol):
    """Anything that gives the forecast for a place (None: none available)."""

    def forecast(self, lat: float, lon: float, fetched_at: datetime) -> Forecast | None:
        """The forecast at (lat, lon), stamped ``fetched_at``; None on any failure."""
        ...


class OddAnswer(ValueError):
    """The service answered JSON of a shape we do not know."""


def user_agent(contact: str) -> str:
    """The ``User-Agent`` NWS asks for: the application and a way to reach its operator."""
    return f"exec-platform-crew ({contact})"


class NwsClient:
    """The NWS API at ``base`` (tests pass a local server's URL)."""

    def __init__(
        self,
        base: str = DEFAULT_BASE,
        *,
        agent: str,
        timeout: float = TIMEOUT_SECONDS,
        budget: float = BUDGET_SECONDS,
    ) -> None:
        self.base = base.rstrip("/")
        self.agent = agent
        self.timeout = timeout
        self.budget = budget

    def forecast(self, lat: float, lon: float, fetched_at: datetime) -> Forecast | None:
        """Wind, gusts, waves and alerts at (lat, lon); None on any failure."""
        point = f"{_coord(lat)},{_coord(lon)}"
        deadline = time.monotonic() + self.budget
        try:
            grid = grid_path(self._get(f"/points/{point}", deadline))
            data = self._get(f"/gridpoints/{grid}", deadline)
            wind = readings(data, "windSpeed", KT_PER, required=True)
            gust = readings(data, "windGust", KT_PER)
            wave = readings(data, "waveHeight", FT_PER)
            alerts = active_alerts(self._get(f"/alerts/active?point={point}", deadline))
            return Forecast(SOURCE, fetched_at, wind, gust, wave, alerts)
        except Exception as exc:  # the boundary: a forecast is a nicety, never a failure
            logger.warning("no forecast for %s from %s: %s", point, self.base, exc)
            return None

    def _get(self, path: str, deadline: float) -> dict[str, Any]:
        left = min(self.timeout, deadline - time.monotonic())
        if left <= 0:
            raise TimeoutError(f"{path}: no time left of the {self.budget:g} s budget")
        request = urllib.request.Request(
            self.base + path,
            headers={"User-Agent": self.agent, "Accept": "application/geo+json"},
        )
        with urllib.request.urlopen(request, timeout=left) as answer:
            raw = answer.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise OddAnswer(f"{path}: answer over {MAX_BYTES} bytes")
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise OddAnswer(f"{path}: not a JSON object")
        return data


def _coord(x: float) -> str:
    # NWS takes at most 4 decimals (more answers a redirect) and no trailing zeros
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _props(data: dict[str, Any]) -> dict[str, Any]:
    props = data.get("properties")
    if not isinstance(props, dict):
        raise OddAnswer("no properties object")
    return props


def grid_path(points: dict[str, Any]) -> str:
    """``SGX/55,13`` from a ``/points`` answer (checked: it becomes part of a URL)."""
    props = _props(points)
    office, x, y = props.get("gridId"), props.get("gridX"), props.get("gridY")
    if not isinstance(office, str) or not _GRID_ID.match(office):
        raise OddAnswer(f"gridId {office!r}")
    for n in (x, y):
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 10_000:
            raise OddAnswer(f"grid x/y {x!r},{y!r}")
    return f"{office}/{x},{y}"


def interval(valid_time: str) -> tuple[datetime, datetime]:
    """``2026-11-26T18:00:00+00:00/PT3H`` -> (start, end)."""
    start_text, _, duration = valid_time.partition("/")
    start = datetime.fromisoformat(start_text)
    if start.tzinfo is None:
        raise OddAnswer(f"validTime without an offset: {valid_time!r}")
    m = _DURATION.match(duration)
    if not m or duration in ("P", "PT"):
        raise OddAnswer(f"validTime duration {duration!r}")
    days, hours, minutes, seconds = (int(g or 0) for g in m.groups())
    return start, start + timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def readings(
    data: dict[str, Any], name: str, per_unit: dict[str, float], *, required: bool = False
) -> tuple[Reading, ...]:
    """One gridpoint layer in our units; () when the grid has none (e.g. no waves inland).
    Null values (NWS publishes some) are skipped; an unknown unit is an odd answer, and so
    is a missing ``required`` layer (every NWS grid has wind)."""
    layer = _props(data).get(name)
    if layer is None and not required:
        return ()
    if not isinstance(layer, dict) or not isinstance(layer.get("values"), list):
        raise OddAnswer(f"{name} is not a layer")
    if len(layer["values"]) > MAX_READINGS:
        raise OddAnswer(f"{name}: more than {MAX_READINGS} values")
    unit = str(layer.get("uom") or "").rpartition(":")[2]
    if unit not in per_unit:
        raise OddAnswer(f"{name} in unknown unit {layer.get('uom')!r}")
    out = []
    for item in layer["values"]:
        value = item.get("value") if isinstance(item, dict) else None
        if value is None:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise OddAnswer(f"{name} value {value!r}")
        start, end = interval(str(item.get("validTime")))
        out.append(Reading(start, end, float(value) * per_unit[unit]))
    return tuple(out)


def active_alerts(data: dict[str, Any]) -> tuple[Alert, ...]:
    """The alerts of an ``/alerts/active`` answer."""
    features = data.get("features")
    if not isinstance(features, list):
        raise OddAnswer("alerts without features")
    out = []
    for feature in features:
        props = _props(feature) if isinstance(feature, dict) else {}
        event = props.get("event")
        if not isinstance(event, str) or not event.strip():
            raise OddAnswer("an alert without an event name")
        out.append(
            Alert(
                event=" ".join(event.split()),
                headline=" ".join(str(props.get("headline") or event).split()),
                severity=str(props.get("severity") or "Unknown"),
                onset=_instant(props.get("onset") or props.get("effective")),
                ends=_instant(props.get("ends") or props.get("expires")),
            )
        )
    return tuple(out)


def _instant(raw: Any) -> datetime | None:
    if not raw:
        return None
    t = datetime.fromisoformat(str(raw))
    if t.tzinfo is None:
        raise OddAnswer(f"alert time without an offset: {raw!r}")
    return t
