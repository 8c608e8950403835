"""Categorizing queued lines by hand: one line or many at once, without making a rule; which
accounts to offer; and what a proposed rule would match, this month and in other months.

Who may: the owner, the CFO and the accountant, each within their entity scope
(:mod:`core.ledger.access`). "Make a rule" itself is :func:`core.ledger.recategorize.apply_rule`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from core.auth.dashboard_users import UserScope
from core.errors import Invalid
from core.ledger.access import authorize_books, authorize_role
from core.ledger.models import Account, JournalEntry
from core.ledger.recategorize import (
    UNCATEGORIZED,
    Candidate,
    _candidates,
    _check,
    move_lines,
)
from core.ledger.store import LedgerStore, bump_revision
from core.ledger.transactions import ledger_transaction
from core.periods import month_of

# offered even before the entity has them: an owner's money in and out is not income or expense
OWNER_ACCOUNTS = ("Equity:Owner Contributions", "Equity:Owner Draws")
DOING = "categorize lines"
ALL_MONTHS = 999912  # through_month that takes every line


@dataclass(frozen=True)
class CategorizeOutcome:
    """What categorizing lines by hand did."""

    moved_lines: int
    moved_cents: int  # sum of the moved lines' absolute amounts


@dataclass(frozen=True)
class RuleMatch:
    """An uncategorized line a proposed rule matches; ``this_month`` marks the month in view."""

    entry_id: int
    date: date
    description: str
    cents: int
    path: str
    this_month: bool


def categorize_lines(
    store: LedgerStore, *, actor: UserScope, picks: Mapping[int, str]
) -> CategorizeOutcome:
    """Move each picked entry's uncategorized line to its account, all in one transaction.

    ``picks`` maps entry ids (from the queue) to account paths. No rule is saved. Every pick
    is checked first; one bad pick changes nothing and every problem is listed.
    """
    authorize_role(actor.role, doing=DOING)
    if not picks:
        raise Invalid("pick an account for at least one line")
    problems: list[str] = []
    for entry_id, account in picks.items():
        try:
            _check("x", account, None)
        except Invalid as exc:
            problems.extend(f"line {entry_id}: {p}" for p in exc.problems)
    if problems:
        raise Invalid("nothing was categorized", problems=problems)
    owners = _entities_of(store, picks)
    unknown = sorted(set(picks) - set(owners))
    if unknown:
        raise Invalid(
            "nothing was categorized",
            problems=[f"line {i}: there is no such entry" for i in unknown],
        )
    for entity_id in sorted(set(owners.values())):
        authorize_books(actor.role, actor.entities, entity_id, doing=DOING)
    by_entity: dict[str, list[int]] = defaultdict(list)
    for entry_id, entity_id in owners.items():
        by_entity[entity_id].append(entry_id)
    moved: list[Candidate] = []
    with ledger_transaction(
        store, collided="a concurrent change collided; nothing was categorized"
    ) as conn:
        for entity_id, entry_ids in sorted(by_entity.items()):
            found = _candidates(conn, entity_id, entry_ids)
            waiting = {r[1] for r in found}
            problems += [
                f"line {i}: is not waiting for a category (already categorized?)"
                for i in sorted(set(entry_ids) - waiting)
            ]
            by_account: dict[str, list[Candidate]] = defaultdict(list)
            for row in found:
                by_account[picks[row[1]]].append(row)
            for account, rows in sorted(by_account.items()):
                move_lines(store, conn, entity_id, rows, account)
            moved += found
        if problems:
            raise Invalid("nothing was categorized", problems=problems)
        bump_revision(conn)
    return CategorizeOutcome(moved_lines=len(moved), moved_cents=sum(abs(r[3]) for r in moved))


def categorize_line(
    store: LedgerStore, *, actor: UserScope, entry_id: int, account: str
) -> CategorizeOutcome:
    """Move one queued line to ``account`` without making a rule."""
    return categorize_lines(store, actor=actor, picks={entry_id: account})


def _entities_of(store: LedgerStore, picks: Mapping[int, str]) -> dict[int, str]:
    ids = sorted(picks)
    out: dict[int, str] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(ids), 1000):
            q = select(JournalEntry.id, JournalEntry.entity_id).where(
                JournalEntry.id.in_(ids[start : start + 1000])  # type: ignore[union-attr]
            )
            out.update({int(i): e for i, e in conn.execute(q)})
    return out


def rule_preview(
    store: LedgerStore, *, actor: UserScope, entity_id: str, pattern: str, month: int
) -> list[RuleMatch]:
    """The entity's uncategorized lines ``pattern`` matches: ``month``'s first, newest first."""
    authorize_books(actor.role, actor.entities, entity_id, doing=DOING)
    store.get_entity(entity_id)
    compiled = _check(pattern, "Expenses:Preview", None)
    queued = store.uncategorized_lines([entity_id], through_month=ALL_MONTHS)
    matches = [
        RuleMatch(
            entry_id=q.entry_id,
            date=q.date,
            description=q.description,
            cents=q.cents,
            path=q.path,
            this_month=month_of(q.date) == month,
        )
        for q in queued
        if compiled.search(q.description)
    ]
    return sorted(matches, key=lambda m: not m.this_month)  # stable: newest first within each


def category_accounts(
    store: LedgerStore, *, actor: UserScope, entity_id: str, money_in: bool
) -> list[str]:
    """Accounts to offer for a queued line: Income (money in) or Expenses (money out) of the
    entity, and its Equity accounts with the owner's contributions and draws, by name."""
    authorize_books(actor.role, actor.entities, entity_id, doing=DOING)
    root = "Income" if money_in else "Expenses"
    with store.engine.connect() as conn:
        paths = set(
            conn.scalars(
                select(Account.path).where(
                    Account.entity_id == entity_id,
                    Account.root.in_([root, "Equity"]),  # type: ignore[attr-defined]
                )
            )
        )
    offered = {p for p in paths if not p.endswith(UNCATEGORIZED)} | set(OWNER_ACCOUNTS)
    return sorted(offered, key=lambda p: (not p.startswith(root), p.lower()))
