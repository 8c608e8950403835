"""The ops table itself: the client, its creation, and the reads, queries and transactions
every part of the DynamoDB store shares. The attribute helpers build DynamoDB's typed values.
Items whose ``expires_at`` has passed are ignored on read (TTL deletion lags by days).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from core.errors import Unavailable


def str_attr(value: str) -> dict[str, str]:
    """A DynamoDB string value."""
    return {"S": value}


def num_attr(value: int) -> dict[str, str]:
    """A DynamoDB number value."""
    return {"N": str(value)}


def body_of(item: dict[str, Any]) -> dict[str, Any]:
    """The JSON body an item carries."""
    return json.loads(item["body"]["S"])


def iso(t: datetime) -> str:
    """``t`` as UTC ISO 8601."""
    # one offset for every key: ISO strings sort as times only then (GSI1SK ranges)
    return t.astimezone(UTC).isoformat()


class DynamoTable:
    """One DynamoDB table; pass a client to point at DynamoDB Local."""

    def __init__(self, table: str, client: Any | None = None) -> None:
        self.table = table
        self._client = client

    @property
    def client(self) -> Any:
        """The boto3 DynamoDB client (built lazily from the environment)."""
        if self._client is None:
            # botocore directly (boto3 adds import time and nothing we use); lazily, so a
            # cold start pays for it only when the store is used
            import botocore.session

            self._client = botocore.session.get_session().create_client("dynamodb")
        return self._client

    def _call(self, op: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, op)(TableName=self.table, **kwargs)
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code == "ResourceNotFoundException":
                raise Unavailable(f"ops table {self.table} does not exist (run ops-init)") from exc
            raise Unavailable(f"DynamoDB {op} failed: {code}") from exc

    def init(self) -> None:
        """Create the table with its GSI and TTL if missing (safe to run again). An existing
        table costs one call: cold starts run this, and the table is usually there."""
        try:
            self.client.describe_table(TableName=self.table)
            return
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise Unavailable(f"DynamoDB describe_table failed: {exc}") from exc
        try:
            self.client.create_table(
                TableName=self.table,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[
                    {"AttributeName": n, "AttributeType": "S"}
                    for n in ("PK", "SK", "GSI1PK", "GSI1SK")
                ],
                KeySchema=[
                    {"AttributeName": "PK", "KeyType": "HASH"},
                    {"AttributeName": "SK", "KeyType": "RANGE"},
                ],
                GlobalSecondaryIndexes=[
                    {
                        "IndexName": "GSI1",
                        "KeySchema": [
                            {"AttributeName": "GSI1PK", "KeyType": "HASH"},
                            {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
                        ],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                ],
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceInUseException":
                raise Unavailable(f"DynamoDB create_table failed: {exc}") from exc
        self.client.get_waiter("table_exists").wait(TableName=self.table)
        try:
            self.client.update_time_to_live(
                TableName=self.table,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
            )
        except ClientError as exc:  # a racing init already enabled it
            if "already enabled" not in str(exc).lower():
                raise Unavailable(f"DynamoDB update_time_to_live failed: {exc}") from exc

    @staticmethod
    def _live(item: dict[str, Any] | None) -> dict[str, Any] | None:
        if item is None:
            return None
        expires = item.get("expires_at")
        if expires is not None and int(expires["N"]) <= time.time():
            return None
        return item

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        out = self._call(
            "get_item", Key={"PK": str_attr(pk), "SK": str_attr(sk)}, ConsistentRead=True
        )
        return self._live(out.get("Item"))

    def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        """Every live item a query returns, across pages."""
        items: list[dict[str, Any]] = []
        while True:
            out = self._call("query", **kwargs)
            items += [i for i in out["Items"] if self._live(i)]
            if "LastEvaluatedKey" not in out:
                return items
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]

    def _query(self, pk: str, prefix: str) -> list[dict[str, Any]]:
        return self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
            ExpressionAttributeValues={":pk": str_attr(pk), ":sk": str_attr(prefix)},
            ConsistentRead=True,
        )

    def _transact(self, items: list[dict[str, Any]]) -> list[str] | None:
        """Run a transaction; None on success, else each item's cancellation code."""
        for item in items:
            next(iter(item.values()))["TableName"] = self.table
        try:
            self.client.transact_write_items(TransactItems=items)
            return None
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise Unavailable(f"DynamoDB transaction failed: {exc}") from exc
            reasons = exc.response.get("CancellationReasons") or []
            return [r.get("Code", "None") for r in reasons]
