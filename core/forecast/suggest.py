"""Recurring items found in the history, for the owner to accept or ignore: the same
counterparty and account in at least 3 of the last 4 months, every amount within 10% of their
median. Nothing is declared without the owner (``accept_suggestion``)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core.auth.dashboard_users import UserScope
from core.forecast.access import authorize_read
from core.forecast.reads import cash_account_ids, with_records
from core.forecast.recurring import RecurringItem, add_recurring, recurring_of
from core.forecast.values import to_dollars
from core.ledger.merchant import merchant_name
from core.ledger.models import Account, JournalEntry, JournalLine
from core.ledger.store import LedgerStore
from core.periods import month_add

MONTHS = 4  # the window: this month and the three before
MIN_MONTHS = 3
SPREAD = Decimal("0.10")  # every amount within 10% of the median
WEEKLY_PER_MONTH = 3.5  # more occurrences a month than this: a weekly item


@dataclass(frozen=True)
class Suggestion:
    """A candidate recurring item and the history it was found in."""

    entity_id: str
    name: str
    account: str
    amount: Decimal  # the median, signed cash
    every: str  # week | month
    weekday: int | None
    day: int | None
    starts: date  # the first time it was seen in the window
    intercompany: bool  # the entries were transfers between two entities of the portfolio
    months: int  # months of the window it was seen in
    seen: tuple[tuple[date, Decimal], ...]

    @property
    def key(self) -> str:
        """A stable id for a page: entity, account and counterparty."""
        return f"{self.entity_id}|{self.account}|{self.name}"


Row = tuple[date, str, str, int, bool]


def _history(store: LedgerStore, entity_id: str, first: date, last: date) -> list[Row]:
    """(date, counterparty, counter-account, cash cents, intercompany) of the entity's cash
    entries."""
    cash_ids = cash_account_ids(store, [entity_id])
    if not cash_ids:
        return []
    months = (first.year * 100 + first.month, last.year * 100 + last.month)
    touching = (
        select(JournalLine.entry_id)
        .where(JournalLine.account_id.in_(cash_ids), JournalLine.month.between(*months))
        .scalar_subquery()
    )
    q = (
        select(
            JournalEntry.date,
            JournalEntry.description,
            JournalEntry.counterparty,
            Account.path,
            JournalLine.amount_cents,
            JournalEntry.intercompany,
        )
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalEntry.id.in_(touching), JournalLine.account_id.not_in(cash_ids))
        .where(JournalEntry.date.between(first, last), JournalEntry.entity_id == entity_id)
    )
    with store.engine.connect() as conn:
        return [
            (day, (party or merchant_name(text)).strip(), path, -int(cents), bool(ic))
            for day, text, party, path, cents, ic in conn.execute(q)
        ]


def _steady(amounts: list[Decimal]) -> Decimal | None:
    """The median when every amount is within 10% of it (and all of one sign), else None."""
    median = Decimal(statistics.median(amounts))
    if not median or any(abs(a - median) > abs(median) * SPREAD for a in amounts):
        return None
    return median.quantize(Decimal("0.01"))


def find_suggestions(
    rows: list[Row],
    entity_id: str,
    declared: list[RecurringItem],
    covered: frozenset[str] = frozenset(),
) -> list[Suggestion]:
    """The candidates in ``rows`` (see ``_history``) not already declared nor on a
    ``covered`` account (forecast from records), biggest first."""
    groups: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    transfers: set[tuple[str, str]] = set()
    for day, party, path, cents, intercompany in sorted(rows):
        key = (party.upper(), path)
        if party and path not in covered:
            groups[key].append((day, to_dollars(cents)))
            names.setdefault(key, party)  # as first written
            if intercompany:
                transfers.add(key)
    taken = {(r.name.strip().upper(), r.account) for r in declared}
    out = []
    for key, seen in groups.items():
        months = {d.year * 100 + d.month for d, _ in seen}
        amount = _steady([a for _, a in seen])
        if len(months) < MIN_MONTHS or amount is None or key in taken:
            continue
        seen.sort()
        weekly = len(seen) / len(months) > WEEKLY_PER_MONTH
        common = Counter(d.weekday() if weekly else d.day for d, _ in seen).most_common(1)[0][0]
        out.append(
            Suggestion(
                entity_id=entity_id,
                name=names[key],
                account=key[1],
                amount=amount,
                every="week" if weekly else "month",
                weekday=common if weekly else None,
                day=None if weekly else common,
                starts=seen[0][0],
                intercompany=key in transfers,
                months=len(months),
                seen=tuple(seen),
            )
        )
    return sorted(out, key=lambda s: (-abs(s.amount), s.account, s.name))


def suggest_recurring(
    store: LedgerStore, reader: UserScope, entity_id: str, as_of: date
) -> list[Suggestion]:
    """Candidate recurring items of ``entity_id`` from the 4 months through ``as_of``'s month."""
    store.get_entity(entity_id)
    authorize_read(reader, entity_id)
    month = as_of.year * 100 + as_of.month
    start = month_add(month, 1 - MONTHS)
    first = date(start // 100, start % 100, 1)
    rows = _history(store, entity_id, first, as_of)
    covered = frozenset(with_records(store, [entity_id]).covered.get(entity_id, ()))
    return find_suggestions(rows, entity_id, recurring_of(store, [entity_id]), covered)


def accept_suggestion(
    store: LedgerStore, reader: UserScope, suggestion: Suggestion, *, name: str | None = None
) -> RecurringItem:
    """Declare the suggested item (the owner's choice; ``name`` renames it)."""
    return add_recurring(
        store,
        reader,
        entity_id=suggestion.entity_id,
        name=name or suggestion.name,
        account=suggestion.account,
        amount=suggestion.amount,
        every=suggestion.every,
        weekday=suggestion.weekday,
        day=suggestion.day,
        starts=suggestion.starts,
        intercompany=suggestion.intercompany,
    )
