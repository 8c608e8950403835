"""Webhook deliveries (INBOUND#<src>#<id>, TTL), kept once by id; GSI1 lists a source's by time."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from core.errors import Unavailable
from core.ops.codec import dump, load
from core.ops.dynamodb.table import DynamoTable, body_of, iso, num_attr, str_attr
from core.ops.models import InboundEvent


class DynamoInboundEvents(DynamoTable):
    """Webhook deliveries, kept once by id."""

    def record_inbound(self, event: InboundEvent) -> bool:
        received = iso(event.received_at.astimezone(UTC))
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "PK": str_attr(f"INBOUND#{event.source}#{event.id}"),
                    "SK": str_attr("INBOUND"),
                    "GSI1PK": str_attr(f"INBOUND#{event.source}"),
                    "GSI1SK": str_attr(f"{received}#{event.id}"),
                    "body": str_attr(json.dumps(dump(event))),
                    "expires_at": num_attr(int(event.expires_at.timestamp())),
                },
                # a repeat is refused while the first copy is live (TTL deletion lags)
                ConditionExpression="attribute_not_exists(PK) OR expires_at <= :now",
                ExpressionAttributeValues={":now": num_attr(int(time.time()))},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise Unavailable(f"DynamoDB put_item failed: {exc}") from exc
        return True

    def inbound_events(self, source: str, since: datetime, limit: int = 100) -> list[InboundEvent]:
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p AND GSI1SK >= :a",
            ExpressionAttributeValues={
                ":p": str_attr(f"INBOUND#{source}"),
                ":a": str_attr(iso(since.astimezone(UTC))),
            },
            ScanIndexForward=False,
        )
        return [load(InboundEvent, body_of(i)) for i in items[:limit]]
