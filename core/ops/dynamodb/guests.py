"""Guests and waivers in the table: GUEST# items, the event's guest_count and GUESTEMAIL# items
keeping a guest's email unique per event.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from core.errors import Conflict, NotFound, Unavailable
from core.ops.codec import dump, load
from core.ops.dynamodb.table import DynamoTable, body_of, num_attr, str_attr
from core.ops.models import Guest, Waiver
from core.ops.store import waiver_taken


class DynamoGuests(DynamoTable):
    """Guests: add under capacity, read, sign the waiver once, check in."""

    def _guest_item(self, guest: Guest) -> dict[str, Any]:
        return {
            "PK": str_attr(f"EVENT#{guest.event_id}"),
            "SK": str_attr(f"GUEST#{guest.id}"),
            "status": str_attr(guest.status),
            "body": str_attr(json.dumps(dump(guest))),
        }

    def add_guest(self, guest: Guest, capacity: int) -> Guest:
        pk = f"EVENT#{guest.event_id}"
        failed = self._transact(
            [
                {
                    "Update": {
                        "Key": {"PK": str_attr(pk), "SK": str_attr("META")},
                        "UpdateExpression": "SET guest_count = guest_count + :one",
                        "ConditionExpression": "attribute_exists(PK) AND guest_count < :cap",
                        "ExpressionAttributeValues": {
                            ":one": num_attr(1),
                            ":cap": num_attr(capacity),
                        },
                    }
                },
                {
                    "Put": {
                        "Item": {
                            "PK": str_attr(pk),
                            "SK": str_attr(f"GUESTEMAIL#{guest.email}"),
                            "guest_id": str_attr(guest.id),
                        },
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {"Put": {"Item": self._guest_item(guest)}},
            ]
        )
        if failed:
            if failed[1] == "ConditionalCheckFailed":
                raise Conflict(f"{guest.email} is already on this event", code="guest_exists")
            raise Conflict(f"event {guest.event_id} is full", code="guests_full")
        return guest

    def get_guest(self, event_id: str, guest_id: str) -> Guest:
        item = self._get(f"EVENT#{event_id}", f"GUEST#{guest_id}")
        if item is None:
            raise NotFound(f"no guest {guest_id} on event {event_id}")
        return load(Guest, body_of(item))

    def guests(self, event_id: str) -> list[Guest]:
        found = [load(Guest, body_of(i)) for i in self._query(f"EVENT#{event_id}", "GUEST#")]
        return sorted(found, key=lambda g: (g.added_at, g.id))

    def _replace_guest(self, guest: Guest, condition: str, values: dict[str, Any]) -> bool:
        try:
            self.client.put_item(
                TableName=self.table,
                Item=self._guest_item(guest),
                ConditionExpression=condition,
                ExpressionAttributeNames={"#st": "status"},
                ExpressionAttributeValues=values,
            )
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise Unavailable(f"DynamoDB put_item failed: {exc}") from exc

    def sign_waiver(self, event_id: str, guest_id: str, waiver: Waiver) -> Guest:
        g = self.get_guest(event_id, guest_id)
        if g.status != "on_hold":
            raise waiver_taken(g)
        new = Guest(
            g.event_id, g.id, g.email, g.name, "cleared", waiver, g.checked_in_at, g.added_at
        )
        if not self._replace_guest(new, "#st = :hold", {":hold": str_attr("on_hold")}):
            raise waiver_taken(self.get_guest(event_id, guest_id))
        return new

    def check_in(self, event_id: str, guest_id: str, at: datetime) -> Guest:
        g = self.get_guest(event_id, guest_id)
        if g.status == "on_hold":
            raise Conflict(f"{g.name} has not signed the waiver", code="waiver_required")
        new = Guest(g.event_id, g.id, g.email, g.name, "checked_in", g.waiver, at, g.added_at)
        if not self._replace_guest(new, "#st <> :hold", {":hold": str_attr("on_hold")}):
            raise Conflict(f"{g.name} has not signed the waiver", code="waiver_required")
        return new
