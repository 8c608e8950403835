"""The windows of the delivery jobs a report needs, read in SQL instead of every job.

Per-day totals of delivered jobs (SQL aggregates), the jobs of one window as plain rows
(attribute access like ``DeliveryJob``), and the pipeline by stage on given days; the results
equal those of ``core.metrics.delivery`` over every job of the scope.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, case, func, or_, select, union_all

from core.ledger.models_day_totals import DeliveredDayTotal
from core.ledger.models_records import DELIVERY_STAGES, DeliveryJob
from core.ledger.store import LedgerStore
from core.metrics.delivery import STAGE_DATES
from core.records.running import RunningTotals
from core.records.store import records

_JOB = DeliveryJob.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Delivered:
    """Totals of the jobs delivered in a window (cents, miles, days)."""

    count: int = 0
    nautical_miles: int = 0
    days: int = 0  # actual days, a missing one counting 0
    crew_cost: int = 0
    quoted_cost: int = 0
    actual_cost: int = 0  # crew + fuel + travel
    price: int = 0  # the invoice once issued, else the quote
    on_time: int = 0


@cache
def _delivered_days() -> Any:
    t = DeliveredDayTotal
    totals = (
        t.jobs,
        t.nautical_miles,
        t.days,
        t.crew_cost_cents,
        t.quoted_cost_cents,
        t.actual_cost_cents,
        t.price_cents,
        t.on_time,
    )
    day = t.day.type
    return (  # the per-day rollup the triggers keep: a row an entity and day, not a job
        select(t.day, *(func.sum(c) for c in totals))
        .where(
            t.entity_id.in_(bindparam("ids", expanding=True)),
            t.day.between(bindparam("first", type_=day), bindparam("last", type_=day)),
        )
        .group_by(t.day)
        .order_by(t.day)
    )


class DeliveredByDay:
    """The delivered totals of each day of a span, summed over any window inside it."""

    def __init__(self, store: LedgerStore, ids: Sequence[str], first: date, last: date) -> None:
        params = {"ids": list(ids), "first": first, "last": last}
        with store.engine.connect() as conn:
            rows = conn.execute(_delivered_days(), params).all() if ids else []
        # a day's sums are never null (it has a job); int() for PostgreSQL's numeric sums
        self._running = RunningTotals(
            [(r[0], tuple(map(int, r[1:]))) for r in rows], len(fields(Delivered))
        )

    def between(self, first: date, last: date) -> Delivered:
        """Totals of the jobs delivered in [first, last]."""
        return Delivered(*self._running.between(first, last))


# what the pipeline table, its findings and a job's stage read of the listed jobs (hundreds
# of rows at scale): reading every column cost about half again as much
PIPELINE_COLUMNS = (
    "id", "entity_id", "vessel", "origin", "destination", "nautical_miles", "planned_start",
    "quote_cents", "invoice_cents", "due_on", *(attr for _, attr in STAGE_DATES),
)  # fmt: skip


_IDS = bindparam("ids", expanding=True)
_DAY = DeliveryJob.__table__.c.planned_start.type  # type: ignore[attr-defined]


def _job_rows(store: LedgerStore, q: Any, params: dict[str, Any]) -> list[Any]:
    """The jobs ``q`` reads (its parameters ``params``, ids among them) as rows, by planned
    start then id (as Python sorts)."""
    if not params["ids"]:
        return []
    with store.engine.connect() as conn:
        rows = records(conn, q, params)
    return sorted(rows, key=lambda j: (j.planned_start, j.id))


def _delivered_between() -> tuple[Any, ...]:
    """The jobs of the entities delivered in [first, last] (parameters ids, first, last)."""
    first, last = bindparam("first", type_=_DAY), bindparam("last", type_=_DAY)
    return (_JOB.entity_id.in_(_IDS), _JOB.delivered_on.between(first, last))


@cache
def _delivered_query() -> Any:
    return select(DeliveryJob.__table__).where(*_delivered_between())  # type: ignore[attr-defined]


def delivered_jobs(store: LedgerStore, ids: Sequence[str], first: date, last: date) -> list[Any]:
    """The jobs delivered in [first, last], by planned start."""
    return _job_rows(store, _delivered_query(), {"ids": list(ids), "first": first, "last": last})


def _late() -> Any:
    return or_(_JOB.actual_days.is_(None), _JOB.actual_days > _JOB.planned_days)


@cache
def _delay_queries() -> tuple[Any, Any]:
    """Late jobs delivered in [first, last] by reason; and those jobs themselves."""
    reason = case(
        (or_(_JOB.delay_reason.is_(None), _JOB.delay_reason == ""), "unrecorded"),
        else_=_JOB.delay_reason,
    )
    where = (*_delivered_between(), _late())
    grouped = select(reason, func.count(), func.min(_JOB.planned_start)).where(*where)
    return grouped.group_by(reason), select(DeliveryJob.__table__).where(*where)  # type: ignore[attr-defined]


def delay_reasons(
    store: LedgerStore, ids: Sequence[str], first: date, last: date
) -> dict[str, int]:
    """``metrics.delivery.delay_reasons`` of the jobs delivered in [first, last]: late jobs by
    reason, most frequent first, ties in the order of each reason's first job."""
    if not ids:
        return {}
    grouped, late_jobs = _delay_queries()
    params = {"ids": list(ids), "first": first, "last": last}
    with store.engine.connect() as conn:
        rows = [(r[0], int(r[1]), r[2]) for r in conn.execute(grouped, params)]
    firsts = [(n, start) for _, n, start in rows]
    if len(set(firsts)) < len(firsts):  # a tie the first start cannot break: the jobs' ids do
        jobs = _job_rows(store, late_jobs, params)
        return dict(Counter(j.delay_reason or "unrecorded" for j in jobs).most_common())
    return {r: n for r, n, _ in sorted(rows, key=lambda r: (-r[1], r[2]))}


