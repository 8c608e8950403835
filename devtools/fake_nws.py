"""A National-Weather-Service-shaped HTTP server on loopback, for tests and local runs.

It answers the three calls of ``core.ops.weather`` the way ``api.weather.gov`` does: ``GET
/points/{lat},{lon}`` (the grid), ``GET /gridpoints/{office}/{x},{y}`` (``windSpeed``,
``windGust`` in km/h and ``waveHeight`` in m, as ISO 8601 intervals) and ``GET
/alerts/active?point=`` (GeoJSON features). Set ``weather`` (``calm``/``gale`` builders)
and ``alerts`` to change the forecast; queue ``faults`` per request: ``"500"``, ``"slow"``
(answers after ``slow_seconds``), ``"junk"`` (not JSON), ``"odd"`` (JSON of another shape).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

KMH_PER_KT = 1.852
M_PER_FT = 0.3048


def layer(
    start: datetime, hours: int, value: float | None, uom: str, step: int = 3
) -> dict[str, Any]:
    """One gridpoint layer: ``value`` over ``hours`` from ``start`` in ``step``-hour intervals."""
    t0 = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return {
        "uom": uom,
        "values": [
            {"validTime": f"{(t0 + timedelta(hours=h)).isoformat()}/PT{step}H", "value": value}
            for h in range(0, hours, step)
        ],
    }


def grid(
    start: datetime, wind_kt: float, gust_kt: float, wave_ft: float | None, hours: int = 7 * 24
) -> dict[str, Any]:
    """A ``/gridpoints`` answer with steady wind, gusts and waves (None: no wave layer)."""
    props: dict[str, Any] = {
        "@id": "https://api.weather.gov/gridpoints/SGX/55,13",
        "gridId": "SGX",
        "gridX": 55,
        "gridY": 13,
        "updateTime": start.astimezone(UTC).isoformat(),
        "validTimes": f"{start.astimezone(UTC).replace(minute=0).isoformat()}/P7DT1H",
        "windSpeed": layer(start, hours, wind_kt * KMH_PER_KT, "wmoUnit:km_h-1"),
        "windGust": layer(start, hours, gust_kt * KMH_PER_KT, "wmoUnit:km_h-1"),
    }
    if wave_ft is not None:
        props["waveHeight"] = layer(start, hours, wave_ft * M_PER_FT, "wmoUnit:m")
    return {"type": "Feature", "properties": props}


def alert(event: str, onset: datetime, ends: datetime, severity: str = "Minor") -> dict[str, Any]:
    """One active alert feature."""
    return {
        "type": "Feature",
        "properties": {
            "event": event,
            "headline": f"{event} issued by NWS San Diego CA",
            "severity": severity,
            "onset": onset.isoformat(),
            "ends": ends.isoformat(),
            "expires": ends.isoformat(),
        },
    }


@dataclass
class FakeNws:
    """The server's state: the forecast it serves, queued faults and a request log."""

    weather: dict[str, Any] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)
    slow_seconds: float = 5.0
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calm(self, start: datetime) -> None:
        """Light wind and small waves from ``start`` for a week."""
        self.weather = grid(start, wind_kt=8, gust_kt=12, wave_ft=2)

    def gale(self, start: datetime) -> None:
        """A gale from ``start`` for a week, with its warning."""
        self.weather = grid(start, wind_kt=34, gust_kt=42, wave_ft=11)
        self.alerts = [alert("Gale Warning", start, start + timedelta(days=7), "Severe")]

    def paths(self) -> list[str]:
        """The paths asked, in order."""
        return [r["path"] for r in self.requests]


def _handler(state: FakeNws) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, raw: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/geo+json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            with state.lock:
                state.requests.append(
                    {"path": url.path, "agent": self.headers.get("User-Agent", ""), **query}
                )
                fault = state.faults.pop(0) if state.faults else None
            if fault == "slow":
                time.sleep(state.slow_seconds)
            if fault == "500":
                self._send(500, b'{"title": "Unexpected Problem", "status": 500}')
                return
            if fault == "junk":
                self._send(200, b"<html>maintenance</html>")
                return
            if fault == "odd":
                self._send(200, b'{"properties": {"gridId": 7}, "features": "none"}')
                return
            self._send(*self._answer(url.path))

        def _answer(self, path: str) -> tuple[int, bytes]:
            with state.lock:
                if path.startswith("/points/"):
                    body: dict[str, Any] = {
                        "properties": {
                            "gridId": "SGX",
                            "gridX": 55,
                            "gridY": 13,
                            "forecastGridData": f"{state.base}/gridpoints/SGX/55,13",
                        }
                    }
                elif path == "/gridpoints/SGX/55,13":
                    body = state.weather
                elif path == "/alerts/active":
                    body = {"type": "FeatureCollection", "features": list(state.alerts)}
                else:
                    return 404, b'{"title": "Not Found", "status": 404}'
            return 200, json.dumps(body).encode()

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a slow answer closed its end: expected here


@contextmanager
def fake_nws() -> Iterator[FakeNws]:
    """Serve a FakeNws on a free loopback port (``state.base`` is its URL)."""
    state = FakeNws()
    state.calm(datetime.now(UTC))
    server = _QuietServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
