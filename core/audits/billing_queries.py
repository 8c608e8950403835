"""The windows of the client-billing records a report needs, read in SQL instead of every row.

Per-day time and invoice totals (SQL aggregates), open invoices on given days, unbilled project
time, and the invoices, engagements and clients of one window as plain rows (attribute access
like the models). Results equal those of ``core.metrics.billing`` over every record of the
scope, given that a time entry's ``invoice_id`` is null or names an invoice of the scope (as
every writer sets it).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from core.ledger.models_audits import (
    Client,
    Invoice,
    InvoicePayment,
    Project,
    Retainer,
    TimeEntry,
)
from core.ledger.store import LedgerStore
from core.metrics.billing import OpenInvoice, bucket_of

_TIME = TimeEntry.__table__.c  # type: ignore[attr-defined]
_INV = Invoice.__table__.c  # type: ignore[attr-defined]
_PAY = InvoicePayment.__table__.c  # type: ignore[attr-defined]
_PROJ = Project.__table__.c  # type: ignore[attr-defined]


def _worth() -> Any:
    """SQL for an entry's value in cents, ``minutes * rate // 60`` rounded down as Python does
    (SQL division truncates toward zero; the remainder is made non-negative first)."""
    product = _TIME.minutes * _TIME.rate_cents
    return (product - (product % 60 + 60) % 60) / 60


@dataclass(frozen=True)
class Worked:
    """Time entries of a window: how many, minutes, and their value at the entry rates."""

    count: int = 0
    minutes: int = 0
    value: int = 0


class _Running:
    """Running totals over sorted days: any window's totals as a difference of two."""

    def __init__(self, rows: Sequence[tuple[date, tuple[int, ...]]], width: int) -> None:
        self.days = [d for d, _ in rows]
        self.upto = [(0,) * width]
        for _, values in rows:
            before = self.upto[-1]
            self.upto.append(tuple(a + b for a, b in zip(before, values, strict=True)))

    def between(self, first: date, last: date) -> tuple[int, ...]:
        lo = self.upto[bisect_left(self.days, first)]
        hi = self.upto[bisect_right(self.days, last)]
        return tuple(b - a for a, b in zip(lo, hi, strict=True))


class TimeByDay:
    """Time entries per day and client over a span, summed over any window inside it."""

    def __init__(self, store: LedgerStore, ids: Sequence[str], first: date, last: date) -> None:
        q = (
            select(
                _TIME.day,
                _TIME.client_id,
                func.count(),
                func.sum(_TIME.minutes),
                func.sum(_worth()),
            )
            .where(_TIME.entity_id.in_(list(ids)), _TIME.day.between(first, last))
            .group_by(_TIME.day, _TIME.client_id)
        )
        with store.engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(q)] if ids else []
        per_day: dict[date, list[int]] = {}
        self._clients: dict[str, list[tuple[date, tuple[int, ...]]]] = {}
        for day, client, n, minutes, value in sorted(rows, key=lambda r: (r[0], r[1])):
            counts = (int(n), int(minutes or 0), int(value or 0))
            total = per_day.setdefault(day, [0, 0, 0])
            for i, v in enumerate(counts):
                total[i] += v
            self._clients.setdefault(client, []).append((day, counts))
        self._all = _Running([(d, tuple(v)) for d, v in per_day.items()], 3)
        self._by_client = {c: _Running(r, 3) for c, r in self._clients.items()}

    def between(self, first: date, last: date, client: str | None = None) -> Worked:
        """The entries dated in [first, last], of one client or all."""
        running = self._all if client is None else self._by_client.get(client)
        return Worked(*running.between(first, last)) if running else Worked()


class InvoicedByDay:
    """Invoiced cents per issue day, client and kind over a span, for any window inside it."""

    def __init__(self, store: LedgerStore, ids: Sequence[str], first: date, last: date) -> None:
        q = (
            select(_INV.issued_on, _INV.client_id, _INV.kind, func.sum(_INV.amount_cents))
            .where(_INV.entity_id.in_(list(ids)), _INV.issued_on.between(first, last))
            .group_by(_INV.issued_on, _INV.client_id, _INV.kind)
        )
        with store.engine.connect() as conn:
            rows = [(r[0], r[1], r[2], int(r[3] or 0)) for r in conn.execute(q)] if ids else []
        self._rows = sorted(rows, key=lambda r: (r[0], r[1], r[2]))
        self._days = [r[0] for r in self._rows]

    def by_client(self, first: date, last: date, kind: str | None = None) -> dict[str, int]:
        """Invoiced cents per client id in [first, last] (of one kind or all), largest first,
        as ``metrics.billing.revenue_by_client``."""
        out: dict[str, int] = {}
        lo, hi = bisect_left(self._days, first), bisect_right(self._days, last)
        for _, client, k, cents in self._rows[lo:hi]:
            if kind is None or k == kind:
                out[client] = out.get(client, 0) + cents
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def open_invoices_on(
    store: LedgerStore, ids: Sequence[str], days: Sequence[date]
) -> dict[date, list[OpenInvoice]]:
    """``metrics.billing.open_invoices`` on each of ``days``: one pass over the invoices and
    their payments, returning only the invoices open on one of the days."""
    days = sorted(set(days))
    if not ids or not days:
        return {d: [] for d in days}
    paid = [
        func.coalesce(func.sum(case((_PAY.paid_on <= d, _PAY.amount_cents), else_=0)), 0)
        for d in days
    ]
    q = (
        select(Invoice.__table__, *(p.label(f"paid_{k}") for k, p in enumerate(paid)))  # type: ignore[attr-defined]
        .select_from(
            Invoice.__table__.outerjoin(  # type: ignore[attr-defined]
                InvoicePayment.__table__,  # type: ignore[attr-defined]
                and_(_PAY.invoice_id == _INV.id, _PAY.entity_id.in_(list(ids))),
            )
        )
        .where(_INV.entity_id.in_(list(ids)), _INV.issued_on <= days[-1])
        .group_by(*Invoice.__table__.c)  # type: ignore[attr-defined]
        .having(
            or_(
                *(
                    and_(_INV.issued_on <= d, _INV.amount_cents != p)
                    for d, p in zip(days, paid, strict=True)
                )
            )
        )
    )
    with store.engine.connect() as conn:
        rows = list(conn.execute(q))
    out: dict[date, list[OpenInvoice]] = {}
    for k, day in enumerate(days):
        items = []
        for inv in rows:
            left = inv.amount_cents - int(getattr(inv, f"paid_{k}"))
            if inv.issued_on <= day and left:
                late = (day - inv.due_on).days
                items.append(OpenInvoice(inv, left, late, bucket_of(late)))
        out[day] = sorted(items, key=lambda o: (o.invoice.due_on, o.invoice.number))
    return out


