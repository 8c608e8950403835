"""Go / caution / no-go for a trip from its forecast and the vessel's limits.

The defaults (a small charter sailboat; an admin sets each vessel's own on the Operations
page): caution from 15 kt of wind, 20 kt gusts or 4 ft waves; no-go from 25 kt, 30 kt or
8 ft. A Small Craft Advisory (and other advisories and watches below) in force during the
trip is a caution, a Gale, Storm or other warning below a no-go. Values are compared as
shown (wind and gusts in whole knots, waves to a tenth of a foot), so the card never says
"15 kt" beside a caution limit of 15 kt and still shows go.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from core.ops.forecast import Alert, Forecast, window_max

FLAGS = ("go", "caution", "no_go", "unknown")

# alert kinds (NWS ``event`` names, matched at the start, case-insensitively) -> flag
NO_GO_ALERTS = (
    "gale warning",
    "storm warning",
    "hurricane force wind warning",
    "hurricane warning",
    "tropical storm warning",
    "special marine warning",
    "hazardous seas warning",
    "tsunami warning",
)
CAUTION_ALERTS = (
    "small craft advisory",
    "brisk wind advisory",
    "dense fog advisory",
    "high surf advisory",
    "gale watch",
    "storm watch",
    "hazardous seas watch",
    "hurricane force wind watch",
    "tropical storm watch",
    "hurricane watch",
    "tsunami advisory",
    "tsunami watch",
)


@dataclass(frozen=True)
class Limits:
    """Where caution and no-go start for one vessel (knots, feet)."""

    caution_wind_kt: float = 15
    caution_gust_kt: float = 20
    caution_wave_ft: float = 4
    no_go_wind_kt: float = 25
    no_go_gust_kt: float = 30
    no_go_wave_ft: float = 8


LIMIT_NAMES = tuple(asdict(Limits()))


@dataclass(frozen=True)
class VesselWeather:
    """A vessel's weather settings: its limits and where its forecast is taken (None: the
    portfolio's home port)."""

    entity: str
    vessel: str
    limits: Limits = field(default_factory=Limits)
    lat: float | None = None
    lon: float | None = None
    updated_by: str | None = None
    updated_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, for the stores."""
        out = asdict(self)
        out["updated_at"] = self.updated_at.isoformat() if self.updated_at else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VesselWeather:
        """The settings ``to_dict`` wrote."""
        when = data.get("updated_at")
        return cls(
            entity=data["entity"],
            vessel=data["vessel"],
            limits=Limits(**{k: float(v) for k, v in data["limits"].items() if k in LIMIT_NAMES}),
            lat=data.get("lat"),
            lon=data.get("lon"),
            updated_by=data.get("updated_by"),
            updated_at=datetime.fromisoformat(when) if when else None,
        )


@dataclass(frozen=True)
class TripWeather:
    """The forecast for a trip's window and the flag it gives (``unknown``: no forecast)."""

    go_no_go: str
    reasons: tuple[str, ...] = ()
    wind_kt: int | None = None
    gust_kt: int | None = None
    wave_ft: float | None = None
    alerts: tuple[Alert, ...] = ()
    source: str | None = None
    fetched_at: datetime | None = None

    def to_dict(self, tz: tzinfo | None = None) -> dict[str, Any]:
        """The event JSON's ``timing.weather`` (times with the offset of ``tz``)."""
        if self.go_no_go == "unknown":
            return {"go_no_go": "unknown", "reasons": list(self.reasons)}
        fetched = self.fetched_at.astimezone(tz) if self.fetched_at and tz else self.fetched_at
        return {
            "wind_kt": self.wind_kt,
            "gust_kt": self.gust_kt,
            "wave_ft": self.wave_ft,
            "alerts": [
                {"headline": a.headline, "event": a.event, "severity": a.severity}
                for a in self.alerts
            ],
            "source": self.source,
            "fetched_at": fetched.isoformat(timespec="seconds") if fetched else None,
            "go_no_go": self.go_no_go,
            "reasons": list(self.reasons),
        }


def vessel_key(vessel: str) -> str:
    """How a vessel's name is matched: spaces collapsed, case ignored ("jada " is "JADA")."""
    return " ".join(vessel.split()).casefold()


def unknown(reason: str) -> TripWeather:
    """No forecast, and why (never an error)."""
    return TripWeather("unknown", (reason,))


def alert_flag(alert: Alert) -> str:
    """``no_go``, ``caution`` or ``go`` (shown, no effect) for an alert kind."""
    kind = alert.event.casefold()
    if kind.startswith(NO_GO_ALERTS):
        return "no_go"
    if kind.startswith(CAUTION_ALERTS):
        return "caution"
    return "go"


def _number(x: float) -> str:
    return f"{x:g}"


def assess(forecast: Forecast, start: datetime, end: datetime, limits: Limits) -> TripWeather:
    """The trip's maxima over [start, end) and its flag, with a reason per limit reached."""
    wind = window_max(forecast.wind_kt, start, end)
    if wind is None:
        return unknown("the forecast does not reach the trip's window yet")
    gust = window_max(forecast.gust_kt, start, end)
    wave = window_max(forecast.wave_ft, start, end)
    shown = (round(wind), None if gust is None else round(gust), _tenth(wave))
    checks = [
        ("wind", shown[0], "kt", limits.caution_wind_kt, limits.no_go_wind_kt),
        ("gusts", shown[1], "kt", limits.caution_gust_kt, limits.no_go_gust_kt),
        ("waves", shown[2], "ft", limits.caution_wave_ft, limits.no_go_wave_ft),
    ]
    found: list[tuple[str, str]] = []
    for label, value, unit, caution, no_go in checks:
        if value is None or value < caution:
            continue
        level, limit = ("no_go", no_go) if value >= no_go else ("caution", caution)
        said = f"{label} {_number(value)} {unit}"
        found.append((level, f"{said} ({level.replace('_', '-')} from {_number(limit)} {unit})"))
    alerts = tuple(a for a in forecast.alerts if a.during(start, end))
    for a in alerts:
        flag = alert_flag(a)
        if flag != "go":
            found.append((flag, f"{a.event} in force"))
    flag = "no_go" if any(f == "no_go" for f, _ in found) else "caution" if found else "go"
    # the worst first: a no-go's reasons before the cautions that come with it
    reasons = tuple(r for f, r in sorted(found, key=lambda x: x[0] != "no_go"))
    return TripWeather(
        go_no_go=flag,
        reasons=reasons,
        wind_kt=shown[0],
        gust_kt=shown[1],
        wave_ft=shown[2],
        alerts=alerts,
        source=forecast.source,
        fetched_at=forecast.fetched_at,
    )


def _tenth(x: float | None) -> float | None:
    return None if x is None else round(x, 1)
