"""The forecast cache (FORECAST#<grid>, TTL) and the vessels' weather settings
(VESSEL#<entity>#<vessel>; GSI1 VESSELWEATHER lists them)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.ops.dynamodb.table import DynamoTable, body_of, num_attr, str_attr
from core.ops.go_no_go import VesselWeather, vessel_key


class DynamoWeather(DynamoTable):
    """One cached forecast per grid point; one settings item per entity and vessel."""

    def cached_forecast(self, grid: str, now: datetime) -> dict[str, Any] | None:
        # the caller's now, not the table's: the rules' clock decides what is fresh
        out = self._call(
            "get_item",
            Key={"PK": str_attr(f"FORECAST#{grid}"), "SK": str_attr("FORECAST")},
            ConsistentRead=True,
        )
        item = out.get("Item")
        if item is None or int(item["expires_at"]["N"]) <= now.timestamp():
            return None
        return body_of(item)

    def cache_forecast(self, grid: str, body: dict[str, Any], expires_at: datetime) -> None:
        self._call(
            "put_item",
            Item={
                "PK": str_attr(f"FORECAST#{grid}"),
                "SK": str_attr("FORECAST"),
                "body": str_attr(json.dumps(body)),
                "expires_at": num_attr(int(expires_at.timestamp())),
            },
        )

    def vessel_weather(self, entity: str, vessel: str) -> VesselWeather | None:
        item = self._get(f"VESSEL#{entity}#{vessel_key(vessel)}", "WEATHER")
        return VesselWeather.from_dict(body_of(item)) if item else None

    def save_vessel_weather(self, settings: VesselWeather) -> VesselWeather:
        key = f"{settings.entity}#{vessel_key(settings.vessel)}"
        self._call(
            "put_item",
            Item={
                "PK": str_attr(f"VESSEL#{key}"),
                "SK": str_attr("WEATHER"),
                "GSI1PK": str_attr("VESSELWEATHER"),
                "GSI1SK": str_attr(key),
                "body": str_attr(json.dumps(settings.to_dict())),
            },
        )
        return settings

    def list_vessel_weather(self) -> list[VesselWeather]:
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p",
            ExpressionAttributeValues={":p": str_attr("VESSELWEATHER")},
        )
        return [VesselWeather.from_dict(body_of(i)) for i in items]
