"""Every charter-operations rule, once. The dashboard and the API are thin callers of this.

Actors are ``OpsUser`` values: records re-read by the caller for each request, or a
dashboard user's derived identity (``core.ops.actors``). Authorization is decided here, on
the server, never by the client: role, entity scope and, for guests, the manifest. An event
the actor may not see is reported as missing (NotFound), so its existence stays private.

The rules live in ``core.ops.rules``, one module per concern (users, events, claims,
checklists, guests, waivers; the field checks and limits in ``rules.fields``); ``OpsService``
is all of them over one store (``OfferRules`` first: it builds on events and claims).
"""

from __future__ import annotations

from core.ops.rules.availability import AvailabilityRules
from core.ops.rules.calendar import CalendarRules
from core.ops.rules.checklists import ChecklistRules
from core.ops.rules.claims import ClaimRules
from core.ops.rules.events import EventRules
from core.ops.rules.float_plans import FloatPlanRules
from core.ops.rules.guests import GuestRules
from core.ops.rules.offers import OfferRules
from core.ops.rules.users import UserRules
from core.ops.rules.waivers import WaiverRules
from core.ops.rules.weather import WeatherRules


class OpsService(
    OfferRules,
    UserRules,
    EventRules,
    ClaimRules,
    ChecklistRules,
    GuestRules,
    WaiverRules,
    CalendarRules,
    AvailabilityRules,
    FloatPlanRules,
    WeatherRules,
):
    """The operations rules over one store."""