def _unbilled_at(ids: Sequence[str], day: date) -> Any:
    """SQL for "billable time worked by ``day`` not on an invoice issued by then"."""
    later = select(_INV.id).where(_INV.entity_id.in_(list(ids)), _INV.issued_on > day)
    return and_(
        _TIME.entity_id.in_(list(ids)),
        _TIME.rate_cents != 0,
        _TIME.day <= day,
        or_(_TIME.invoice_id.is_(None), _TIME.invoice_id.in_(later)),
    )


def unbilled_on(store: LedgerStore, ids: Sequence[str], day: date) -> int:
    """``metrics.billing.unbilled`` on ``day`` (cents)."""
    if not ids:
        return 0
    q = select(func.coalesce(func.sum(_worth()), 0)).where(_unbilled_at(ids, day))
    with store.engine.connect() as conn:
        return int(conn.scalar(q) or 0)


def unbilled_by_project(store: LedgerStore, ids: Sequence[str], day: date) -> list[Any]:
    """Unbilled project time on ``day`` per project: its client, name, rate, minutes and value,
    most valuable first."""
    if not ids:
        return []
    q = (
        select(
            _TIME.project_id,
            _PROJ.client_id,
            _PROJ.name,
            _PROJ.rate_cents,
            func.sum(_TIME.minutes).label("minutes"),
            func.sum(_worth()).label("value"),
            func.min(_TIME.day).label("since"),
            func.min(_TIME.id).label("first_id"),
        )
        .join(Project.__table__, _PROJ.id == _TIME.project_id)  # type: ignore[attr-defined]
        .where(_unbilled_at(ids, day), _TIME.project_id.is_not(None))
        .group_by(_TIME.project_id, _PROJ.client_id, _PROJ.name, _PROJ.rate_cents)
    )
    with store.engine.connect() as conn:
        rows = list(conn.execute(q))
    # ties in value keep the order the entries were written in (by day, then id)
    return sorted(rows, key=lambda r: (-int(r.value), r.since, r.first_id))


def invoices_between(store: LedgerStore, ids: Sequence[str], first: date, last: date) -> list[Any]:
    """Invoices issued in [first, last] by issue date and number, with the last payment
    received by ``last`` (``paid_on``, null when none)."""
    if not ids:
        return []
    last_paid = (
        select(_PAY.invoice_id, func.max(_PAY.paid_on).label("paid_on"))
        .where(_PAY.entity_id.in_(list(ids)), _PAY.paid_on <= last)
        .group_by(_PAY.invoice_id)
        .subquery()
    )
    q = (
        select(Invoice.__table__, last_paid.c.paid_on)  # type: ignore[attr-defined]
        .select_from(
            Invoice.__table__.outerjoin(last_paid, last_paid.c.invoice_id == _INV.id)  # type: ignore[attr-defined]
        )
        .where(_INV.entity_id.in_(list(ids)), _INV.issued_on.between(first, last))
    )
    with store.engine.connect() as conn:
        rows = list(conn.execute(q))
    return sorted(rows, key=lambda i: (i.issued_on, i.number))


def projects_running(store: LedgerStore, ids: Sequence[str], day: date) -> list[Any]:
    """Hourly projects running on ``day``, latest start first."""
    if not ids:
        return []
    q = select(Project.__table__).where(  # type: ignore[attr-defined]
        _PROJ.entity_id.in_(list(ids)), _PROJ.start <= day, _PROJ.end >= day
    )
    with store.engine.connect() as conn:
        rows = list(conn.execute(q))
    return sorted(rows, key=lambda p: p.start, reverse=True)


def retainers_of(store: LedgerStore, ids: Sequence[str]) -> list[Any]:
    """Retainers of ``ids``."""
    if not ids:
        return []
    q = select(Retainer.__table__).where(Retainer.__table__.c.entity_id.in_(list(ids)))  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        return list(conn.execute(q))


def clients_of(store: LedgerStore, ids: Sequence[str]) -> list[Any]:
    """Clients of ``ids`` by name."""
    if not ids:
        return []
    q = select(Client.__table__).where(Client.__table__.c.entity_id.in_(list(ids)))  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        return sorted(conn.execute(q), key=lambda c: c.name)
