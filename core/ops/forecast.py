"""A marine forecast for one place: wind, gusts and waves over time, and the active alerts.

Plain records in the units a skipper reads (knots, feet), kept as JSON in the ops store's
forecast cache (``to_dict``/``from_dict``), and the maximum over a trip's window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Reading:
    """One forecast value over [start, end)."""

    start: datetime
    end: datetime
    value: float


@dataclass(frozen=True)
class Alert:
    """An active weather alert (NWS ``event`` names the kind, e.g. "Small Craft Advisory")."""

    event: str
    headline: str
    severity: str
    onset: datetime | None = None
    ends: datetime | None = None

    def during(self, start: datetime, end: datetime) -> bool:
        """True when the alert is in force at some time in [start, end)."""
        return (self.onset is None or self.onset < end) and (self.ends is None or start < self.ends)


@dataclass(frozen=True)
class Forecast:
    """What the forecast service said about one grid point, and when we asked."""

    source: str
    fetched_at: datetime
    wind_kt: tuple[Reading, ...] = ()
    gust_kt: tuple[Reading, ...] = ()
    wave_ft: tuple[Reading, ...] = ()
    alerts: tuple[Alert, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-able (ISO 8601 times), for the cache."""
        return {
            "source": self.source,
            "fetched_at": self.fetched_at.isoformat(),
            "wind_kt": _readings_out(self.wind_kt),
            "gust_kt": _readings_out(self.gust_kt),
            "wave_ft": _readings_out(self.wave_ft),
            "alerts": [
                {
                    "event": a.event,
                    "headline": a.headline,
                    "severity": a.severity,
                    "onset": _iso(a.onset),
                    "ends": _iso(a.ends),
                }
                for a in self.alerts
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Forecast:
        """The forecast ``to_dict`` wrote."""
        return cls(
            source=data["source"],
            fetched_at=datetime.fromisoformat(data["fetched_at"]),
            wind_kt=_readings_in(data["wind_kt"]),
            gust_kt=_readings_in(data["gust_kt"]),
            wave_ft=_readings_in(data["wave_ft"]),
            alerts=tuple(
                Alert(
                    event=a["event"],
                    headline=a["headline"],
                    severity=a["severity"],
                    onset=_time(a["onset"]),
                    ends=_time(a["ends"]),
                )
                for a in data["alerts"]
            ),
        )


def window_max(readings: tuple[Reading, ...], start: datetime, end: datetime) -> float | None:
    """The largest value in force at some time in [start, end); None if nothing covers it."""
    values = [r.value for r in readings if r.start < end and start < r.end]
    return max(values) if values else None


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _time(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def _readings_out(readings: tuple[Reading, ...]) -> list[list[Any]]:
    return [[r.start.isoformat(), r.end.isoformat(), r.value] for r in readings]


def _readings_in(rows: list[list[Any]]) -> tuple[Reading, ...]:
    return tuple(
        Reading(datetime.fromisoformat(s), datetime.fromisoformat(e), float(v)) for s, e, v in rows
    )
