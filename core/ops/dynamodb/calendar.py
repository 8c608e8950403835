"""Calendar feed keys (USER#<id>/FEED and FEED#<hash>/FEED), trip change counters
(EVENT#<id>/SEQUENCE) and unavailable windows (USER#<id>/AVAILABILITY)."""

from __future__ import annotations

import json
from typing import Any

from core.errors import Conflict
from core.ops.calendar_records import Away, FeedKey, windows_json, windows_of
from core.ops.codec import dump, load
from core.ops.dynamodb.table import DynamoTable, body_of, num_attr, str_attr


class DynamoCalendar(DynamoTable):
    """Feed keys (one per user, found by the token's hash), sequences, availability."""

    def feed_key(self, user_id: str) -> FeedKey | None:
        item = self._get(f"USER#{user_id}", "FEED")
        return load(FeedKey, body_of(item)) if item else None

    def put_feed_key(self, key: FeedKey) -> None:
        old = self.feed_key(key.user_id)
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "Item": {
                        "PK": str_attr(f"USER#{key.user_id}"),
                        "SK": str_attr("FEED"),
                        "body": str_attr(json.dumps(dump(key))),
                    }
                }
            },
            {
                "Put": {
                    "Item": {
                        "PK": str_attr(f"FEED#{key.token_hash}"),
                        "SK": str_attr("FEED"),
                        "user_id": str_attr(key.user_id),
                    }
                }
            },
        ]
        if old is not None and old.token_hash != key.token_hash:
            pk = f"FEED#{old.token_hash}"
            items.append({"Delete": {"Key": {"PK": str_attr(pk), "SK": str_attr("FEED")}}})
        self._write_all(items)

    def _write_all(self, items: list[dict[str, Any]]) -> None:
        if self._transact(items):  # no conditions: only a concurrent write cancels it
            raise Conflict("the calendar feed changed meanwhile; try again", code="conflict")

    def feed_user(self, token_hash: str) -> str | None:
        item = self._get(f"FEED#{token_hash}", "FEED")
        return item["user_id"]["S"] if item else None

    def bump_sequence(self, event_id: str) -> int:
        out = self._call(
            "update_item",
            Key={"PK": str_attr(f"EVENT#{event_id}"), "SK": str_attr("SEQUENCE")},
            UpdateExpression="ADD seq :one",
            ExpressionAttributeValues={":one": num_attr(1)},
            ReturnValues="UPDATED_NEW",
        )
        return int(out["Attributes"]["seq"]["N"])

    def sequence(self, event_id: str) -> int:
        item = self._get(f"EVENT#{event_id}", "SEQUENCE")
        return int(item["seq"]["N"]) if item else 0

    def availability(self, user_id: str) -> list[Away]:
        item = self._get(f"USER#{user_id}", "AVAILABILITY")
        return windows_of(item["windows"]["S"]) if item else []

    def set_availability(self, user_id: str, windows: list[Away]) -> None:
        self._call(
            "put_item",
            Item={
                "PK": str_attr(f"USER#{user_id}"),
                "SK": str_attr("AVAILABILITY"),
                "windows": str_attr(windows_json(windows)),
            },
        )
