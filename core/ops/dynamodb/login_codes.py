"""Login codes (CODE#, single use) and rate-limit counters (COUNT#, one item per window)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from core.errors import Unavailable
from core.ops.codec import dump, load
from core.ops.dynamodb.table import DynamoTable, body_of, num_attr, str_attr
from core.ops.login_codes import LoginCode
from core.ops.store import counter_window


def _counter_key(key: str, window: int) -> dict[str, Any]:
    """The item of ``key``'s counter in one window."""
    return {"PK": str_attr(f"COUNT#{key}"), "SK": str_attr(f"W#{window}")}


class DynamoLoginCodes(DynamoTable):
    """Login codes and the rate-limit counters that guard them."""

    def put_code(self, code: LoginCode) -> None:
        self._call(
            "put_item",
            Item={
                "PK": str_attr(f"CODE#{code.code_hash}"),
                "SK": str_attr("CODE"),
                "body": str_attr(json.dumps(dump(code))),
                "expires_at": num_attr(int(code.expires_at.timestamp())),
            },
        )

    def take_code(self, code_hash: str, now: datetime) -> LoginCode | None:
        try:
            out = self.client.delete_item(
                TableName=self.table,
                Key={"PK": str_attr(f"CODE#{code_hash}"), "SK": str_attr("CODE")},
                ConditionExpression="attribute_exists(PK) AND expires_at > :now",
                ExpressionAttributeValues={":now": num_attr(int(now.timestamp()))},
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise Unavailable(f"DynamoDB delete_item failed: {exc}") from exc
        return load(LoginCode, body_of(out["Attributes"]))

    def count_hit(self, key: str, window_seconds: int, now: datetime) -> int:
        window = counter_window(now, window_seconds)
        out = self._call(
            "update_item",
            Key=_counter_key(key, window),
            UpdateExpression="ADD hits :one SET expires_at = :exp",
            ExpressionAttributeValues={
                ":one": num_attr(1),
                ":exp": num_attr((window + 2) * window_seconds),
            },
            ReturnValues="UPDATED_NEW",
        )
        return int(out["Attributes"]["hits"]["N"])

    def reserve_hit(self, key: str, limit: int, window_seconds: int, now: datetime) -> bool:
        if limit < 1:
            return False
        window = counter_window(now, window_seconds)
        try:
            self.client.update_item(
                TableName=self.table,
                Key=_counter_key(key, window),
                UpdateExpression="ADD hits :one SET expires_at = :exp",
                # the check and the increment are one step: racing callers cannot overshoot
                ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
                ExpressionAttributeValues={
                    ":one": num_attr(1),
                    ":limit": num_attr(limit),
                    ":exp": num_attr((window + 2) * window_seconds),
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise Unavailable(f"DynamoDB update_item failed: {exc}") from exc
        return True

    def release_hit(self, key: str, window_seconds: int, now: datetime) -> None:
        window = counter_window(now, window_seconds)
        try:
            self.client.update_item(
                TableName=self.table,
                Key=_counter_key(key, window),
                UpdateExpression="ADD hits :minus",
                ConditionExpression="hits > :zero",
                ExpressionAttributeValues={":minus": num_attr(-1), ":zero": num_attr(0)},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise Unavailable(f"DynamoDB update_item failed: {exc}") from exc