@cache
def _pipeline_job_queries() -> tuple[Any, Any]:
    """The listed pipeline jobs (``PIPELINE_COLUMNS``) with a stage on a day: unpaid, and paid
    after a cutoff (parameters ids, day, cutoff): two reads of the paid_on index."""
    day = bindparam("day", type_=_DAY)
    started = or_(*(_JOB[attr] <= day for _, attr in STAGE_DATES))
    q = select(*(_JOB[c] for c in PIPELINE_COLUMNS)).where(_JOB.entity_id.in_(_IDS), started)
    return (
        q.where(_JOB.paid_on.is_(None)),
        q.where(_JOB.paid_on > bindparam("cutoff", type_=_DAY)),
    )


def pipeline_jobs(store: LedgerStore, ids: Sequence[str], day: date) -> list[Any]:
    """Jobs with a stage on ``day`` except those paid more than 30 days before it (the fields
    of ``PIPELINE_COLUMNS``)."""
    params = {"ids": list(ids), "day": day, "cutoff": day - timedelta(days=31)}
    unpaid, recent = (_job_rows(store, q, params) for q in _pipeline_job_queries())
    return sorted(unpaid + recent, key=lambda j: (j.planned_start, j.id))


@cache
def _pipeline_queries(days: int) -> tuple[Any, Any]:
    """The statements of ``pipelines_on`` for ``days`` days (parameters ids, day0, ...), built
    once: building them and their cache keys cost more than the database's answer."""
    where = _JOB.entity_id.in_(bindparam("ids", expanding=True))
    on = [bindparam(f"day{k}", type_=_JOB.paid_on.type) for k in range(days)]
    stages = [case(*((_JOB[attr] <= day, name) for name, attr in STAGE_DATES)) for day in on]
    settled = select(func.count(), func.sum(_JOB.quote_cents)).where(where, _JOB.paid_on <= on[0])
    # unpaid, and paid after the first day: two ranges of the paid_on index (one condition
    # with OR read every job of the entities instead)
    names = [f"stage_{k}" for k in range(days)]
    jobs = union_all(
        *(
            select(
                *(s.label(n) for s, n in zip(stages, names, strict=True)), _JOB.quote_cents
            ).where(where, unpaid)
            for unpaid in (_JOB.paid_on.is_(None), _JOB.paid_on > on[0])
        )
    ).subquery()
    by_stage = [jobs.c[n] for n in names]
    rest = select(*by_stage, func.count(), func.sum(jobs.c.quote_cents)).group_by(*by_stage)
    return settled, rest


def pipelines_on(
    store: LedgerStore, ids: Sequence[str], days: Sequence[date]
) -> dict[date, dict[str, tuple[int, int]]]:
    """``metrics.delivery.pipeline`` on each of ``days``: (count, quoted cents) per stage,
    every stage present. A job's stage on a day is the first of ``STAGE_DATES`` (latest stage
    first) dated by then, as ``stage_from`` reads it. Jobs paid by the first day are "paid" on
    all of them and counted from an index alone; the others are grouped by their stage on each
    day in one pass."""
    days = sorted(set(days))
    out = {d: {s: (0, 0) for s in DELIVERY_STAGES} for d in days}
    if not ids or not days:
        return out
    settled, rest = _pipeline_queries(len(days))
    params = {"ids": list(ids), **{f"day{k}": day for k, day in enumerate(days)}}
    with store.engine.connect() as conn:
        n, cents = conn.execute(settled, params).one()
        groups = [
            (tuple(r[: len(days)]), int(r[-2]), int(r[-1] or 0)) for r in conn.execute(rest, params)
        ]
    for day in days:
        out[day]["paid"] = (int(n), int(cents or 0))
    for names, n, cents in groups:
        for day, name in zip(days, names, strict=True):
            if name is not None:
                count, value = out[day][name]
                out[day][name] = (count + n, value + cents)
    return out
