"""Trip timing with astral: boarding, departure, return, sunset, civil dusk (CONTRACT s.6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from astral import Observer
from astral.sun import dusk, sunset

BOARDING_LEAD = timedelta(minutes=30)


@dataclass(frozen=True)
class Timing:
    """All instants in the portfolio time zone."""

    boarding_at: datetime
    departure_at: datetime
    return_at: datetime
    sunset_at: datetime
    civil_dusk_at: datetime
    returns_after_dusk: bool

    def to_dict(self) -> dict[str, str | bool]:
        """ISO 8601 with offset."""
        return {
            "boarding_at": self.boarding_at.isoformat(),
            "departure_at": self.departure_at.isoformat(),
            "return_at": self.return_at.isoformat(),
            "sunset_at": self.sunset_at.isoformat(timespec="seconds"),
            "civil_dusk_at": self.civil_dusk_at.isoformat(timespec="seconds"),
            "returns_after_dusk": self.returns_after_dusk,
        }


def trip_timing(
    starts_at: datetime, duration_minutes: int, *, tz: ZoneInfo, lat: float, lon: float
) -> Timing:
    """Timing of a trip leaving at ``starts_at`` from the home port at (lat, lon)."""
    departure = starts_at.astimezone(tz)
    back = departure + timedelta(minutes=duration_minutes)
    observer = Observer(latitude=lat, longitude=lon)
    day = departure.date()  # the local date: astral needs tzinfo, or it takes a UTC date
    sun_down = sunset(observer, date=day, tzinfo=tz).replace(microsecond=0)
    civil_dusk = dusk(observer, date=day, tzinfo=tz).replace(microsecond=0)
    return Timing(
        boarding_at=departure - BOARDING_LEAD,
        departure_at=departure,
        return_at=back,
        sunset_at=sun_down,
        civil_dusk_at=civil_dusk,
        returns_after_dusk=back > civil_dusk,
    )
