"""The windows of the delivery jobs a report needs, read in SQL instead of every job.

Per-day totals of delivered jobs (SQL aggregates), the jobs of one window as plain rows
(attribute access like ``DeliveryJob``), and the pipeline by stage on given days; the results
equal those of ``core.metrics.delivery`` over every job of the scope.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from core.ledger.models_audits import DELIVERY_STAGES, DeliveryJob
from core.ledger.store import LedgerStore
from core.metrics.delivery import STAGE_DATES

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


class DeliveredByDay:
    """The delivered totals of each day of a span, summed over any window inside it."""

    def __init__(self, store: LedgerStore, ids: Sequence[str], first: date, last: date) -> None:
        price = case((_JOB.invoice_cents != 0, _JOB.invoice_cents), else_=_JOB.quote_cents)
        on_time = case(
            (and_(_JOB.actual_days.is_not(None), _JOB.actual_days <= _JOB.planned_days), 1),
            else_=0,
        )
        q = (
            select(
                _JOB.delivered_on,
                func.count(),
                func.sum(_JOB.nautical_miles),
                func.sum(func.coalesce(_JOB.actual_days, 0)),
                func.sum(_JOB.crew_cost_cents),
                func.sum(_JOB.quoted_cost_cents),
                func.sum(_JOB.crew_cost_cents + _JOB.fuel_cost_cents + _JOB.travel_cost_cents),
                func.sum(price),
                func.sum(on_time),
            )
            .where(_JOB.entity_id.in_(list(ids)), _JOB.delivered_on.between(first, last))
            .group_by(_JOB.delivered_on)
        )
        with store.engine.connect() as conn:
            rows = sorted(conn.execute(q)) if ids else []
        self._days = [r[0] for r in rows]
        # running totals: a window is the difference of two of them
        self._upto = [(0,) * len(fields(Delivered))]
        for r in rows:
            before = self._upto[-1]
            self._upto.append(tuple(a + int(b or 0) for a, b in zip(before, r[1:], strict=True)))

    def between(self, first: date, last: date) -> Delivered:
        """Totals of the jobs delivered in [first, last]."""
        lo = self._upto[bisect_left(self._days, first)]
        hi = self._upto[bisect_right(self._days, last)]
        return Delivered(*(b - a for a, b in zip(lo, hi, strict=True)))


def _job_rows(store: LedgerStore, ids: Sequence[str], *where: Any) -> list[Any]:
    """Jobs of ``ids`` matching ``where`` as rows, by planned start then id (as Python sorts)."""
    if not ids:
        return []
    q = select(DeliveryJob.__table__).where(_JOB.entity_id.in_(list(ids)), *where)  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        rows = list(conn.execute(q))
    return sorted(rows, key=lambda j: (j.planned_start, j.id))


def delivered_jobs(store: LedgerStore, ids: Sequence[str], first: date, last: date) -> list[Any]:
    """The jobs delivered in [first, last], by planned start."""
    return _job_rows(store, ids, _JOB.delivered_on.between(first, last))


def late_jobs(store: LedgerStore, ids: Sequence[str], first: date, last: date) -> list[Any]:
    """The jobs delivered in [first, last] later than planned, by planned start."""
    late = or_(_JOB.actual_days.is_(None), _JOB.actual_days > _JOB.planned_days)
    return _job_rows(store, ids, _JOB.delivered_on.between(first, last), late)


def pipeline_jobs(store: LedgerStore, ids: Sequence[str], day: date) -> list[Any]:
    """Jobs with a stage on ``day`` except those paid more than 30 days before it."""
    started = or_(*(_JOB[attr] <= day for _, attr in STAGE_DATES))
    recent = or_(_JOB.paid_on.is_(None), _JOB.paid_on > day - timedelta(days=31))
    return _job_rows(store, ids, started, recent)


def pipelines(
    store: LedgerStore, ids: Sequence[str], days: Sequence[date]
) -> dict[date, dict[str, tuple[int, int]]]:
    """(count, quoted cents) per stage on each of ``days``, as ``metrics.delivery.pipeline``.

    A job's stage on a day is the first of ``STAGE_DATES`` (latest stage first) dated by then,
    so "stage i or a later one" holds from the earliest of the first i+1 dates on: counting jobs
    by those running minimums gives each stage as a difference. Jobs paid by the first day are
    "paid" on every day and are only counted in SQL."""
    empty = {s: (0, 0) for s in DELIVERY_STAGES}
    if not ids or not days:
        return {d: dict(empty) for d in days}
    low, high = min(days), max(days)
    where = _JOB.entity_id.in_(list(ids))
    settled = select(func.count(), func.coalesce(func.sum(_JOB.quote_cents), 0)).where(
        where, _JOB.paid_on <= low
    )
    cols = [_JOB[attr] for _, attr in STAGE_DATES]
    live = select(_JOB.quote_cents, *cols).where(
        where,
        or_(_JOB.paid_on.is_(None), _JOB.paid_on > low),
        or_(*(c <= high for c in cols)),
    )
    with store.engine.connect() as conn:
        paid_n, paid_v = conn.execute(settled).one()
        rows = list(conn.execute(live))
    # per stage index: the sorted running-minimum dates and the prefix sums of the quotes
    reach: list[list[tuple[date, int]]] = [[] for _ in STAGE_DATES]
    stages = range(len(STAGE_DATES))
    for row in rows:
        quote, first = row[0], None
        for i in stages:
            when = row[i + 1]
            if when is not None and (first is None or when < first):
                first = when
            if first is not None:
                reach[i].append((first, quote))
    cum = []
    for pairs in reach:
        pairs.sort(key=lambda p: p[0])
        sums = [0]
        for _, quote in pairs:
            sums.append(sums[-1] + quote)
        cum.append(([p[0] for p in pairs], sums))

    def upto(i: int, day: date) -> tuple[int, int]:
        """Jobs at stage index i or a later stage on ``day`` (count, quotes), paid ones too."""
        starts, sums = cum[i]
        k = bisect_right(starts, day)
        return int(paid_n) + k, int(paid_v) + sums[k]

    out: dict[date, dict[str, tuple[int, int]]] = {}
    for day in days:
        stages: dict[str, tuple[int, int]] = {}
        before = (0, 0)
        for i, (stage, _) in enumerate(STAGE_DATES):
            now = upto(i, day)
            stages[stage] = (now[0] - before[0], now[1] - before[1])
            before = now
        out[day] = {s: stages[s] for s in DELIVERY_STAGES}
    return out
