"""The forecast cache and the vessels' weather settings in SQLite."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.ops.go_no_go import VesselWeather, vessel_key
from core.ops.sqlite.database import SqliteDatabase, iso


class SqliteWeather(SqliteDatabase):
    """One cached forecast per grid point; one settings row per entity and vessel."""

    def cached_forecast(self, grid: str, now: datetime) -> dict[str, Any] | None:
        with self._db() as conn:
            row = conn.execute(
                "SELECT body FROM forecasts WHERE grid = ? AND expires_at > ?", (grid, iso(now))
            ).fetchone()
        return json.loads(row[0]) if row else None

    def cache_forecast(self, grid: str, body: dict[str, Any], expires_at: datetime) -> None:
        # one row per grid point, replaced: the table never grows past the vessels' ports
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO forecasts (grid, body, expires_at) VALUES (?, ?, ?)",
                (grid, json.dumps(body), iso(expires_at)),
            )

    def vessel_weather(self, entity: str, vessel: str) -> VesselWeather | None:
        with self._db() as conn:
            row = conn.execute(
                "SELECT body FROM vessel_weather WHERE entity = ? AND vessel_key = ?",
                (entity, vessel_key(vessel)),
            ).fetchone()
        return VesselWeather.from_dict(json.loads(row[0])) if row else None

    def save_vessel_weather(self, settings: VesselWeather) -> VesselWeather:
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO vessel_weather (entity, vessel_key, body) VALUES (?, ?, ?)",
                (settings.entity, vessel_key(settings.vessel), json.dumps(settings.to_dict())),
            )
        return settings

    def list_vessel_weather(self) -> list[VesselWeather]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT body FROM vessel_weather ORDER BY entity, vessel_key"
            ).fetchall()
        return [VesselWeather.from_dict(json.loads(r[0])) for r in rows]
