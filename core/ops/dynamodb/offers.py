"""Slot offers in the table: an ``OFFER#<id>`` item (in GSI1 ``OFFERS`` while open) and, while
open, a lock item per slot and holder on the event's partition.

Taking an offer is one ``TransactWriteItems``: the offer goes open -> taken (conditioned on
``status = open``), the SLOT item's holder offerer -> taker (conditioned on the offerer), the
MEMBER items move, and both people's SCHEDULE versions are conditioned as in ``claim``; of
two takers racing, exactly one transaction commits.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from core.errors import Conflict, NotFound
from core.ops.dynamodb.claims import MAX_ATTEMPTS, DynamoClaims
from core.ops.dynamodb.table import body_of, iso, str_attr
from core.ops.models import Claim, Event
from core.ops.offers import (
    Offer,
    not_open,
    offer_closed,
    offer_exists,
    offer_from_dict,
    offer_to_dict,
)
from core.ops.store import already_claimed

FAILED = "ConditionalCheckFailed"


def _offer_key(offer_id: str) -> dict[str, Any]:
    return {"PK": str_attr(f"OFFER#{offer_id}"), "SK": str_attr("OFFER")}


def _lock_key(offer: Offer) -> dict[str, Any]:
    sk = f"OFFER#{offer.role}#{offer.slot_no:03d}#{offer.offered_by}"
    return {"PK": str_attr(f"EVENT#{offer.event_id}"), "SK": str_attr(sk)}


def _slot_key(offer: Offer) -> dict[str, Any]:
    sk = f"SLOT#{offer.role}#{offer.slot_no:03d}"
    return {"PK": str_attr(f"EVENT#{offer.event_id}"), "SK": str_attr(sk)}


def _close(offer: Offer) -> dict[str, Any]:
    """The offer item's update to a closed status, only while it is still open; closed
    offers leave GSI1 (a sparse index of the open ones)."""
    return {
        "Update": {
            "Key": _offer_key(offer.id),
            "UpdateExpression": "SET #st = :s, body = :b REMOVE GSI1PK, GSI1SK",
            "ConditionExpression": "#st = :open",
            "ExpressionAttributeNames": {"#st": "status"},
            "ExpressionAttributeValues": {
                ":s": str_attr(offer.status),
                ":b": str_attr(json.dumps(offer_to_dict(offer))),
                ":open": str_attr("open"),
            },
        }
    }


class DynamoOffers(DynamoClaims):
    """Offers: put, read, list, take (the slot moves) and cancel."""

    def put_offer(self, offer: Offer) -> Offer:
        body = str_attr(json.dumps(offer_to_dict(offer)))
        failed = self._transact(
            [
                {
                    "Put": {
                        "Item": {
                            **_offer_key(offer.id),
                            "GSI1PK": str_attr("OFFERS"),
                            "GSI1SK": str_attr(f"{iso(offer.closes_at)}#{offer.id}"),
                            "status": str_attr("open"),
                            "body": body,
                        },
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "Item": {**_lock_key(offer), "offer_id": str_attr(offer.id), "body": body},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "ConditionCheck": {
                        "Key": _slot_key(offer),
                        "ConditionExpression": "user_id = :u",
                        "ExpressionAttributeValues": {":u": str_attr(offer.offered_by)},
                    }
                },
            ]
        )
        if failed is None:
            return offer
        if failed[1] == FAILED:
            raise offer_exists(offer.event_id)
        if failed[2] == FAILED:
            raise offer_closed(offer.id)
        raise Conflict("the slot is changing; try again", code="busy")

    def get_offer(self, offer_id: str) -> Offer:
        item = self._get(f"OFFER#{offer_id}", "OFFER")
        if item is None:
            raise NotFound(f"no offer {offer_id}")
        return offer_from_dict(body_of(item))

    def event_offers(self, event_id: str) -> list[Offer]:
        found = [offer_from_dict(body_of(i)) for i in self._query(f"EVENT#{event_id}", "OFFER#")]
        return sorted(found, key=lambda o: (o.created_at, o.id))

    def open_offers(self, now: datetime) -> list[Offer]:
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p AND GSI1SK > :now",
            ExpressionAttributeValues={":p": str_attr("OFFERS"), ":now": str_attr(iso(now))},
        )
        offers = [offer_from_dict(body_of(i)) for i in items]
        return [o for o in offers if o.status == "open"]  # the index lags the table a little

    def take_offer(self, offer: Offer, event: Event, taker_id: str, at: datetime) -> Claim:
        pk = f"EVENT#{event.id}"
        claim = Claim(
            event.id, offer.role, offer.slot_no, taker_id, at, event.starts_at, event.ends_at
        )
        current = offer  # as the rules just read it; read again only to retry
        for attempt in range(MAX_ATTEMPTS):
            current = self.get_offer(offer.id) if attempt else current
            if current.status != "open":
                raise not_open(current)
            if self._get(pk, f"MEMBER#{taker_id}"):
                raise already_claimed(event.id)
            taker_version, taker_held = self._free_schedule(taker_id, event)
            giver_version, giver_held = self._schedule(offer.offered_by)
            taken = replace(current, status="taken", taken_by=taker_id, ended_at=at)
            failed = self._transact(
                [
                    _close(taken),
                    {"Delete": {"Key": _lock_key(offer)}},
                    {
                        "Update": {
                            "Key": _slot_key(offer),
                            "UpdateExpression": "SET user_id = :t, claimed_at = :at",
                            "ConditionExpression": "user_id = :o",
                            "ExpressionAttributeValues": {
                                ":t": str_attr(taker_id),
                                ":at": str_attr(iso(at)),
                                ":o": str_attr(offer.offered_by),
                            },
                        }
                    },
                    {
                        "Delete": {
                            "Key": {
                                "PK": str_attr(pk),
                                "SK": str_attr(f"MEMBER#{offer.offered_by}"),
                            },
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    {
                        "Put": {
                            "Item": {
                                "PK": str_attr(pk),
                                "SK": str_attr(f"MEMBER#{taker_id}"),
                                **self._claim_attrs(claim),
                            },
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    self._schedule_put(
                        offer.offered_by, giver_version, [e for e in giver_held if e != event.id]
                    ),
                    self._schedule_put(taker_id, taker_version, [*taker_held, event.id]),
                ]
            )
            if failed is None:
                return claim
            if failed[0] != FAILED and FAILED in (failed[2], failed[3]):
                # the offerer no longer holds the slot, unless a racing taker moved it first
                latest = self.get_offer(offer.id)
                raise offer_closed(offer.id) if latest.status == "open" else not_open(latest)
            if failed[4] == FAILED:
                raise already_claimed(event.id)
            time.sleep(0.005)  # the offer, a slot or a schedule moved: read again
        raise Conflict("too many people are taking this at once; try again", code="busy")

    def cancel_offer(self, offer_id: str, at: datetime) -> Offer:
        for _ in range(MAX_ATTEMPTS):
            current = self.get_offer(offer_id)
            if current.status != "open":
                raise not_open(current)
            cancelled = replace(current, status="cancelled", ended_at=at)
            if self._transact([_close(cancelled), {"Delete": {"Key": _lock_key(current)}}]) is None:
                return cancelled
            time.sleep(0.005)
        raise Conflict("the offer is changing; try again", code="busy")
