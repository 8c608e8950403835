"""Crew claims in the table: SLOT and MEMBER items per event and the user's versioned SCHEDULE.

A claim is one ``TransactWriteItems``: the slot and member items are put only if absent, and
the user's SCHEDULE only if its version is unchanged since the overlap check read it, so two
racing claims cannot both win.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

from core.errors import Conflict, NotFound
from core.ops.codec import load
from core.ops.dynamodb.table import DynamoTable, body_of, iso, num_attr, str_attr
from core.ops.models import Claim, Event
from core.ops.store import already_claimed, overlapping, slot_full

MAX_ATTEMPTS = 25


class DynamoClaims(DynamoTable):
    """Claims: take a slot, give it back, list an event's or a user's."""

    def _schedule(self, user_id: str) -> tuple[int, list[str]]:
        item = self._get(f"USER#{user_id}", "SCHEDULE")
        if item is None:
            return 0, []
        return int(item["version"]["N"]), json.loads(item["events"]["S"])

    def _free_schedule(self, user_id: str, event: Event) -> tuple[int, list[str]]:
        """The user's schedule (version, events); Conflict ``overlapping_claim`` if one of
        their trips overlaps ``event``."""
        version, held = self._schedule(user_id)
        for other_id in held:
            other = self._get(f"EVENT#{other_id}", "META")
            if other and load(Event, body_of(other)).overlaps(event.starts_at, event.ends_at):
                raise overlapping(event.id)
        return version, held

    def _schedule_put(self, user_id: str, version: int, events: list[str]) -> dict[str, Any]:
        cond = "attribute_not_exists(PK)" if version == 0 else "version = :v"
        put: dict[str, Any] = {
            "Item": {
                "PK": str_attr(f"USER#{user_id}"),
                "SK": str_attr("SCHEDULE"),
                "version": num_attr(version + 1),
                "events": str_attr(json.dumps(sorted(events))),
            },
            "ConditionExpression": cond,
        }
        if version:
            put["ExpressionAttributeValues"] = {":v": num_attr(version)}
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
            version, held = self._free_schedule(user_id, event)
            claim = Claim(event.id, role, free[0], user_id, at, event.starts_at, event.ends_at)
            claim_attrs = self._claim_attrs(claim)
            failed = self._transact(
                [
                    {
                        "Put": {
                            "Item": {
                                "PK": str_attr(pk),
                                "SK": str_attr(f"SLOT#{role}#{claim.slot_no:03d}"),
                                **claim_attrs,
                            },
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    {
                        "Put": {
                            "Item": {
                                "PK": str_attr(pk),
                                "SK": str_attr(f"MEMBER#{user_id}"),
                                **claim_attrs,
                            },
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
                            "Key": {"PK": str_attr(pk), "SK": str_attr(f"MEMBER#{user_id}")},
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    {
                        "Delete": {
                            "Key": {"PK": str_attr(pk), "SK": str_attr(slot_sk)},
                            "ConditionExpression": "user_id = :u",
                            "ExpressionAttributeValues": {":u": str_attr(user_id)},
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
    def _claim_attrs(claim: Claim) -> dict[str, Any]:
        """The attributes a SLOT and a MEMBER item carry for a claim."""
        return {
            "role": str_attr(claim.role),
            "slot_no": num_attr(claim.slot_no),
            "user_id": str_attr(claim.user_id),
            "claimed_at": str_attr(iso(claim.claimed_at)),
            "starts_at": str_attr(iso(claim.starts_at)),
            "ends_at": str_attr(iso(claim.ends_at)),
        }

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
