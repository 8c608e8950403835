"""DynamoDB single-table ops store (CONTRACT section 7). The only ops module importing boto3.

Keys: ``PK``/``SK``; GSI ``GSI1`` on ``GSI1PK``/``GSI1SK``; TTL attribute ``expires_at``.

    USER#<id>          PROFILE                 user body; GSI1 USERS / <email>
    USER#<id>          SCHEDULE                version + event ids the user holds slots on
    EMAIL#<email>      USER                    uniqueness of emails
    EVENT#<id>         META                    event body, status, guest_count; GSI1 EVENTS/<start>
    EVENT#<id>         SLOT#<role>#<n>         the holder of slot n
    EVENT#<id>         MEMBER#<user>           the user's claim on the event (one per event)
    EVENT#<id>         CHECK#<phase>#<n>       checklist item
    EVENT#<id>         GUEST#<id>              guest body and status
    EVENT#<id>         GUESTEMAIL#<email>      uniqueness of a guest email per event
    CODE#<sha256>      CODE                    a login code (TTL); deleted when used
    COUNT#<key>        W#<window>              a rate-limit counter (TTL)
    MARK#<key>         MARK                    a once-only mark, e.g. a nudge sent (TTL)
    INBOUND#<src>#<id> INBOUND                 a webhook event (TTL); GSI1 INBOUND#<src>/<received>

Claims are one ``TransactWriteItems``: the slot and member items are put only if absent, and
the user's SCHEDULE only if its version is unchanged since the overlap check read it, so two
racing claims cannot both win. Items whose ``expires_at`` has passed are ignored on read
(TTL deletion lags by days).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from core.errors import Conflict, NotFound, Unavailable
from core.ops.codec import dump, load
from core.ops.login_codes import LoginCode
from core.ops.models import ChecklistItem, Claim, Event, Guest, InboundEvent, OpsUser, Waiver
from core.ops.store import (
    OpsStore,
    already_claimed,
    counter_window,
    overlapping,
    slot_full,
    waiver_taken,
)

MAX_ATTEMPTS = 25


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _body(item: dict[str, Any]) -> dict[str, Any]:
    return json.loads(item["body"]["S"])


def _iso(t: datetime) -> str:
    # one offset for every key: ISO strings sort as times only then (GSI1SK ranges)
    return t.astimezone(UTC).isoformat()


def _counter_key(key: str, window: int) -> dict[str, Any]:
    """The item of ``key``'s counter in one window."""
    return {"PK": _s(f"COUNT#{key}"), "SK": _s(f"W#{window}")}


