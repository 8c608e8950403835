"""The rules on weather: a trip's forecast and go/no-go, each vessel's limits (admins, in their
entities), and the once-only no-go reminder of the ``ptb_nudge`` run.

The forecast comes from ``forecasts`` (the NWS client, set by ``core.ops.factory``; None: no
forecast, every trip ``unknown``) through the store's cache: one fetch per grid point an hour
(a failed fetch is remembered for ten minutes), so pages and the API never call the service
per request. Time is the rules' clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.errors import Invalid
from core.ops.forecast import Forecast
from core.ops.go_no_go import LIMIT_NAMES, Limits, TripWeather, VesselWeather, assess, unknown
from core.ops.models import Event, OpsUser
from core.ops.nudges import Nudge, Reminder, recipients
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import MAX_ENTITY, MAX_VESSEL, require_role, text_field
from core.ops.weather import ForecastSource

FORECAST_RANGE = timedelta(days=7)  # trips departing further out are not fetched: unknown
CACHE_LIFE = timedelta(hours=1)
FAILURE_LIFE = timedelta(minutes=10)  # a service that is down is asked again after this
NO_GO_NOTICE = timedelta(hours=48)  # a no-go this close to departure tells the admins
MAX_WIND_KT = 100
MAX_WAVE_FT = 60


def grid_key(lat: float, lon: float) -> str:
    """The cache key of a place: NWS grid cells are 2.5 km, so 4 decimals name one."""
    return f"{lat:.4f},{lon:.4f}"


def no_go_key(event_id: str) -> str:
    """The once-only mark of an event's no-go reminder."""
    return f"nudge:{event_id}:weather_no_go"


class WeatherRules(OpsRules):
    """Weather on the trip card, vessel limits, and the no-go reminder."""

    forecasts: ForecastSource | None = None

    def trip_weather(self, event: Event) -> TripWeather:
        """The forecast and flag for an event the caller already chose (no authorization
        here); ``unknown`` with a reason when there is none, never an error."""
        now = self.clock()
        if event.status == "cancelled":
            return unknown("the trip is cancelled")
        if event.ends_at <= now:
            return unknown("the trip is over")
        if event.starts_at - now > FORECAST_RANGE:
            days = FORECAST_RANGE.days
            return unknown(f"the forecast covers {days} days ahead: check again nearer the day")
        settings = self._store.vessel_weather(event.entity, event.vessel)
        settings = settings or VesselWeather(event.entity, event.vessel)
        lat = self.lat if settings.lat is None else settings.lat
        lon = self.lon if settings.lon is None else settings.lon
        forecast = self._forecast(lat, lon, now)
        if forecast is None:
            return unknown("no forecast available right now")
        return assess(forecast, event.starts_at, event.ends_at, settings.limits)

    def _forecast(self, lat: float, lon: float, now: datetime) -> Forecast | None:
        key = grid_key(lat, lon)
        cached = self._store.cached_forecast(key, now)
        if cached is not None:
            try:
                return Forecast.from_dict(cached["forecast"]) if cached["forecast"] else None
            except (KeyError, TypeError, ValueError):  # a body of an older shape: fetch again
                pass
        if self.forecasts is None:
            return None
        fresh = self.forecasts.forecast(lat, lon, now)
        body = {"forecast": fresh.to_dict() if fresh else None}
        self._store.cache_forecast(key, body, now + (CACHE_LIFE if fresh else FAILURE_LIFE))
        return fresh

    def vessel_weather_settings(self, actor: OpsUser) -> list[VesselWeather]:
        """The vessel settings of the actor's entities (admin)."""
        require_role(actor, "admin")
        return [
            s
            for s in self._store.list_vessel_weather()
            if actor.entities is None or s.entity in actor.entities
        ]

    def set_vessel_weather(
        self, actor: OpsUser, entity: str, vessel: str, data: dict[str, Any]
    ) -> VesselWeather:
        """Set a vessel's limits (and optionally its port's lat/lon) for one of the actor's
        entities (admin); limits not given keep their defaults. Invalid lists every field."""
        require_role(actor, "admin")
        fields: dict[str, str] = {}
        entity = text_field(fields, "entity", entity, max_len=MAX_ENTITY)
        vessel = text_field(fields, "vessel", vessel, max_len=MAX_VESSEL)
        limits = _limits(data, fields)
        lat, lon = _port(data, fields)
        if fields:
            raise Invalid("weather limits not saved", fields=fields)
        self._require_entity(actor, entity)
        settings = VesselWeather(
            entity=entity,
            vessel=" ".join(vessel.split()),
            limits=limits,
            lat=lat,
            lon=lon,
            updated_by=actor.email,
            updated_at=self.clock(),
        )
        return self._store.save_vessel_weather(settings)

    def weather_reminders(
        self, now: datetime, *, skipped: list[Reminder] | None = None
    ) -> list[Reminder]:
        """A no-go within 48 h of departure, once per event (marked before it is sent) to the
        admins of its entity; ``skipped`` receives the ones already sent."""
        out = []
        for view in self.scheduled(now, now + NO_GO_NOTICE):  # EventRules, same service
            weather = self.trip_weather(view.event)
            if weather.go_no_go != "no_go":
                continue
            detail = "weather no-go: " + "; ".join(weather.reasons)
            nudge = Nudge(view.event.id, "weather_no_go", detail)
            to = recipients(self._store.list_users(), view, nudge)
            if not to:
                continue
            reminder = Reminder(nudge, view, to)
            expires = view.event.ends_at + timedelta(days=1)
            if self._store.first_time(no_go_key(view.event.id), expires):
                out.append(reminder)
            elif skipped is not None:
                skipped.append(reminder)
        return out


def _limits(data: dict[str, Any], fields: dict[str, str]) -> Limits:
    values: dict[str, float] = {}
    for name in LIMIT_NAMES:
        raw = data.get(name)
        if raw is None:
            continue
        top = MAX_WAVE_FT if name.endswith("_ft") else MAX_WIND_KT
        if not isinstance(raw, int | float) or isinstance(raw, bool) or not 0 < raw <= top:
            fields[name] = f"a number above 0, at most {top}"
        else:
            values[name] = float(raw)
    limits = Limits(**values)
    for what in ("wind_kt", "gust_kt", "wave_ft"):
        caution, no_go = getattr(limits, f"caution_{what}"), getattr(limits, f"no_go_{what}")
        if f"no_go_{what}" not in fields and caution > no_go:
            fields[f"no_go_{what}"] = f"at least the caution limit ({caution:g})"
    return limits


def _port(data: dict[str, Any], fields: dict[str, str]) -> tuple[float | None, float | None]:
    lat, lon = data.get("lat"), data.get("lon")
    if lat is None and lon is None:
        return None, None
    for name, value, top in (("lat", lat, 90), ("lon", lon, 180)):
        if not isinstance(value, int | float) or isinstance(value, bool) or abs(value) > top:
            fields[name] = f"a number from -{top} to {top} (both lat and lon, or neither)"
    return (lat, lon) if "lat" not in fields and "lon" not in fields else (None, None)
