"""Reads of the ledger: rollup rows by account and month (or a dated window), the
uncategorized queue, a month's debits and credits, and the audit check of the rollup against
the lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select

from core.ledger.database import LedgerDatabase
from core.ledger.models import Account, JournalEntry, JournalLine, MonthlyTotal
from core.ledger.sql import path_ends_with, path_under


class TotalRow(NamedTuple):
    """One rollup row joined with its account."""

    entity_id: str
    path: str
    root: str
    cost_behavior: str | None
    month: int
    intercompany: bool
    cents: int


class UncategorizedLine(NamedTuple):
    """A line waiting for a category."""

    entry_id: int
    entity_id: str
    date: date
    description: str
    path: str
    cents: int


# The report reads' statements are built once, with bind parameters: building a statement and
# its cache key on every call cost SQLAlchemy several times what the database spends on them.
@cache
def _monthly_rows_query() -> Any:
    return (
        select(
            MonthlyTotal.entity_id,
            Account.path,
            Account.root,
            Account.cost_behavior,
            MonthlyTotal.month,
            MonthlyTotal.intercompany,
            MonthlyTotal.amount_cents,
        )
        .join(Account, Account.id == MonthlyTotal.account_id)
        .where(MonthlyTotal.entity_id.in_(bindparam("ids", expanding=True)))
    )


@cache
def _monthly_rows_under_query(path: str) -> Any:
    """``_monthly_rows_query`` of one account subtree, built once per path (a few)."""
    return _monthly_rows_query().where(path_under(Account.path, path))


@cache
def _uncategorized_query() -> Any:
    return (
        select(
            JournalEntry.id,
            JournalEntry.entity_id,
            JournalEntry.date,
            JournalEntry.description,
            Account.path,
            JournalLine.amount_cents,
        )
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.entity_id.in_(bindparam("ids", expanding=True)))
        .where(path_ends_with(Account.path, ":Uncategorized"))
        .where(JournalLine.month <= bindparam("month"))
        .order_by(JournalEntry.date.desc(), JournalEntry.id.desc())
    )


class LedgerQueries(LedgerDatabase):
    """Reads of rollup rows, queued lines, monthly gross and ledger freshness."""

    def monthly_rows(self, entity_ids: Sequence[str]) -> list[TotalRow]:
        """Rollup rows of the given entities, joined with their accounts."""
        with self.engine.connect() as conn:
            rows = conn.execute(_monthly_rows_query(), {"ids": list(entity_ids)})
            return [TotalRow(*row) for row in rows]

    def monthly_rows_under(self, entity_ids: Sequence[str], path: str) -> list[TotalRow]:
        """``monthly_rows`` of the accounts at ``path`` or below it only."""
        q = _monthly_rows_under_query(path)
        with self.engine.connect() as conn:
            return [TotalRow(*row) for row in conn.execute(q, {"ids": list(entity_ids)})]

    def rows_between(self, entity_ids: Sequence[str], first: date, last: date) -> list[TotalRow]:
        """``monthly_rows`` of the lines dated ``first``..``last`` only (a month to a day)."""
        months = (first.year * 100 + first.month, last.year * 100 + last.month)
        keys = (
            Account.entity_id,
            Account.path,
            Account.root,
            Account.cost_behavior,
            JournalLine.month,
            JournalLine.intercompany,
        )
        q = (
            select(*keys, func.sum(JournalLine.amount_cents))
            .join(Account, Account.id == JournalLine.account_id)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(Account.entity_id.in_(list(entity_ids)))
            # the month bounds let the (account, month) index narrow before the dates filter
            .where(JournalLine.month.between(*months))
            .where(JournalEntry.date.between(first, last))
            .group_by(*keys)
        )
        with self.engine.connect() as conn:
            return [TotalRow(*row[:6], int(row[6])) for row in conn.execute(q)]

    def uncategorized_lines(
        self, entity_ids: Sequence[str], *, through_month: int, since: date | None = None
    ) -> list[UncategorizedLine]:
        """Lines on ``*:Uncategorized`` accounts dated up to the end of ``through_month``
        (and on or after ``since``, when given)."""
        params = {"ids": list(entity_ids), "month": through_month}
        q = _uncategorized_query()
        if since is not None:  # the morning strip's read: rare enough for a statement of its own
            q = q.where(JournalEntry.date >= since)
        with self.engine.connect() as conn:
            return [UncategorizedLine(*row) for row in conn.execute(q, params)]

    def gross_in_month(self, entity_ids: Sequence[str], path: str, month: int) -> tuple[int, int]:
        """(debits, credits) posted to ``path`` in ``month``, both as positive cents."""
        amount = JournalLine.amount_cents
        q = (
            select(
                func.coalesce(func.sum(amount).filter(amount > 0), 0),
                func.coalesce(func.sum(-amount).filter(amount < 0), 0),
            )
            .join(Account, Account.id == JournalLine.account_id)
            .where(Account.entity_id.in_(list(entity_ids)))
            .where(Account.path == path)
            .where(JournalLine.month == month)
        )
        with self.engine.connect() as conn:
            debits, credits = conn.execute(q).one()
        return int(debits), int(credits)

    def rollup_matches_lines(self) -> bool:
        """True when ``monthly_totals`` equals a fresh aggregation of the lines (audit check)."""
        fresh = select(
            JournalLine.account_id,
            JournalLine.month,
            JournalLine.intercompany,
            func.sum(JournalLine.amount_cents),
        ).group_by(JournalLine.account_id, JournalLine.month, JournalLine.intercompany)
        stored = select(
            MonthlyTotal.account_id,
            MonthlyTotal.month,
            MonthlyTotal.intercompany,
            MonthlyTotal.amount_cents,
        )
        with self.engine.connect() as conn:
            a = {(r[0], r[1], bool(r[2])): int(r[3]) for r in conn.execute(fresh)}
            b = {(r[0], r[1], bool(r[2])): int(r[3]) for r in conn.execute(stored) if r[3] != 0}
        return {k: v for k, v in a.items() if v != 0} == b

    def line_count(self) -> int:
        """Number of journal lines."""
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(JournalLine)) or 0)

    def last_entry_date(self) -> date | None:
        """The date of the newest entry (data freshness)."""
        with self.engine.connect() as conn:
            return conn.scalar(select(func.max(JournalEntry.date)))


def totals_by_account(rows: Iterable[TotalRow]) -> dict[str, int]:
    """Sum of cents per account path (helper for tests and tables)."""
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        out[r.path] += r.cents
    return dict(out)
