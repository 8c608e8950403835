"""Reads and writes of the business records; every read filters by ``entity_ids`` in SQL."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Connection, Executable, bindparam, func, insert, select
from sqlmodel import SQLModel

from core.ledger.models import Account, JournalEntry, JournalLine, MonthlyTotal
from core.ledger.models_records import (
    INSERT_ORDER,
    Client,
    DeliveryJob,
    Invoice,
    InvoicePayment,
    Lease,
    MaintenanceTicket,
    Project,
    RentalProperty,
    RentalUnit,
    RentCharge,
    RentPayment,
    Retainer,
    TimeEntry,
)
from core.ledger.store import LedgerStore, path_under
from core.periods import month_of

M = TypeVar("M", bound=SQLModel)
_CHUNK = 2000


def insert_records(
    store: LedgerStore, rows: Mapping[type[SQLModel], Sequence[dict[str, Any]]]
) -> int:
    """Bulk-insert record rows (dicts per model) in one transaction, referenced tables first."""
    written = 0
    with store.engine.begin() as conn:
        for model in INSERT_ORDER:
            batch = list(rows.get(model, ()))
            for start in range(0, len(batch), _CHUNK):
                conn.execute(insert(model), batch[start : start + _CHUNK])
            written += len(batch)
    return written


def _rows(store: LedgerStore, model: type[M], entity_ids: Sequence[str]) -> list[M]:
    """Every row of ``model`` belonging to ``entity_ids`` (the tenant filter is in the SQL)."""
    ids = list(entity_ids)
    if not ids:
        return []
    with store.session() as s:
        q = select(model).where(model.entity_id.in_(ids))  # type: ignore[attr-defined]
        return list(s.execute(q).scalars())


def records(
    conn: Connection, query: Executable, params: Mapping[str, Any] | None = None
) -> list[Any]:
    """The rows of ``query`` (with its bind ``params``) as named tuples: reports read each
    field many times, and that costs less on a tuple than on a SQLAlchemy row (or an ORM
    object to build)."""
    result = conn.execute(query, params)
    make = _record_type(tuple(result.keys()))._make
    return [make(row) for row in result]


@cache
def _record_type(fields: tuple[str, ...]) -> Any:
    return namedtuple("Record", fields)  # type: ignore[misc]


def entities_with(
    store: LedgerStore, model: type[SQLModel], entity_ids: Sequence[str]
) -> list[str]:
    """Which of ``entity_ids`` have at least one row of ``model``."""
    ids = list(entity_ids)
    if not ids:
        return []
    with store.engine.connect() as conn:
        return sorted(conn.scalars(_entities_with(model), {"ids": ids}))


@cache
def _entities_with(model: type[SQLModel]) -> Any:
    """The statement of ``entities_with`` (parameter ids), built once per model."""
    col = model.entity_id  # type: ignore[attr-defined]
    return select(col).where(col.in_(bindparam("ids", expanding=True))).distinct()


@dataclass(frozen=True)
class RentalRecords:
    """The rental records of a scope."""

    properties: list[RentalProperty]
    units: list[RentalUnit]
    leases: list[Lease]
    charges: list[RentCharge]
    payments: list[RentPayment]
    tickets: list[MaintenanceTicket]


def rental_records(store: LedgerStore, entity_ids: Sequence[str]) -> RentalRecords:
    """Properties, units, leases, rent charges and payments, tickets of ``entity_ids``."""
    return RentalRecords(
        properties=_rows(store, RentalProperty, entity_ids),
        units=sorted(_rows(store, RentalUnit, entity_ids), key=lambda u: (u.entity_id, u.name)),
        leases=sorted(_rows(store, Lease, entity_ids), key=lambda x: (x.unit_id, x.start)),
        charges=_rows(store, RentCharge, entity_ids),
        payments=_rows(store, RentPayment, entity_ids),
        tickets=sorted(_rows(store, MaintenanceTicket, entity_ids), key=lambda t: t.opened_on),
    )


def delivery_jobs(store: LedgerStore, entity_ids: Sequence[str]) -> list[DeliveryJob]:
    """Delivery jobs of ``entity_ids``, by planned start."""
    return sorted(_rows(store, DeliveryJob, entity_ids), key=lambda j: (j.planned_start, j.id))


@dataclass(frozen=True)
class BillingRecords:
    """The client-billing records of a scope."""

    clients: list[Client]
    retainers: list[Retainer]
    projects: list[Project]
    time_entries: list[TimeEntry]
    invoices: list[Invoice]
    payments: list[InvoicePayment]


def billing_records(store: LedgerStore, entity_ids: Sequence[str]) -> BillingRecords:
    """Clients, retainers, projects, time entries, invoices and payments of ``entity_ids``."""
    return BillingRecords(
        clients=sorted(_rows(store, Client, entity_ids), key=lambda c: c.name),
        retainers=_rows(store, Retainer, entity_ids),
        projects=_rows(store, Project, entity_ids),
        time_entries=_rows(store, TimeEntry, entity_ids),
        invoices=sorted(_rows(store, Invoice, entity_ids), key=lambda i: (i.issued_on, i.number)),
        payments=_rows(store, InvoicePayment, entity_ids),
    )


def account_balance_on(store: LedgerStore, entity_ids: Sequence[str], path: str, day: date) -> int:
    """Signed balance (debits positive) of ``path`` and its sub-accounts from entries dated on
    or before ``day``: the monthly rollup up to the month before, and that month's lines to
    ``day`` (the rollup alone cannot give a mid-month balance)."""
    ids = list(entity_ids)
    if not ids:
        return 0
    params = {"ids": ids, "month": month_of(day), "day": day}
    before, this_month = _balance_on(path)
    with store.engine.connect() as conn:
        return int(conn.scalar(before, params) or 0) + int(conn.scalar(this_month, params) or 0)


@cache
def _balance_on(path: str) -> tuple[Any, Any]:
    """The two statements of ``account_balance_on`` (parameters ids, month, day), built once
    per account path."""
    accounts = select(Account.id).where(
        Account.entity_id.in_(bindparam("ids", expanding=True)), path_under(Account.path, path)
    )
    month = bindparam("month", type_=JournalLine.month.type)
    before = select(func.coalesce(func.sum(MonthlyTotal.amount_cents), 0)).where(
        MonthlyTotal.account_id.in_(accounts), MonthlyTotal.month < month
    )
    this_month = (
        select(func.coalesce(func.sum(JournalLine.amount_cents), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalLine.account_id.in_(accounts), JournalLine.month == month)
        .where(JournalEntry.date <= bindparam("day", type_=JournalEntry.date.type))
    )
    return before, this_month
