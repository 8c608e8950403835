"""DynamoDB single-table ops store (CONTRACT section 7). The only ops package importing boto3.

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
    USER#<id>          FEED                    the user's calendar feed key (nonce, token hash)
    FEED#<sha256>      FEED                    the feed token's hash -> user id
    EVENT#<id>         SEQUENCE                how often the trip's calendar entry changed
    USER#<id>          AVAILABILITY            the user's unavailable windows
    OFFER#<id>         OFFER                   a slot offer; GSI1 OFFERS/<closes>#<id> while open
    EVENT#<id>         OFFER#<role>#<n>#<user> an open offer of slot n by its holder (lock)
    EVENT#<id>         FLOAT                   float plan; GSI1 FLOATS#OPEN/<eta>#<id> while open
    ENTITY#<id>        SHORE                   the entity's shore contact
    FORECAST#<grid>    FORECAST                a cached marine forecast for a lat,lon (TTL)
    VESSEL#<entity>#<vessel> WEATHER           a vessel's weather limits and port; GSI1
                                               VESSELWEATHER / <entity>#<vessel>

Claims are one ``TransactWriteItems``: the slot and member items are put only if absent, and
the user's SCHEDULE only if its version is unchanged since the overlap check read it, so two
racing claims cannot both win. Items whose ``expires_at`` has passed are ignored on read
(TTL deletion lags by days).

One module per concern: ``table`` (the client, creation, shared reads), ``users``,
``events``, ``claims``, ``checklists``, ``guests`` (the charter records), ``login_codes``,
``once_marks`` and ``inbound``; ``DynamoOpsStore`` is all of them over one table.
"""

from __future__ import annotations

from core.ops.dynamodb.calendar import DynamoCalendar
from core.ops.dynamodb.checklists import DynamoChecklists
from core.ops.dynamodb.claims import DynamoClaims
from core.ops.dynamodb.events import DynamoEvents
from core.ops.dynamodb.float_plans import DynamoFloatPlans
from core.ops.dynamodb.guests import DynamoGuests
from core.ops.dynamodb.inbound import DynamoInboundEvents
from core.ops.dynamodb.login_codes import DynamoLoginCodes
from core.ops.dynamodb.offers import DynamoOffers
from core.ops.dynamodb.once_marks import DynamoOnceMarks
from core.ops.dynamodb.users import DynamoUsers
from core.ops.dynamodb.weather import DynamoWeather
from core.ops.store import OpsStore


class DynamoOpsStore(
    DynamoOffers,  # first: it builds on DynamoClaims
    DynamoUsers,
    DynamoEvents,
    DynamoClaims,
    DynamoChecklists,
    DynamoGuests,
    DynamoLoginCodes,
    DynamoOnceMarks,
    DynamoInboundEvents,
    DynamoCalendar,
    DynamoFloatPlans,
    DynamoWeather,
    OpsStore,
):
    """Ops records in one DynamoDB table; pass a client to point at DynamoDB Local."""

    backend = "dynamodb"
