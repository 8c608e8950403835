"""Move a delivery job on to a later stage, posting what the stages it passes post.

The job is rebuilt with the delivery form's own checks and posting code, so a job moved on
posts exactly the entries (same fingerprints) it would have posted had it been added at that
stage; only the entries of the stages it newly passes are written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select, update

from core.auth.dashboard_users import UserScope
from core.errors import Conflict, Invalid
from core.ledger.models_records import DELIVERY_STAGES, DeliveryJob
from core.ledger.period_locks import locked_months_problem
from core.ledger.revision import bump_revision
from core.ledger.store import LedgerStore, NewEntry
from core.periods import month_of
from core.records.delivery_forms import JOBS, STAGE_DAYS
from core.records.form_fields import FormField, parse_value
from core.records.forms import Batch, Built, Draft, authorize_records, qualified

# what each stage asks for when a job reaches it (besides the job and the stage)
STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "lead": ("lead_on",),
    "quoted": ("quoted_on", "quote", "quoted_cost"),
    "booked": ("booked_on",),
    "underway": ("started_on",),
    "delivered": (
        "delivered_on", "actual_days", "delay_reason", "crew_cost", "fuel_cost", "travel_cost",
    ),
    "invoiced": ("invoiced_on", "invoice", "due_on"),
    "paid": ("paid_on",),
}  # fmt: skip
_SPECS = {f.name: f for f in JOBS.fields}
_MONEY = {f.name for f in JOBS.fields if f.kind == "money"}


def stage_fields(stage: str) -> tuple[FormField, ...]:
    """The form fields a job moving to ``stage`` may be given (from the stage after ``lead``)."""
    reached = DELIVERY_STAGES.index(stage)
    return tuple(_SPECS[n] for s in DELIVERY_STAGES[1 : reached + 1] for n in STAGE_FIELDS[s])


def _job_row(conn: Connection, entity_id: str, job: Any, problems: dict[str, str]) -> Any:
    """The job's row in this entity, or None with the problem noted under ``job``."""
    if job is None or not str(job).strip():
        problems["job"] = "is required"
        return None
    row = conn.execute(
        select(DeliveryJob.__table__).where(  # type: ignore[attr-defined]
            DeliveryJob.id == qualified(entity_id, str(job)),
            DeliveryJob.entity_id == entity_id,
        )
    ).first()
    if row is None:
        problems["job"] = f"no {str(job)!r} in this business"
    return row


def _stage(fields: Mapping[str, Any], problems: dict[str, str]) -> str | None:
    """The new stage, parsed as the add form parses it, or None with the problem noted."""
    raw = fields.get("stage")
    if raw is None or not str(raw).strip():
        problems["stage"] = "is required"
        return None
    try:
        return str(parse_value(_SPECS["stage"], raw))
    except ValueError as exc:
        problems["stage"] = str(exc)
        return None


def _values(row: Any) -> dict[str, Any]:
    """The job's stored columns as the form's parsed values (money in cents)."""
    m = row._mapping
    return {n: m[f"{n}_cents"] if n in _MONEY else m[n] for n in _SPECS}


def _merge(
    row: Any, stage: str, fields: Mapping[str, Any], problems: dict[str, str]
) -> dict[str, Any]:
    """The job's values with the new stage and what the stages it passes ask for."""
    values = _values(row)
    old = DELIVERY_STAGES.index(row.stage)
    if DELIVERY_STAGES.index(stage) <= old:
        problems["stage"] = f"must be after {row.stage} (where the job stands)"
        return values
    values["stage"] = stage
    passed = DELIVERY_STAGES[old + 1 : DELIVERY_STAGES.index(stage) + 1]
    asked = {n for s in passed for n in STAGE_FIELDS[s]}
    for name, raw in fields.items():
        if name in ("job", "stage") or raw is None or not str(raw).strip():
            continue
        if name not in _SPECS:
            problems[name] = "is not a field of this record"
        elif name not in asked:
            problems[name] = f"cannot be changed when moving the job to {stage}"
        else:
            try:
                values[name] = parse_value(_SPECS[name], raw)
            except ValueError as exc:
                problems[name] = str(exc)
    return values


def _new_entries(
    conn: Connection, entity_id: str, row: Any, built: Built, problems: dict[str, str]
) -> list[NewEntry]:
    """The entries of the stages the job newly passes; a locked month noted on its day."""
    old = DELIVERY_STAGES.index(row.stage)
    done = {STAGE_DAYS[s] for s in DELIVERY_STAGES[: old + 1]}
    entries = [(when, e) for when, e in built.entries if when not in done]
    for when, entry in entries:
        if problem := locked_months_problem(conn, entity_id, {month_of(entry.date)}):
            problems.setdefault(when, problem)
    return [e for _, e in entries]


def advance_delivery_job(
    store: LedgerStore, actor: UserScope, entity_id: str, fields: Mapping[str, Any]
) -> str:
    """Move job ``fields['job']`` on to ``fields['stage']``, posting what it passes; its id.

    ``fields`` also holds the days and amounts the stages passed ask for. Only forward, days
    in order; Invalid with ``fields`` (field name -> reason) when wrong; nothing is written.
    """
    authorize_records(store, actor, entity_id)
    problems: dict[str, str] = {}
    with store.engine.connect() as conn:
        row = _job_row(conn, entity_id, fields.get("job"), problems)
        stage = _stage(fields, problems)
        built, entries = None, []
        if row is not None and stage is not None:
            values = _merge(row, stage, fields, problems)
            if not problems:
                built = JOBS.build(Draft(conn, entity_id, row.id, values, problems, Batch()))
            if built is not None:
                entries = _new_entries(conn, entity_id, row, built, problems)
    if built is None or problems:
        raise Invalid("job not moved on", fields=problems)

    def save(conn: Connection) -> None:
        # only from the stage read above: a job moved on meanwhile is not moved twice
        moved = conn.execute(
            update(DeliveryJob)
            .where(DeliveryJob.id == row.id, DeliveryJob.stage == row.stage)  # type: ignore[arg-type]
            .values(**built.row)
        )
        if moved.rowcount != 1:
            raise Conflict("the job was changed meanwhile; nothing was written")
        bump_revision(conn)

    store.post(entries, also=save)
    return str(row.id)
