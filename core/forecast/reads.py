"""What the forecast reads from the ledger: opening cash, the history behind the baseline, open
client invoices and rent from active leases. Cents, per entity; each read is one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select

from core.ledger.models import Account, JournalEntry, JournalLine, MonthlyTotal
from core.ledger.models_records import Lease, RentCharge, RentPayment
from core.ledger.store import LedgerStore
from core.metrics.finance import is_cash_account
from core.records.billing_queries import open_invoices_on


def _month(day: date) -> int:
    return day.year * 100 + day.month


def cash_account_ids(store: LedgerStore, ids: Sequence[str]) -> list[int]:
    """The ids of the cash accounts (the cash KPI's ``Assets:Bank:*``, ``Assets:Cash:*``)."""
    q = select(Account.id, Account.path).where(Account.entity_id.in_(list(ids)))
    with store.engine.connect() as conn:
        return [aid for aid, path in conn.execute(q) if is_cash_account(path)]


def opening_cash(
    store: LedgerStore, ids: Sequence[str], cash_ids: Sequence[int], as_of: date, consolidated: bool
) -> int:
    """Cents on the cash accounts at the end of ``as_of``: the rollup of the months before
    its month, plus that month's lines up to the day (intercompany left out when consolidated)."""
    if not cash_ids:
        return 0
    month = _month(as_of)
    before = select(func.coalesce(func.sum(MonthlyTotal.amount_cents), 0)).where(
        MonthlyTotal.account_id.in_(list(cash_ids)), MonthlyTotal.month < month
    )
    within = (
        select(func.coalesce(func.sum(JournalLine.amount_cents), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalLine.account_id.in_(list(cash_ids)),
            JournalLine.month == month,
            JournalEntry.date <= as_of,
        )
    )
    if consolidated:
        before = before.where(MonthlyTotal.intercompany.is_(False))
        within = within.where(JournalLine.intercompany.is_(False))
    with store.engine.connect() as conn:
        return int(conn.scalar(before) or 0) + int(conn.scalar(within) or 0)


def cash_by_counter_account(
    store: LedgerStore,
    cash_ids: Sequence[int],
    first: date,
    last: date,
    consolidated: bool,
) -> dict[tuple[str, str], int]:
    """Cash moved over ``first``..``last`` by (entity, counter-account): for every entry that
    touches cash, its other lines negated (an entry moving money between cash accounts alone
    has no other line, so it counts as nothing)."""
    if not cash_ids:
        return {}
    months = (_month(first), _month(last))
    cash_line = JournalLine.__table__.alias("cash_line")  # type: ignore[attr-defined]
    touching = (
        select(cash_line.c.entry_id)
        .where(cash_line.c.account_id.in_(list(cash_ids)))
        .where(cash_line.c.month.between(*months))
    )
    q = (
        select(Account.entity_id, Account.path, func.sum(JournalLine.amount_cents))
        .join(Account, Account.id == JournalLine.account_id)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalLine.entry_id.in_(touching))
        .where(JournalLine.account_id.not_in(list(cash_ids)))
        .where(JournalEntry.date.between(first, last))
        .group_by(Account.entity_id, Account.path)
    )
    if consolidated:
        q = q.where(JournalLine.intercompany.is_(False))
    with store.engine.connect() as conn:
        return {(eid, path): -int(cents) for eid, path, cents in conn.execute(q) if cents}


@dataclass(frozen=True)
class Due:
    """Money expected on a day from a known receivable."""

    entity_id: str
    day: date
    cents: int
    account: str
    label: str


def invoices_due(store: LedgerStore, ids: Sequence[str], as_of: date) -> list[Due]:
    """Client invoices still open at the end of ``as_of``, each on its due date."""
    return [
        Due(
            o.invoice.entity_id,
            o.invoice.due_on,
            o.open_cents,
            o.invoice.income_account,
            f"Invoice {o.invoice.number}",
        )
        for o in open_invoices_on(store, ids, [as_of])[as_of]
    ]


@dataclass(frozen=True)
class ActiveLease:
    """A lease running on some day of the horizon, with its due day of the month."""

    id: str
    entity_id: str
    unit_id: str
    tenant: str
    start: date
    end: date
    rent_cents: int
    due_day: int


def leases_running(
    store: LedgerStore, ids: Sequence[str], first: date, last: date
) -> list[ActiveLease]:
    """Leases running on some day of ``first``..``last``; the due day is that of their last
    rent charge (the 1st when none was charged yet)."""
    last_due = (
        select(RentCharge.lease_id, func.max(RentCharge.due_date).label("due"))
        .where(RentCharge.entity_id.in_(list(ids)))
        .group_by(RentCharge.lease_id)
        .subquery()
    )
    q = (
        select(Lease, last_due.c.due)
        .outerjoin(last_due, last_due.c.lease_id == Lease.id)
        .where(Lease.entity_id.in_(list(ids)), Lease.start <= last, Lease.end >= first)
    )
    with store.session() as s:
        rows = list(s.execute(q))
    return [
        ActiveLease(
            lease.id,
            lease.entity_id,
            lease.unit_id,
            lease.tenant,
            lease.start,
            lease.end,
            lease.rent_cents,
            due.day if due else 1,
        )
        for lease, due in rows
    ]


def rent_open(
    store: LedgerStore, ids: Sequence[str], as_of: date, last: date
) -> dict[tuple[str, int], tuple[date, int]]:
    """Rent charges due by ``last`` with money still owed at the end of ``as_of``, by (lease,
    month): (due date, cents owed); a charged month with nothing owed maps to 0 cents."""
    paid = (
        select(RentPayment.charge_id, func.sum(RentPayment.amount_cents).label("paid"))
        .where(RentPayment.entity_id.in_(list(ids)), RentPayment.paid_on <= as_of)
        .group_by(RentPayment.charge_id)
        .subquery()
    )
    q = (
        select(
            RentCharge.lease_id,
            RentCharge.month,
            RentCharge.due_date,
            RentCharge.amount_cents - func.coalesce(paid.c.paid, 0),
        )
        .outerjoin(paid, and_(paid.c.charge_id == RentCharge.id))
        .where(RentCharge.entity_id.in_(list(ids)), RentCharge.due_date <= last)
    )
    out: dict[tuple[str, int], tuple[date, int]] = defaultdict(lambda: (date.min, 0))
    with store.engine.connect() as conn:
        for lease_id, month, due, owed in conn.execute(q):
            day, cents = out[(lease_id, month)]
            out[(lease_id, month)] = (max(day, due), cents + max(int(owed), 0))
    return dict(out)
