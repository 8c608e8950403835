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
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select

from core.ledger.models_day_totals import TimeDayTotal
from core.ledger.models_records import (
    Client,
    Invoice,
    InvoicePayment,
    InvoiceSettlement,
    Project,
    Retainer,
    TimeEntry,
)
from core.ledger.store import LedgerStore
from core.metrics.billing import OpenInvoice, bucket_of
from core.records.running import RunningTotals
from core.records.store import records

_TIME = TimeEntry.__table__.c  # type: ignore[attr-defined]
_INV = Invoice.__table__.c  # type: ignore[attr-defined]
_PAY = InvoicePayment.__table__.c  # type: ignore[attr-defined]
_PROJ = Project.__table__.c  # type: ignore[attr-defined]
_SETTLED = InvoiceSettlement.__table__.c  # type: ignore[attr-defined]


def _worth() -> Any:
    """SQL for an entry's value in cents, ``minutes * rate // 60`` rounded down as Python does
    (SQL division truncates toward zero; the remainder is made non-negative first)."""
    product = _TIME.minutes * _TIME.rate_cents
    return (product - (product % 60 + 60) % 60) // 60


@dataclass(frozen=True)
class Worked:
    """Time entries of a window: how many, minutes, and their value at the entry rates."""

    count: int = 0
    minutes: int = 0
    value: int = 0


class TimeByDay:
    """Time entries per day over a span, summed over any window inside it."""

    def __init__(self, store: LedgerStore, ids: Sequence[str], first: date, last: date) -> None:
        self._store, self._ids = store, list(ids)
        params = {"ids": self._ids, "first": first, "last": last}
        with store.engine.connect() as conn:
            rows = conn.execute(_time_days(), params).all() if ids else []
        # a day's sums are never null (it has an entry); int() for PostgreSQL's numeric sums
        days = [(day, (int(n), int(minutes), int(value))) for day, n, minutes, value in rows]
        self._running = RunningTotals(days, 3)

    def between(self, first: date, last: date) -> Worked:
        """The entries dated in [first, last]."""
        return Worked(*self._running.between(first, last))

    def by_client(self, first: date, last: date) -> dict[str, Worked]:
        """The entries dated in [first, last] per client id (clients with entries only)."""
        if not self._ids:
            return {}
        params = {"ids": self._ids, "first": first, "last": last}
        with self._store.engine.connect() as conn:
            rows = conn.execute(_time_by_client(), params)
            return {r[0]: Worked(*(int(v or 0) for v in r[1:])) for r in rows}


def _between(column: Any) -> Any:
    """``column`` in [first, last] (parameters first, last)."""
    return column.between(
        bindparam("first", type_=column.type), bindparam("last", type_=column.type)
    )


@cache
def _time_days() -> Any:
    t = TimeDayTotal
    return (  # the per-day rollup the triggers keep: a row an entity and day, not an entry
        select(t.day, func.sum(t.entries), func.sum(t.minutes), func.sum(t.value_cents))
        .where(t.entity_id.in_(bindparam("ids", expanding=True)), _between(t.day))
        .group_by(t.day)
        .order_by(t.day)
    )


@cache
def _time_by_client() -> Any:
    return (
        select(_TIME.client_id, *_worked())
        .where(_TIME.entity_id.in_(bindparam("ids", expanding=True)), _between(_TIME.day))
        .group_by(_TIME.client_id)
    )


@cache
def _invoiced_by_day() -> Any:
    return (
        select(_INV.issued_on, _INV.client_id, _INV.kind, func.sum(_INV.amount_cents))
        .where(_INV.entity_id.in_(bindparam("ids", expanding=True)), _between(_INV.issued_on))
        .group_by(_INV.issued_on, _INV.client_id, _INV.kind)
    )


def _worked() -> tuple[Any, ...]:
    """SQL aggregates of time entries: how many, minutes, value."""
    return (func.count(), func.sum(_TIME.minutes), func.sum(_worth()))