class DynamoOpsStore(OpsStore):
    """Ops records in one DynamoDB table; pass a client to point at DynamoDB Local."""

    backend = "dynamodb"

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

    # plumbing ------------------------------------------------------------------------------
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
        out = self._call("get_item", Key={"PK": _s(pk), "SK": _s(sk)}, ConsistentRead=True)
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
            ExpressionAttributeValues={":pk": _s(pk), ":sk": _s(prefix)},
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

    # users ---------------------------------------------------------------------------------
    def _user_item(self, user: OpsUser) -> dict[str, Any]:
        return {
            "PK": _s(f"USER#{user.id}"),
            "SK": _s("PROFILE"),
            "GSI1PK": _s("USERS"),
            "GSI1SK": _s(user.email),
            "body": _s(json.dumps(dump(user))),
        }

    def add_user(self, user: OpsUser) -> OpsUser:
        failed = self._transact(
            [
                {
                    "Put": {
                        "Item": {
                            "PK": _s(f"EMAIL#{user.email}"),
                            "SK": _s("USER"),
                            "user_id": _s(user.id),
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
        return load(OpsUser, _body(item))

    def find_user(self, email: str) -> OpsUser | None:
        link = self._get(f"EMAIL#{email}", "USER")
        return self.get_user(link["user_id"]["S"]) if link else None

    def list_users(self) -> list[OpsUser]:
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p",
            ExpressionAttributeValues={":p": _s("USERS")},
        )
        return [load(OpsUser, _body(i)) for i in items]

    # events --------------------------------------------------------------------------------
    def _event_item(self, event: Event) -> dict[str, Any]:
        return {
            "PK": _s(f"EVENT#{event.id}"),
            "SK": _s("META"),
            "GSI1PK": _s("EVENTS"),
            "GSI1SK": _s(_iso(event.starts_at)),
            "status": _s(event.status),
            "body": _s(json.dumps(dump(event))),
        }

    def create_event(self, event: Event, checklist: list[ChecklistItem]) -> Event:
        puts = [{"Put": {"Item": {**self._event_item(event), "guest_count": _n(0)}}}]
        for item in checklist:
            puts.append(
                {
                    "Put": {
                        "Item": {
                            "PK": _s(f"EVENT#{event.id}"),
                            "SK": _s(f"CHECK#{item.phase}#{item.position:02d}"),
                            "body": _s(json.dumps(dump(item))),
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
        return load(Event, _body(item))

    def list_events(self, start: datetime, end: datetime) -> list[Event]:
        if start >= end:  # an empty range (BETWEEN refuses bounds the wrong way round)
            return []
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p AND GSI1SK BETWEEN :a AND :b",
            ExpressionAttributeValues={
                ":p": _s("EVENTS"),
                ":a": _s(_iso(start)),
                ":b": _s(_iso(end)),
            },
        )
        events = [load(Event, _body(i)) for i in items]
        return [e for e in events if start <= e.starts_at < end]

    def save_event(self, event: Event) -> Event:
        try:
            self.client.update_item(
                TableName=self.table,
                Key={"PK": _s(f"EVENT#{event.id}"), "SK": _s("META")},
                UpdateExpression="SET body = :b, #st = :s, GSI1SK = :g",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#st": "status"},
                ExpressionAttributeValues={
                    ":b": _s(json.dumps(dump(event))),
                    ":s": _s(event.status),
                    ":g": _s(_iso(event.starts_at)),
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
                    ":a": _s(_iso(event.starts_at)),
                    ":b": _s(_iso(event.ends_at)),
                },
            )
        return event

    # claims --------------------------------------------------------------------------------
    def _schedule(self, user_id: str) -> tuple[int, list[str]]:
        item = self._get(f"USER#{user_id}", "SCHEDULE")
        if item is None:
            return 0, []
        return int(item["version"]["N"]), json.loads(item["events"]["S"])

    def _schedule_put(self, user_id: str, version: int, events: list[str]) -> dict[str, Any]:
        cond = "attribute_not_exists(PK)" if version == 0 else "version = :v"
        put: dict[str, Any] = {
            "Item": {
                "PK": _s(f"USER#{user_id}"),
                "SK": _s("SCHEDULE"),
                "version": _n(version + 1),
                "events": _s(json.dumps(sorted(events))),
            },
            "ConditionExpression": cond,
        }
        if version:
            put["ExpressionAttributeValues"] = {":v": _n(version)}
        return {"Put": put}

    def claim(self, event: Event, role: str, user_id: str, at: datetime) -> Claim:
        pk = f"EVENT#{event.id}"
        for _ in range(MAX_ATTEMPTS):
            if self._get(pk, f"MEMBER#{user_id}"):
                raise already_claimed(event.id)
            taken = {int(i["SK"]["S"].rsplit("#", 1)[1]) for i in self._query(pk, f"SLOT#{role}#")}
            free = [n for n in range(1, event.slots.get(role, 0) + 1) if n not in taken]
            if not free:
                raise slot_full(event.id, role)
            version, held = self._schedule(user_id)
            for other_id in held:
                other = self._get(f"EVENT#{other_id}", "META")
                if other and load(Event, _body(other)).overlaps(event.starts_at, event.ends_at):
                    raise overlapping(event.id)
            claim = Claim(event.id, role, free[0], user_id, at, event.starts_at, event.ends_at)
            claim_attrs = {
                "role": _s(role),
                "slot_no": _n(claim.slot_no),
                "user_id": _s(user_id),
                "claimed_at": _s(_iso(at)),
                "starts_at": _s(_iso(event.starts_at)),
                "ends_at": _s(_iso(event.ends_at)),
            }
            failed = self._transact(
                [
                    {
                        "Put": {
                            "Item": {
                                "PK": _s(pk),
                                "SK": _s(f"SLOT#{role}#{claim.slot_no:03d}"),
                                **claim_attrs,
                            },
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    {
                        "Put": {
                            "Item": {"PK": _s(pk), "SK": _s(f"MEMBER#{user_id}"), **claim_attrs},
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    self._schedule_put(user_id, version, [*held, event.id]),
                ]
            )
            if failed is None:
                return claim
            if failed[1] == "ConditionalCheckFailed":
                raise already_claimed(event.id)
            time.sleep(0.005)  # the slot or the schedule moved: read again
        raise Conflict("too many people are claiming at once; try again", code="busy")

    def release(self, event_id: str, user_id: str) -> None:
        pk = f"EVENT#{event_id}"
        for _ in range(MAX_ATTEMPTS):
            member = self._get(pk, f"MEMBER#{user_id}")
            if member is None:
                raise NotFound(f"user {user_id} holds no slot on event {event_id}")
            slot_sk = f"SLOT#{member['role']['S']}#{int(member['slot_no']['N']):03d}"
            version, held = self._schedule(user_id)
            failed = self._transact(
                [
                    {
                        "Delete": {
                            "Key": {"PK": _s(pk), "SK": _s(f"MEMBER#{user_id}")},
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    {
                        "Delete": {
                            "Key": {"PK": _s(pk), "SK": _s(slot_sk)},
                            "ConditionExpression": "user_id = :u",
                            "ExpressionAttributeValues": {":u": _s(user_id)},
                        }
                    },
                    self._schedule_put(user_id, version, [e for e in held if e != event_id]),
                ]
            )
            if failed is None:
                return
            time.sleep(0.005)
        raise Conflict("the slot is changing; try again", code="busy")

    @staticmethod
    def _claim_of(item: dict[str, Any]) -> Claim:
        return Claim(
            event_id=item["PK"]["S"].removeprefix("EVENT#"),
            role=item["role"]["S"],
            slot_no=int(item["slot_no"]["N"]),
            user_id=item["user_id"]["S"],
            claimed_at=datetime.fromisoformat(item["claimed_at"]["S"]),
            starts_at=datetime.fromisoformat(item["starts_at"]["S"]),
            ends_at=datetime.fromisoformat(item["ends_at"]["S"]),
        )

    def claims(self, event_id: str) -> list[Claim]:
        found = [self._claim_of(i) for i in self._query(f"EVENT#{event_id}", "SLOT#")]
        return sorted(found, key=lambda c: (c.role, c.slot_no))

    def user_claims(self, user_id: str) -> list[Claim]:
        _, held = self._schedule(user_id)
        found = []
        for event_id in held:
            item = self._get(f"EVENT#{event_id}", f"MEMBER#{user_id}")
            if item:
                found.append(self._claim_of(item))
        return sorted(found, key=lambda c: c.starts_at)

    # checklists ----------------------------------------------------------------------------
    def checklist(self, event_id: str) -> list[ChecklistItem]:
        items = [load(ChecklistItem, _body(i)) for i in self._query(f"EVENT#{event_id}", "CHECK#")]
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
        old = load(ChecklistItem, _body(item))
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
            Item={"PK": _s(key[0]), "SK": _s(key[1]), "body": _s(json.dumps(dump(new)))},
        )
        return new

    # guests --------------------------------------------------------------------------------
    def _guest_item(self, guest: Guest) -> dict[str, Any]:
        return {
            "PK": _s(f"EVENT#{guest.event_id}"),
            "SK": _s(f"GUEST#{guest.id}"),
            "status": _s(guest.status),
            "body": _s(json.dumps(dump(guest))),
        }

    def add_guest(self, guest: Guest, capacity: int) -> Guest:
        pk = f"EVENT#{guest.event_id}"
        failed = self._transact(
            [
                {
                    "Update": {
                        "Key": {"PK": _s(pk), "SK": _s("META")},
                        "UpdateExpression": "SET guest_count = guest_count + :one",
                        "ConditionExpression": "attribute_exists(PK) AND guest_count < :cap",
                        "ExpressionAttributeValues": {":one": _n(1), ":cap": _n(capacity)},
                    }
                },
                {
                    "Put": {
                        "Item": {
                            "PK": _s(pk),
                            "SK": _s(f"GUESTEMAIL#{guest.email}"),
                            "guest_id": _s(guest.id),
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
        return load(Guest, _body(item))

    def guests(self, event_id: str) -> list[Guest]:
        found = [load(Guest, _body(i)) for i in self._query(f"EVENT#{event_id}", "GUEST#")]
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
        if not self._replace_guest(new, "#st = :hold", {":hold": _s("on_hold")}):
            raise waiver_taken(self.get_guest(event_id, guest_id))
        return new

    def check_in(self, event_id: str, guest_id: str, at: datetime) -> Guest:
        g = self.get_guest(event_id, guest_id)
        if g.status == "on_hold":
            raise Conflict(f"{g.name} has not signed the waiver", code="waiver_required")
        new = Guest(g.event_id, g.id, g.email, g.name, "checked_in", g.waiver, at, g.added_at)
        if not self._replace_guest(new, "#st <> :hold", {":hold": _s("on_hold")}):
            raise Conflict(f"{g.name} has not signed the waiver", code="waiver_required")
        return new

    # codes, counters, marks ----------------------------------------------------------------
    def put_code(self, code: LoginCode) -> None:
        self._call(
            "put_item",
            Item={
                "PK": _s(f"CODE#{code.code_hash}"),
                "SK": _s("CODE"),
                "body": _s(json.dumps(dump(code))),
                "expires_at": _n(int(code.expires_at.timestamp())),
            },
        )

    def take_code(self, code_hash: str, now: datetime) -> LoginCode | None:
        try:
            out = self.client.delete_item(
                TableName=self.table,
                Key={"PK": _s(f"CODE#{code_hash}"), "SK": _s("CODE")},
                ConditionExpression="attribute_exists(PK) AND expires_at > :now",
                ExpressionAttributeValues={":now": _n(int(now.timestamp()))},
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise Unavailable(f"DynamoDB delete_item failed: {exc}") from exc
        return load(LoginCode, _body(out["Attributes"]))

    def count_hit(self, key: str, window_seconds: int, now: datetime) -> int:
        window = counter_window(now, window_seconds)
        out = self._call(
            "update_item",
            Key=_counter_key(key, window),
            UpdateExpression="ADD hits :one SET expires_at = :exp",
            ExpressionAttributeValues={
                ":one": _n(1),
                ":exp": _n((window + 2) * window_seconds),
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
                    ":one": _n(1),
                    ":limit": _n(limit),
                    ":exp": _n((window + 2) * window_seconds),
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
                ExpressionAttributeValues={":minus": _n(-1), ":zero": _n(0)},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise Unavailable(f"DynamoDB update_item failed: {exc}") from exc

    def first_time(self, key: str, expires_at: datetime) -> bool:
        now = int(time.time())
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "PK": _s(f"MARK#{key}"),
                    "SK": _s("MARK"),
                    "expires_at": _n(int(expires_at.timestamp())),
                },
                # an expired mark that TTL has not deleted yet does not count
                ConditionExpression="attribute_not_exists(PK) OR expires_at <= :now",
                ExpressionAttributeValues={":now": _n(now)},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise Unavailable(f"DynamoDB put_item failed: {exc}") from exc
        return True

    # webhook events -------------------------------------------------------------------------
    def record_inbound(self, event: InboundEvent) -> bool:
        received = _iso(event.received_at.astimezone(UTC))
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "PK": _s(f"INBOUND#{event.source}#{event.id}"),
                    "SK": _s("INBOUND"),
                    "GSI1PK": _s(f"INBOUND#{event.source}"),
                    "GSI1SK": _s(f"{received}#{event.id}"),
                    "body": _s(json.dumps(dump(event))),
                    "expires_at": _n(int(event.expires_at.timestamp())),
                },
                # a repeat is refused while the first copy is live (TTL deletion lags)
                ConditionExpression="attribute_not_exists(PK) OR expires_at <= :now",
                ExpressionAttributeValues={":now": _n(int(time.time()))},
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
                ":p": _s(f"INBOUND#{source}"),
                ":a": _s(_iso(since.astimezone(UTC))),
            },
            ScanIndexForward=False,
        )
        return [load(InboundEvent, _body(i)) for i in items[:limit]]
