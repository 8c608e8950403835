"""Unbilled project time on given days, read in SQL: what was worked and not yet invoiced
(or invoiced after that day), per entity and per project. Split from ``billing_queries``,
whose column handles and cents expression it shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, literal_column, select

from core.ledger.models_records import Project
from core.ledger.store import LedgerStore
from core.records.billing_queries import _INV, _PROJ, _TIME, _worth


def _unbilled_selects(*cols: Any, day_param: str = "day") -> list[Any]:
    """``cols`` of the billable time worked by a day (parameters ids, ``day_param``) and not
    on an invoice issued by then: the entries without an invoice, and those on invoices
    issued after the day (two selects, so each reads its own index instead of every entry up
    to the day)."""
    scope = bindparam("ids", expanding=True)
    day = bindparam(day_param, type_=_TIME.day.type)
    worked = (_TIME.rate_cents != 0, _TIME.day <= day)
    loose = select(*cols).where(_TIME.entity_id.in_(scope), _TIME.invoice_id.is_(None), *worked)
    issued_after = select(_INV.id).where(_INV.entity_id.in_(scope), _INV.issued_on > day)
    later = select(*cols).where(
        _TIME.entity_id.in_(scope), _TIME.invoice_id.in_(issued_after), *worked
    )
    return [loose, later]


@cache
def _unbilled_totals(days: int) -> Any:
    """Each day's two unbilled sums (parameters ids, day0, day1, ...) as the scalar
    subqueries of one statement: each keeps its own plan, the days cost one round trip."""
    return select(
        *(
            q.scalar_subquery()
            for k in range(days)
            for q in _unbilled_selects(func.sum(_worth()), day_param=f"day{k}")
        )
    )


@cache
def _unbilled_groups(dialect: str) -> list[Any]:
    """The unbilled selects grouped by project (time without one in a group of its own)."""
    cols = (
        _TIME.project_id,
        func.sum(_TIME.minutes),
        func.sum(_worth()),
        func.min(_written(dialect)),
    )
    return [q.group_by(_TIME.project_id) for q in _unbilled_selects(*cols)]


def unbilled_on(store: LedgerStore, ids: Sequence[str], day: date) -> int:
    """``metrics.billing.unbilled`` on ``day`` (cents)."""
    return unbilled_on_days(store, ids, [day])[day]


def unbilled_on_days(
    store: LedgerStore, ids: Sequence[str], days: Sequence[date]
) -> dict[date, int]:
    """``unbilled_on`` of each of ``days``, in one statement."""
    days = sorted(set(days))
    if not ids or not days:
        return dict.fromkeys(days, 0)
    params: dict[str, Any] = {"ids": list(ids), **{f"day{k}": d for k, d in enumerate(days)}}
    with store.engine.connect() as conn:
        sums = conn.execute(_unbilled_totals(len(days)), params).one()
    return {d: int(sums[2 * k] or 0) + int(sums[2 * k + 1] or 0) for k, d in enumerate(days)}


@dataclass
class UnbilledProject:
    """A project's time not yet invoiced on a day."""

    project_id: str
    client_id: str
    name: str
    rate_cents: int
    minutes: int = 0
    value: int = 0
    first: Any = None  # where its first entry was written (see ``_written``)


def unbilled_by_project(store: LedgerStore, ids: Sequence[str], day: date) -> list[UnbilledProject]:
    """Unbilled project time on ``day`` per project, most valuable first."""
    return unbilled_with_projects(store, ids, day)[1]


def unbilled_with_projects(
    store: LedgerStore, ids: Sequence[str], day: date, known: Mapping[str, Any] | None = None
) -> tuple[int, list[UnbilledProject]]:
    """``unbilled_on`` and ``unbilled_by_project`` of ``day`` from one grouped read: the
    total is every group's, time without a project included. ``known``: projects already
    read, by id (only the others are read)."""
    if not ids:
        return 0, []
    params = {"ids": list(ids), "day": day}
    totals: dict[str | None, list[Any]] = {}
    with store.engine.connect() as conn:
        for q in _unbilled_groups(store.engine.dialect.name):
            for pid, minutes, value, first in conn.execute(q, params):
                row = totals.setdefault(pid, [0, 0, first])
                row[0] += int(minutes or 0)
                row[1] += int(value or 0)
                row[2] = min(row[2], first)
        total = sum(value for _, value, _ in totals.values())
        totals.pop(None, None)
        projects = {pid: known[pid] for pid in totals if known and pid in known}
        if missing := [pid for pid in totals if pid not in projects]:
            by_id = conn.execute(_projects_by_id(), {"project_ids": missing})
            projects.update({p.id: p for p in by_id})
    out = [
        UnbilledProject(pid, p.client_id, p.name, p.rate_cents, minutes, value, first)
        for pid, (minutes, value, first) in totals.items()
        if (p := projects.get(pid)) is not None
    ]
    # ties in value: the project whose time was written first comes first, as when the table
    # summed the entries in the order the database returned them
    return total, sorted(out, key=lambda u: (-u.value, u.first))


@cache
def _projects_by_id() -> Any:
    return select(Project.__table__).where(_PROJ.id.in_(bindparam("project_ids", expanding=True)))  # type: ignore[attr-defined]


def _written(dialect: str) -> Any:
    """SQL for where a time entry was written: SQLite's rowid (the order a scan of the table
    returns rows in); other databases return rows in no set order, so the entry id."""
    if dialect == "sqlite":
        return literal_column("audit_time_entries.rowid")
    return _TIME.id
