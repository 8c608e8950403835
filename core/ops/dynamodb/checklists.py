"""Checklist items in the table: CHECK#<phase>#<n> under the event."""

from __future__ import annotations

import json
from datetime import datetime

from core.errors import NotFound
from core.ops.codec import dump, load
from core.ops.dynamodb.table import DynamoTable, body_of, str_attr
from core.ops.models import ChecklistItem


class DynamoChecklists(DynamoTable):
    """Checklists: read in phase order, tick or untick an item."""

    def checklist(self, event_id: str) -> list[ChecklistItem]:
        items = [
            load(ChecklistItem, body_of(i)) for i in self._query(f"EVENT#{event_id}", "CHECK#")
        ]
        order = {"pre_departure": 0, "underway": 1, "post_trip": 2}
        return sorted(items, key=lambda i: (order.get(i.phase, 9), i.position))

    def set_item(
        self, event_id: str, item_id: str, *, done: bool, by: str | None, at: datetime | None
    ) -> ChecklistItem:
        phase, _, position = item_id.rpartition("-")
        if not position.isdigit():
            raise NotFound(f"no checklist item {item_id} on event {event_id}")
        key = (f"EVENT#{event_id}", f"CHECK#{phase}#{int(position):02d}")
        item = self._get(*key)
        if item is None:
            raise NotFound(f"no checklist item {item_id} on event {event_id}")
        old = load(ChecklistItem, body_of(item))
        new = ChecklistItem(
            old.event_id,
            old.id,
            old.phase,
            old.position,
            old.text,
            done,
            by if done else None,
            at if done else None,
        )
        self._call(
            "put_item",
            Item={
                "PK": str_attr(key[0]),
                "SK": str_attr(key[1]),
                "body": str_attr(json.dumps(dump(new))),
            },
        )
        return new
