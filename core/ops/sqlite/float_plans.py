"""Float plans and shore contacts in SQLite: one plan row per event (open ones indexed by
ETA), one contact row per entity."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime

from core.ops.float_plan import (
    FloatPlan,
    ShoreContact,
    already_departed,
    already_returned,
    contact_from_json,
    contact_to_json,
    not_departed,
    plan_from_json,
    plan_to_json,
)
from core.ops.sqlite.database import SqliteDatabase, iso


class SqliteFloatPlans(SqliteDatabase):
    """Float plans: depart once, return once, the open ones by ETA; shore contacts."""

    def depart(self, plan: FloatPlan) -> FloatPlan:
        with self._db(write=True) as conn:
            try:
                conn.execute(
                    "INSERT INTO float_plans (event_id, eta, returned_at, body) "
                    "VALUES (?, ?, NULL, ?)",
                    (plan.event_id, iso(plan.eta), json.dumps(plan_to_json(plan))),
                )
            except sqlite3.IntegrityError as exc:
                raise already_departed(plan.event_id) from exc
        return plan

    def _plan(self, conn: sqlite3.Connection, event_id: str) -> FloatPlan | None:
        row = conn.execute(
            "SELECT body FROM float_plans WHERE event_id = ?", (event_id,)
        ).fetchone()
        return plan_from_json(json.loads(row[0])) if row else None

    def mark_returned(self, event_id: str, by: str, at: datetime) -> FloatPlan:
        with self._db(write=True) as conn:  # one writer: the read and the update are one step
            plan = self._plan(conn, event_id)
            if plan is None:
                raise not_departed(event_id)
            if not plan.open:
                raise already_returned(event_id)
            back = replace(plan, returned_at=at, returned_by=by)
            conn.execute(
                "UPDATE float_plans SET returned_at = ?, body = ? WHERE event_id = ?",
                (iso(at), json.dumps(plan_to_json(back)), event_id),
            )
        return back

    def float_plan(self, event_id: str) -> FloatPlan | None:
        with self._db() as conn:
            return self._plan(conn, event_id)

    def open_float_plans(self, eta_from: datetime, eta_to: datetime) -> list[FloatPlan]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT body FROM float_plans WHERE returned_at IS NULL "
                "AND eta >= ? AND eta < ? ORDER BY eta",
                (iso(eta_from), iso(eta_to)),
            ).fetchall()
        return [plan_from_json(json.loads(r[0])) for r in rows]

    def set_shore_contact(self, contact: ShoreContact) -> ShoreContact:
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT INTO shore_contacts (entity, body) VALUES (?, ?) "
                "ON CONFLICT (entity) DO UPDATE SET body = excluded.body",
                (contact.entity, json.dumps(contact_to_json(contact))),
            )
        return contact

    def shore_contact(self, entity: str) -> ShoreContact | None:
        with self._db() as conn:
            row = conn.execute(
                "SELECT body FROM shore_contacts WHERE entity = ?", (entity,)
            ).fetchone()
        return contact_from_json(json.loads(row[0])) if row else None
