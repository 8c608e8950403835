"""The two reads the anomaly rules need: the window's charges one by one, and a narrow
aggregate of the months before (counts per account, counterparty text, month and amount).

A charge is a debit to an ``Expenses:*`` account that is not intercompany. Both reads filter
by the entities in SQL and probe the (account, month) index; merchant names are derived in
Python once per distinct description, never per line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import and_, func, or_, select

from core.close.anomalies_model import counterparty_name
from core.ledger.models import Account, JournalEntry, JournalLine
from core.ledger.store import LedgerStore, path_under
from core.periods import month_of


@dataclass(frozen=True)
class Charge:
    """One expense debit with its entry's date, counterparty and fingerprint."""

    entry_id: int
    entity_id: str
    day: date
    description: str
    counterparty: str
    account: str
    cents: int
    fingerprint: str | None

    @property
    def key(self) -> str:
        """The counterparty compared case-insensitively."""
        return self.counterparty.upper()


@dataclass(frozen=True)
class HistoryRow:
    """How many charges of ``cents`` an account paid a counterparty in a month."""

    entity_id: str
    account: str
    key: str  # the counterparty, upper-cased
    month: int
    cents: int
    count: int


@lru_cache(maxsize=65536)
def _name(description: str, counterparty: str | None) -> str:
    return counterparty_name(description, counterparty)


def _charge_accounts(entity_ids: Sequence[str], prefixes: Sequence[str] = ("Expenses",)) -> object:
    """The ids of the entities' accounts under ``prefixes`` (a sub-select)."""
    return select(Account.id).where(
        Account.entity_id.in_(list(entity_ids)),
        or_(*[path_under(Account.path, p) for p in prefixes]),
    )


def read_charges(
    store: LedgerStore,
    entity_ids: Sequence[str],
    first: date,
    last: date,
    prefixes: Sequence[str] = ("Expenses",),
) -> list[Charge]:
    """Every charge dated in [first, last] of ``entity_ids`` under ``prefixes``, oldest first."""
    if not entity_ids:
        return []
    q = (
        select(
            JournalLine.entry_id,
            JournalLine.entity_id,
            JournalEntry.date,
            JournalEntry.description,
            JournalEntry.counterparty,
            Account.path,
            JournalLine.amount_cents,
            JournalEntry.fingerprint,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(
            JournalLine.entity_id.in_(list(entity_ids)),
            JournalLine.account_id.in_(_charge_accounts(entity_ids, prefixes)),
            JournalLine.month.between(month_of(first), month_of(last)),
            JournalEntry.date.between(first, last),
            JournalLine.amount_cents > 0,
            JournalLine.intercompany.is_(False),
        )
        .order_by(JournalEntry.date, JournalLine.entry_id)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        Charge(int(e), ent, d, desc, _name(desc, cp), path, int(c), fp)
        for e, ent, d, desc, cp, path, c, fp in rows
    ]


def read_history(
    store: LedgerStore, entity_ids: Sequence[str], first_month: int, last_month: int
) -> list[HistoryRow]:
    """Charges of the months [first_month, last_month], counted per account, counterparty,
    month and amount (one aggregate; rows of equal merchants are merged here)."""
    if not entity_ids:
        return []
    keys = (
        JournalLine.entity_id,
        Account.path,
        JournalEntry.description,
        JournalEntry.counterparty,
        JournalLine.month,
        JournalLine.amount_cents,
    )
    q = (
        select(*keys, func.count())
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(
            and_(
                JournalLine.entity_id.in_(list(entity_ids)),
                JournalLine.account_id.in_(_charge_accounts(entity_ids)),
                JournalLine.month.between(first_month, last_month),
                JournalLine.amount_cents > 0,
                JournalLine.intercompany.is_(False),
            )
        )
        .group_by(*keys)
    )
    merged: dict[tuple[str, str, str, int, int], int] = {}
    with store.engine.connect() as conn:
        for ent, path, desc, cp, month, cents, n in conn.execute(q):
            k = (ent, path, _name(desc, cp).upper(), int(month), int(cents))
            merged[k] = merged.get(k, 0) + int(n)
    return [HistoryRow(*k, count=n) for k, n in merged.items()]


def paid_between(store: LedgerStore, charge: Charge, first_month: int, end_month: int) -> bool:
    """Whether the charge's entity paid its counterparty in [first_month, end_month): one
    narrow read of that entity's entries whose text holds the counterparty's name."""
    key = charge.key
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    q = (
        select(JournalEntry.description, JournalEntry.counterparty)
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .where(
            JournalEntry.entity_id == charge.entity_id,
            JournalLine.entity_id == charge.entity_id,
            JournalLine.account_id.in_(_charge_accounts([charge.entity_id])),
            JournalLine.month >= first_month,
            JournalLine.month < end_month,
            JournalLine.amount_cents > 0,
            JournalLine.intercompany.is_(False),
            or_(
                func.upper(JournalEntry.counterparty) == key,
                func.upper(JournalEntry.description).like(pattern, escape="\\"),
            ),
        )
        .distinct()
    )
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return any(_name(d, cp).upper() == key for d, cp in rows)
