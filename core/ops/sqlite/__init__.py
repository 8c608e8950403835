"""Embedded SQLite ops store (the default). Standard-library sqlite3 only.

Each write runs in ``BEGIN IMMEDIATE`` (one writer at a time) and the schema's UNIQUE
constraints back the rules, so a race can never produce two holders of one slot.

One module per concern, as the DynamoDB store: ``database`` (schema, connections), ``users``,
``events``, ``claims``, ``checklists``, ``guests`` (the charter records), ``login_codes``,
``once_marks`` and ``inbound``; ``SqliteOpsStore`` is all of them over one file.
"""

from __future__ import annotations

from core.ops.sqlite.calendar import SqliteCalendar
from core.ops.sqlite.checklists import SqliteChecklists
from core.ops.sqlite.claims import SqliteClaims
from core.ops.sqlite.events import SqliteEvents
from core.ops.sqlite.float_plans import SqliteFloatPlans
from core.ops.sqlite.guests import SqliteGuests
from core.ops.sqlite.inbound import SqliteInboundEvents
from core.ops.sqlite.login_codes import SqliteLoginCodes
from core.ops.sqlite.offers import SqliteOffers
from core.ops.sqlite.once_marks import SqliteOnceMarks
from core.ops.sqlite.users import SqliteUsers
from core.ops.sqlite.weather import SqliteWeather
from core.ops.store import OpsStore


class SqliteOpsStore(
    SqliteUsers,
    SqliteEvents,
    SqliteClaims,
    SqliteChecklists,
    SqliteGuests,
    SqliteLoginCodes,
    SqliteOnceMarks,
    SqliteInboundEvents,
    SqliteCalendar,
    SqliteOffers,
    SqliteFloatPlans,
    SqliteWeather,
    OpsStore,
):
    """Ops records in one SQLite file."""

    backend = "sqlite"
