"""Float plans and shore contacts in the table: ``EVENT#<id>/FLOAT`` (GSI1 ``FLOATS#OPEN`` /
ETA while open: a sparse index of the open plans) and ``ENTITY#<id>/SHORE``."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from core.errors import Unavailable
from core.ops.dynamodb.table import DynamoTable, body_of, iso, str_attr
from core.ops.float_plan import (
    FloatPlan,
    ShoreContact,
    already_departed,
    already_returned,
    contact_from_json,
    contact_to_json,
    not_departed,
    plan_from_json,
    plan_to_json,
)

OPEN_PLANS = "FLOATS#OPEN"


def _plan_key(event_id: str) -> dict[str, Any]:
    return {"PK": str_attr(f"EVENT#{event_id}"), "SK": str_attr("FLOAT")}


class DynamoFloatPlans(DynamoTable):
    """Float plans: depart once, return once, the open ones by ETA; shore contacts."""

    def _write(self, op: str, conflict: Exception, **kwargs: Any) -> None:
        try:
            getattr(self.client, op)(TableName=self.table, **kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise conflict from exc
            raise Unavailable(f"DynamoDB {op} failed: {exc}") from exc

    def depart(self, plan: FloatPlan) -> FloatPlan:
        item = {
            **_plan_key(plan.event_id),
            "GSI1PK": str_attr(OPEN_PLANS),
            "GSI1SK": str_attr(f"{iso(plan.eta)}#{plan.event_id}"),
            "body": str_attr(json.dumps(plan_to_json(plan))),
        }
        self._write(
            "put_item",
            already_departed(plan.event_id),
            Item=item,
            ConditionExpression="attribute_not_exists(PK)",
        )
        return plan

    def mark_returned(self, event_id: str, by: str, at: datetime) -> FloatPlan:
        plan = self.float_plan(event_id)
        if plan is None:
            raise not_departed(event_id)
        if not plan.open:
            raise already_returned(event_id)
        back = replace(plan, returned_at=at, returned_by=by)
        # leaving the open index and closing are one conditional write: a second "Back" loses
        self._write(
            "update_item",
            already_returned(event_id),
            Key=_plan_key(event_id),
            UpdateExpression="SET body = :b, returned_at = :r REMOVE GSI1PK, GSI1SK",
            ConditionExpression="attribute_exists(PK) AND attribute_not_exists(returned_at)",
            ExpressionAttributeValues={
                ":b": str_attr(json.dumps(plan_to_json(back))),
                ":r": str_attr(iso(at)),
            },
        )
        return back

    def float_plan(self, event_id: str) -> FloatPlan | None:
        item = self._get(f"EVENT#{event_id}", "FLOAT")
        return plan_from_json(body_of(item)) if item else None

    def open_float_plans(self, eta_from: datetime, eta_to: datetime) -> list[FloatPlan]:
        if eta_from >= eta_to:
            return []
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p AND GSI1SK BETWEEN :a AND :b",
            ExpressionAttributeValues={
                ":p": str_attr(OPEN_PLANS),
                ":a": str_attr(iso(eta_from)),
                ":b": str_attr(iso(eta_to)),
            },
        )
        plans = [plan_from_json(body_of(i)) for i in items]
        # the index lags a write a little: a plan closed a moment ago may still be listed
        return [p for p in plans if p.open and eta_from <= p.eta < eta_to]

    def set_shore_contact(self, contact: ShoreContact) -> ShoreContact:
        self._call(
            "put_item",
            Item={
                "PK": str_attr(f"ENTITY#{contact.entity}"),
                "SK": str_attr("SHORE"),
                "body": str_attr(json.dumps(contact_to_json(contact))),
            },
        )
        return contact

    def shore_contact(self, entity: str) -> ShoreContact | None:
        item = self._get(f"ENTITY#{entity}", "SHORE")
        return contact_from_json(body_of(item)) if item else None
