"""Journal lines behind a number: filtered by entity scope, account, months and intercompany.

The entity filter is part of every query: a caller passes the scope's entity ids and can never
receive a line of another entity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select

from core.ledger.models import Account, JournalEntry, JournalLine
from core.ledger.store import LedgerStore, path_ends_with, path_under
from core.periods import month_of, month_range


@dataclass(frozen=True)
class LineQuery:
    """Which lines: account prefixes (``Income`` matches ``Income:*``), months, intercompany."""

    prefixes: tuple[str, ...] = ()  # empty: every account
    exact_suffix: str | None = None  # e.g. ":Uncategorized"
    month_from: int | None = None
    month_to: int | None = None
    exclude_intercompany: bool = False


@dataclass(frozen=True)
class LedgerLine:
    """One journal line with its entry's date and description."""

    entry_id: int
    entity_id: str
    date: date
    description: str
    memo: str
    account: str
    cents: int


@dataclass(frozen=True)
class LineSet:
    """Lines (newest first, at most ``limit``) and the count and sum over all that match."""

    lines: list[LedgerLine]
    count: int
    total_cents: int
    total_abs_cents: int


def _conditions(entity_ids: Any, q: LineQuery) -> list[object]:
    """``entity_ids``: a list, or an expanding bind parameter for a statement built once."""
    conds: list[object] = [JournalLine.entity_id.in_(entity_ids)]
    accounts: list[object] = []
    if q.prefixes:
        accounts.append(or_(*[path_under(Account.path, p) for p in q.prefixes]))
    if q.exact_suffix:
        accounts.append(path_ends_with(Account.path, q.exact_suffix))
    if accounts:
        # the matching accounts as a list, so the lines are read by their (account, month)
        # index rather than by date across every account
        conds.append(JournalLine.account_id.in_(select(Account.id).where(*accounts)))
    if q.month_from is not None:
        conds.append(JournalLine.month >= q.month_from)
    if q.month_to is not None:
        conds.append(JournalLine.month <= q.month_to)
    if q.exclude_intercompany:
        conds.append(JournalLine.intercompany.is_(False))
    return conds


def _line_rows() -> Any:
    """The select of :class:`LedgerLine` fields (lines joined to their entry and account)."""
    return (
        select(
            JournalEntry.id,
            JournalLine.entity_id,
            JournalEntry.date,
            JournalEntry.description,
            JournalEntry.memo,
            Account.path,
            JournalLine.amount_cents,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
    )


def entry_lines(
    store: LedgerStore, entity_ids: Sequence[str], entry_ids: Sequence[int]
) -> list[LedgerLine]:
    """Every line of the given entries (oldest first), of ``entity_ids`` only."""
    if not entity_ids or not entry_ids:
        return []
    q = (
        _line_rows()
        .where(
            JournalLine.entry_id.in_(list(entry_ids)),
            JournalLine.entity_id.in_(list(entity_ids)),
        )
        .order_by(JournalEntry.date, JournalLine.id)
    )
    with store.engine.connect() as conn:
        return [LedgerLine(*r) for r in conn.execute(q)]


def find_lines(
    store: LedgerStore, entity_ids: Sequence[str], query: LineQuery, *, limit: int = 500
) -> LineSet:
    """Lines of ``entity_ids`` matching ``query``; totals cover every match, not just ``limit``."""
    if not entity_ids:
        return LineSet([], 0, 0, 0)
    where = and_(*_conditions(list(entity_ids), query))  # type: ignore[arg-type]
    amount = JournalLine.amount_cents
    totals = (
        select(
            func.count(),
            func.coalesce(func.sum(amount), 0),
            func.coalesce(func.sum(func.abs(amount)), 0),
        )
        .select_from(JournalLine)
        .where(where)
    )
    rows = (
        _line_rows()
        .where(where)
        .order_by(JournalEntry.date.desc(), JournalLine.id.desc())
        .limit(limit)
    )
    with store.engine.connect() as conn:
        count, total, total_abs = conn.execute(totals).one()
        lines = [LedgerLine(*r) for r in conn.execute(rows)]
    return LineSet(lines, int(count), int(total), int(total_abs))


def debits_between(
    store: LedgerStore, entity_ids: Sequence[str], query: LineQuery, first: date, last: date
) -> dict[str, int]:
    """Per entity, the debits (positive cents) of matching lines dated in [first, last]."""
    return debits_in_windows(store, entity_ids, query, [(first, last)])[0]


def debits_in_windows(
    store: LedgerStore,
    entity_ids: Sequence[str],
    query: LineQuery,
    windows: Sequence[tuple[date, date]],
) -> list[dict[str, int]]:
    """``debits_between`` for each [first, last] of ``windows``, in one pass over the lines:
    per window, per entity with a matching line, the debits (positive cents)."""
    if not entity_ids or not windows:
        return [{} for _ in windows]
    params: dict[str, Any] = {
        "ids": list(entity_ids),
        # the windows' months too (a line's month is its entry's): probes of the (account,
        # month) index, not one range from the first window to the last
        "months": sorted({x for a, b in windows for x in month_range(month_of(a), month_of(b))}),
    }
    for k, (first, last) in enumerate(windows):
        params[f"first{k}"], params[f"last{k}"] = first, last
    out: list[dict[str, int]] = [{} for _ in windows]
    with store.engine.connect() as conn:
        for entity_id, *cents in conn.execute(_debits_query(query, len(windows)), params):
            for k, c in enumerate(cents):
                if c:  # debits are positive: no line in a window sums to 0
                    out[k][entity_id] = int(c)
    return out


@cache
def _debits_query(query: LineQuery, windows: int) -> Any:
    """The statement of ``debits_in_windows`` (parameters ids, months, first0, last0, ...),
    built once per query and number of windows: building it cost more than its answer."""
    amount = JournalLine.amount_cents
    day = JournalEntry.date
    spans = [
        and_(
            day >= bindparam(f"first{k}", type_=day.type),
            day <= bindparam(f"last{k}", type_=day.type),
        )
        for k in range(windows)
    ]
    sums = [func.coalesce(func.sum(case((span, amount), else_=0)), 0) for span in spans]
    return (
        select(JournalLine.entity_id, *sums)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(and_(*_conditions(bindparam("ids", expanding=True), query)))  # type: ignore[arg-type]
        .where(
            amount > 0,
            JournalLine.month.in_(bindparam("months", expanding=True)),
            or_(*spans),
        )
        .group_by(JournalLine.entity_id)
    )
