"""Once-only marks (MARK#, with TTL), e.g. a nudge sent."""

from __future__ import annotations

import time
from datetime import datetime

from botocore.exceptions import ClientError

from core.errors import Unavailable
from core.ops.dynamodb.table import DynamoTable, num_attr, str_attr


class DynamoOnceMarks(DynamoTable):
    """Marks taken once, however many callers race."""

    def first_time(self, key: str, expires_at: datetime) -> bool:
        now = int(time.time())
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "PK": str_attr(f"MARK#{key}"),
                    "SK": str_attr("MARK"),
                    "expires_at": num_attr(int(expires_at.timestamp())),
                },
                # an expired mark that TTL has not deleted yet does not count
                ConditionExpression="attribute_not_exists(PK) OR expires_at <= :now",
                ExpressionAttributeValues={":now": num_attr(now)},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise Unavailable(f"DynamoDB put_item failed: {exc}") from exc
        return True