class InvoicedByDay:
    """Invoiced cents per issue day, client and kind over a span, for any window inside it."""

    def __init__(self, store: LedgerStore, ids: Sequence[str], first: date, last: date) -> None:
        params = {"ids": list(ids), "first": first, "last": last}
        with store.engine.connect() as conn:
            sums = conn.execute(_invoiced_by_day(), params) if ids else []
            rows = [(day, client, kind, int(cents or 0)) for day, client, kind, cents in sums]
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
    """``metrics.billing.open_invoices`` on each of ``days``: the payments of the invoices not
    settled by one of the days (``InvoiceSettlement``, from its index alone), summed in one
    pass, returning only the invoices open on one of the days."""
    days = sorted(set(days))
    if not ids or not days:
        return {d: [] for d in days}
    params = {"ids": list(ids), **{f"day{k}": day for k, day in enumerate(days)}}
    with store.engine.connect() as conn:
        paid_by = {
            r[0]: [int(v) for v in r[1:]] for r in conn.execute(_open_query(len(days)), params)
        }
        invoices = (
            records(conn, _invoices_by_id_query(), {"invoice_ids": list(paid_by)})
            if paid_by
            else []
        )
    out: dict[date, list[OpenInvoice]] = {}
    for k, day in enumerate(days):
        items = []
        for inv in invoices:
            left = inv.amount_cents - paid_by[inv.id][k]
            if inv.issued_on <= day and left:
                late = (day - inv.due_on).days
                items.append(OpenInvoice(inv, left, late, bucket_of(late)))
        out[day] = sorted(items, key=lambda o: (o.invoice.due_on, o.invoice.number))
    return out


@cache
def _open_query(days: int) -> Any:
    """The payments of the invoices open on one of ``days`` days (parameters ids, day0, ...
    in order), summed per day; built once per number of days: building it and its cache key
    cost more than the database's answer."""
    return _open_select(days, _INV.id)


def _open_select(days: int, *cols: Any) -> Any:
    """``cols`` of each invoice open on one of ``days`` days (parameters ids, day0, ...),
    then its payments received by each day (``paid0``, ...)."""
    scope = bindparam("ids", expanding=True)
    on = _days(days)
    paid = [
        func.coalesce(func.sum(case((_PAY.paid_on <= d, _PAY.amount_cents), else_=0)), 0)
        for d in on
    ]
    return (
        select(*cols, *(p.label(f"paid{k}") for k, p in enumerate(paid)))
        .select_from(
            Invoice.__table__.outerjoin(  # type: ignore[attr-defined]
                InvoicePayment.__table__,  # type: ignore[attr-defined]
                and_(_PAY.entity_id.in_(scope), _PAY.invoice_id == _INV.id),
            )
        )
        .where(_INV.entity_id.in_(scope), _INV.id.in_(_unsettled(scope, on)))
        .group_by(*cols)
        .having(
            or_(
                *(
                    and_(_INV.issued_on <= d, _INV.amount_cents != p)
                    for d, p in zip(on, paid, strict=True)
                )
            )
        )
    )


def _days(days: int) -> list[Any]:
    """The bind parameters day0, day1, ... of ``days`` days."""
    return [bindparam(f"day{k}", type_=_PAY.paid_on.type) for k in range(days)]


@dataclass(frozen=True)
class OpenTotals:
    """One entity's open invoice cents on a day: in all, past due, and more than the asked
    number of days past due (sums of ``OpenInvoice.open_cents``)."""

    open: int = 0
    past_due: int = 0
    overdue: int = 0


def open_totals_on(
    store: LedgerStore, ids: Sequence[str], days: Sequence[date], age_days: int
) -> dict[date, dict[str, OpenTotals]]:
    """On each of ``days``, per entity with an open invoice, the sums of ``open_invoices_on``
    (``overdue``: more than ``age_days`` days past due), summed in SQL instead of reading
    the invoices."""
    days = sorted(set(days))
    out: dict[date, dict[str, OpenTotals]] = {d: {} for d in days}
    if not ids or not days:
        return out
    params: dict[str, Any] = {"ids": list(ids)}
    for k, day in enumerate(days):
        params[f"day{k}"], params[f"late{k}"] = day, day - timedelta(days=age_days)
    with store.engine.connect() as conn:
        for entity_id, *cents in conn.execute(_open_totals_query(len(days)), params):
            for k, day in enumerate(days):
                sums = OpenTotals(*(int(c) for c in cents[3 * k : 3 * k + 3]))
                if sums != OpenTotals():
                    out[day][entity_id] = sums
    return out


