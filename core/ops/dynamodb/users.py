"""Ops users in the table: a PROFILE per user (GSI1 USERS by email) and an EMAIL# item that
keeps emails unique."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from core.errors import Conflict, NotFound, Unavailable
from core.ops.codec import dump, load
from core.ops.dynamodb.table import DynamoTable, body_of, str_attr
from core.ops.models import OpsUser


class DynamoUsers(DynamoTable):
    """Users: add (email unique), save, read, list."""

    def _user_item(self, user: OpsUser) -> dict[str, Any]:
        return {
            "PK": str_attr(f"USER#{user.id}"),
            "SK": str_attr("PROFILE"),
            "GSI1PK": str_attr("USERS"),
            "GSI1SK": str_attr(user.email),
            "body": str_attr(json.dumps(dump(user))),
        }

    def add_user(self, user: OpsUser) -> OpsUser:
        failed = self._transact(
            [
                {
                    "Put": {
                        "Item": {
                            "PK": str_attr(f"EMAIL#{user.email}"),
                            "SK": str_attr("USER"),
                            "user_id": str_attr(user.id),
                        },
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "Item": self._user_item(user),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )
        if failed:
            raise Conflict(f"{user.email} is already a user", code="email_taken")
        return user

    def save_user(self, user: OpsUser) -> OpsUser:
        try:
            self.client.put_item(
                TableName=self.table,
                Item=self._user_item(user),
                ConditionExpression="attribute_exists(PK)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotFound(f"no user {user.id}") from exc
            raise Unavailable(f"DynamoDB put_item failed: {exc}") from exc
        return user

    def get_user(self, user_id: str) -> OpsUser:
        item = self._get(f"USER#{user_id}", "PROFILE")
        if item is None:
            raise NotFound(f"no user {user_id}")
        return load(OpsUser, body_of(item))

    def find_user(self, email: str) -> OpsUser | None:
        link = self._get(f"EMAIL#{email}", "USER")
        return self.get_user(link["user_id"]["S"]) if link else None

    def list_users(self) -> list[OpsUser]:
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p",
            ExpressionAttributeValues={":p": str_attr("USERS")},
        )
        return [load(OpsUser, body_of(i)) for i in items]
