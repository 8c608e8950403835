"""Events in the table: the META item (GSI1 EVENTS by start), created with its checklist."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from core.errors import Conflict, NotFound, Unavailable
from core.ops.codec import dump, load
from core.ops.dynamodb.table import DynamoTable, body_of, iso, num_attr, str_attr
from core.ops.models import ChecklistItem, Event


class DynamoEvents(DynamoTable):
    """Events: create with the checklist, read, list by start, save."""

    def _event_item(self, event: Event) -> dict[str, Any]:
        return {
            "PK": str_attr(f"EVENT#{event.id}"),
            "SK": str_attr("META"),
            "GSI1PK": str_attr("EVENTS"),
            "GSI1SK": str_attr(iso(event.starts_at)),
            "status": str_attr(event.status),
            "body": str_attr(json.dumps(dump(event))),
        }

    def create_event(self, event: Event, checklist: list[ChecklistItem]) -> Event:
        puts = [{"Put": {"Item": {**self._event_item(event), "guest_count": num_attr(0)}}}]
        for item in checklist:
            puts.append(
                {
                    "Put": {
                        "Item": {
                            "PK": str_attr(f"EVENT#{event.id}"),
                            "SK": str_attr(f"CHECK#{item.phase}#{item.position:02d}"),
                            "body": str_attr(json.dumps(dump(item))),
                        }
                    }
                }
            )
        for start in range(0, len(puts), 100):  # a transaction holds at most 100 items
            if self._transact(puts[start : start + 100]):
                raise Conflict(f"event {event.id} could not be stored", code="conflict")
        return event

    def get_event(self, event_id: str) -> Event:
        item = self._get(f"EVENT#{event_id}", "META")
        if item is None:
            raise NotFound(f"no event {event_id}")
        return load(Event, body_of(item))

    def list_events(self, start: datetime, end: datetime) -> list[Event]:
        if start >= end:  # an empty range (BETWEEN refuses bounds the wrong way round)
            return []
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p AND GSI1SK BETWEEN :a AND :b",
            ExpressionAttributeValues={
                ":p": str_attr("EVENTS"),
                ":a": str_attr(iso(start)),
                ":b": str_attr(iso(end)),
            },
        )
        events = [load(Event, body_of(i)) for i in items]
        return [e for e in events if start <= e.starts_at < end]

    def save_event(self, event: Event) -> Event:
        try:
            self.client.update_item(
                TableName=self.table,
                Key={"PK": str_attr(f"EVENT#{event.id}"), "SK": str_attr("META")},
                UpdateExpression="SET body = :b, #st = :s, GSI1SK = :g",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#st": "status"},
                ExpressionAttributeValues={
                    ":b": str_attr(json.dumps(dump(event))),
                    ":s": str_attr(event.status),
                    ":g": str_attr(iso(event.starts_at)),
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotFound(f"no event {event.id}") from exc
            raise Unavailable(f"DynamoDB update_item failed: {exc}") from exc
        for member in self._query(f"EVENT#{event.id}", "MEMBER#"):
            self._call(
                "update_item",
                Key={"PK": member["PK"], "SK": member["SK"]},
                UpdateExpression="SET starts_at = :a, ends_at = :b",
                ExpressionAttributeValues={
                    ":a": str_attr(iso(event.starts_at)),
                    ":b": str_attr(iso(event.ends_at)),
                },
            )
        return event