@cache
def _open_totals_query(days: int) -> Any:
    """Per entity, for each day (parameters ids, day0, ..., late0, ...), the open cents of
    its invoices: in all, due before the day, due before ``late``."""
    cols = (_INV.id, _INV.entity_id, _INV.issued_on, _INV.due_on, _INV.amount_cents)
    open_ = _open_select(days, *cols).subquery()

    def owed(k: int, *due: Any) -> Any:
        left = open_.c.amount_cents - open_.c[f"paid{k}"]
        issued = open_.c.issued_on <= bindparam(f"day{k}", type_=_INV.issued_on.type)
        return func.coalesce(func.sum(case((and_(issued, *due), left), else_=0)), 0)

    sums = []
    for k in range(days):
        day = bindparam(f"day{k}", type_=_INV.due_on.type)
        late = bindparam(f"late{k}", type_=_INV.due_on.type)
        sums += [owed(k), owed(k, open_.c.due_on < day), owed(k, open_.c.due_on < late)]
    return select(open_.c.entity_id, *sums).group_by(open_.c.entity_id)


def invoices_between(store: LedgerStore, ids: Sequence[str], first: date, last: date) -> list[Any]:
    """Invoices issued in [first, last] by issue date and number, with the last payment
    received by ``last`` (``paid_on``, null when none)."""
    if not ids:
        return []
    with store.engine.connect() as conn:
        rows = records(conn, _invoices_between(), {"ids": list(ids), "first": first, "last": last})
    return sorted(rows, key=lambda i: (i.issued_on, i.number))


@cache
def _invoices_between() -> Any:
    scope = bindparam("ids", expanding=True)
    first, last = (
        bindparam("first", type_=_INV.issued_on.type),
        bindparam("last", type_=_INV.issued_on.type),
    )
    shown = select(_INV.id).where(_INV.entity_id.in_(scope), _INV.issued_on.between(first, last))
    last_paid = (
        select(_PAY.invoice_id, func.max(_PAY.paid_on).label("paid_on"))
        .where(_PAY.entity_id.in_(scope), _PAY.invoice_id.in_(shown), _PAY.paid_on <= last)
        .group_by(_PAY.invoice_id)
        .subquery()
    )
    return (
        select(Invoice.__table__, last_paid.c.paid_on)  # type: ignore[attr-defined]
        .select_from(
            Invoice.__table__.outerjoin(last_paid, last_paid.c.invoice_id == _INV.id)  # type: ignore[attr-defined]
        )
        .where(_INV.entity_id.in_(scope), _INV.issued_on.between(first, last))
    )


@cache
def _of_entities(table: Any) -> Any:
    """Every row of ``table`` of the entities (parameter ids)."""
    return select(table).where(table.c.entity_id.in_(bindparam("ids", expanding=True)))


@cache
def _projects_running() -> Any:
    day = bindparam("day", type_=_PROJ.start.type)
    return _of_entities(Project.__table__).where(_PROJ.start <= day, _PROJ.end >= day)  # type: ignore[attr-defined]


def projects_running(store: LedgerStore, ids: Sequence[str], day: date) -> list[Any]:
    """Hourly projects running on ``day``, latest start first."""
    if not ids:
        return []
    with store.engine.connect() as conn:
        rows = records(conn, _projects_running(), {"ids": list(ids), "day": day})
    return sorted(rows, key=lambda p: p.start, reverse=True)


def retainers_of(store: LedgerStore, ids: Sequence[str]) -> list[Any]:
    """Retainers of ``ids``."""
    if not ids:
        return []
    with store.engine.connect() as conn:
        return records(conn, _of_entities(Retainer.__table__), {"ids": list(ids)})  # type: ignore[attr-defined]


def clients_of(store: LedgerStore, ids: Sequence[str]) -> list[Any]:
    """Clients of ``ids`` by name."""
    if not ids:
        return []
    with store.engine.connect() as conn:
        rows = records(conn, _of_entities(Client.__table__), {"ids": list(ids)})  # type: ignore[attr-defined]
    return sorted(rows, key=lambda c: c.name)


@cache
def _invoices_by_id_query() -> Any:
    return select(Invoice.__table__).where(_INV.id.in_(bindparam("invoice_ids", expanding=True)))  # type: ignore[attr-defined]


def _unsettled(scope: Any, days: Sequence[Any]) -> Any:
    """The ids of the invoices issued and not settled on one of ``days`` (bind parameters,
    earliest first): every invoice open on one of them (and maybe more, as its payments
    decide)."""
    unsettled = (
        and_(_SETTLED.issued_on <= d, or_(_SETTLED.settled_on.is_(None), _SETTLED.settled_on > d))
        for d in days
    )
    # the first condition is implied by the second; it lets the index skip what was settled before
    open_after = or_(_SETTLED.settled_on.is_(None), _SETTLED.settled_on > days[0])
    return select(_SETTLED.invoice_id).where(
        _SETTLED.entity_id.in_(scope), open_after, or_(*unsettled)
    )
