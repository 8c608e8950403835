""" "Make a rule from this": save a categorization rule and move every uncategorized line it
matches to the rule's account, in one transaction (lines, rollup and rule, or nothing).

Saved rules also apply to later CSV imports of the same entity, after the file's own rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from core.errors import Invalid
from core.ledger.access import BOOK_ROLES, authorize_books
from core.ledger.merchant import merchant_pattern
from core.ledger.models import (
    COST_BEHAVIORS,
    Account,
    CategorizationRule,
    JournalEntry,
    JournalLine,
)
from core.ledger.period_locks import refuse_locked_months
from core.ledger.rules import Rule
from core.ledger.store import LedgerStore, NewEntry, account_root, bump_revision, path_ends_with
from core.ledger.transactions import ledger_transaction
from core.logs import audited

UNCATEGORIZED = ":Uncategorized"
RULE_ROLES = BOOK_ROLES  # who may categorize the books
NOISE = frozenset(
    {"POS", "ACH", "CARD", "DEBIT", "CREDIT", "PURCHASE", "PAYMENT", "ONLINE", "CHECKCARD"}
)


@dataclass(frozen=True)
class RuleOutcome:
    """What saving a rule did."""

    rule_id: int
    account: str
    moved_lines: int
    moved_cents: int  # sum of the moved lines' absolute amounts


def _check(pattern: str, account: str, cost_behavior: str | None) -> re.Pattern[str]:
    problems: list[str] = []
    compiled = None
    if not pattern.strip():
        problems.append("the pattern is empty")
    else:
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            problems.append(f"the pattern {pattern!r} is not a valid regular expression ({exc})")
    try:
        account_root(account)
        if account.endswith(UNCATEGORIZED):
            problems.append("pick a real account, not an Uncategorized one")
    except Invalid as exc:
        problems.append(exc.message)
    if cost_behavior is not None and cost_behavior not in COST_BEHAVIORS:
        problems.append("cost behavior must be fixed or variable")
    if problems or compiled is None:
        raise Invalid("the rule was not saved", problems=problems)
    return compiled


Candidate = tuple[int, int, int, int, bool, str, int]


def _candidates(
    conn: object, entity_id: str, entry_ids: Collection[int] | None = None
) -> list[Candidate]:
    """(line, entry, account, cents, intercompany, description, month) of uncategorized lines
    (of the given entries only, when ``entry_ids`` is given)."""
    q = (
        select(
            JournalLine.id,
            JournalLine.entry_id,
            JournalLine.account_id,
            JournalLine.amount_cents,
            JournalLine.intercompany,
            JournalEntry.description,
            JournalLine.month,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.entity_id == entity_id, path_ends_with(Account.path, UNCATEGORIZED))
    )
    if entry_ids is not None:
        q = q.where(JournalLine.entry_id.in_(sorted(entry_ids)))
    return list(conn.execute(q))  # type: ignore[attr-defined]


def matching_lines(store: LedgerStore, *, entity_id: str, pattern: str) -> list[int]:
    """Entry ids of the entity's uncategorized lines whose description matches (a preview)."""
    compiled = _check(pattern, "Expenses:Preview", None)
    with store.engine.connect() as conn:
        return [row[1] for row in _candidates(conn, entity_id) if compiled.search(row[5])]


@audited("rule", actor="created_by", fields=("entity_id", "pattern", "account"))
def apply_rule(
    store: LedgerStore,
    *,
    entity_id: str,
    pattern: str,
    account: str,
    cost_behavior: str | None = None,
    created_by: str = "",
    allowed: Collection[str] | None = None,
    picked_entry_id: int | None = None,
    role: str = "owner",
) -> RuleOutcome:
    """Save the rule and re-categorize its matches, all or nothing.

    ``allowed`` limits the entities the caller may change; ``picked_entry_id`` is the line the
    rule was made from, which the pattern must match (so a typo cannot move the wrong lines).
    """
    authorize_books(role, allowed, entity_id, doing="categorize lines")
    store.get_entity(entity_id)
    compiled = _check(pattern, account, cost_behavior)
    collided = "a concurrent change collided with this rule; nothing was changed"
    with ledger_transaction(store, collided=collided) as conn:
        rows = [r for r in _candidates(conn, entity_id) if compiled.search(r[5])]
        if picked_entry_id is not None and picked_entry_id not in {r[1] for r in rows}:
            raise Invalid("the pattern does not match the line you picked; nothing was changed")
        move_lines(store, conn, entity_id, rows, account, cost_behavior)
        rule_id = conn.execute(
            insert(CategorizationRule).returning(CategorizationRule.id),
            {
                "entity_id": entity_id,
                "pattern": pattern,
                "account": account,
                "cost_behavior": cost_behavior,
                "created_by": created_by,
                "created_at": datetime.now(UTC),
            },
        ).scalar_one()
        bump_revision(conn)
    return RuleOutcome(
        rule_id=int(rule_id),
        account=account,
        moved_lines=len(rows),
        moved_cents=sum(abs(r[3]) for r in rows),
    )


def suggest_pattern(description: str) -> str:
    """A pattern about the merchant of a bank description, not the town or store number
    (``POS 4411 HOME DEPOT #2`` -> ``\\bHOME\\s+DEPOT\\b``); see :mod:`core.ledger.merchant`."""
    return merchant_pattern(description)


def move_lines(
    store: LedgerStore,
    conn: Any,
    entity_id: str,
    rows: Sequence[Candidate],
    account: str,
    cost_behavior: str | None = None,
) -> None:
    """Move candidate lines to ``account`` with their rollup, inside the caller's transaction."""
    # cost behavior is set when the account is created, as CSV rules do
    behaviors = {account: cost_behavior} if cost_behavior else {}
    marker = NewEntry(
        entity_id, datetime.now(UTC).date(), "rule", [(account, 0)], cost_behaviors=behaviors
    )
    target = store._ensure_accounts(conn, [marker])[(entity_id, account)]
    rollup: dict[tuple[int, int, bool], list[object]] = {}
    for _line, _entry, old, cents, ic, _text, month in rows:
        rollup.setdefault((old, month, ic), [entity_id, 0])[1] -= cents  # type: ignore[operator]
        rollup.setdefault((target, month, ic), [entity_id, 0])[1] += cents  # type: ignore[operator]
    if not rows:
        return
    refuse_locked_months(conn, entity_id, {r[6] for r in rows})  # lines of a closed month stay
    # in chunks: one bound parameter per line id, and a statement may carry at most 65,535 of
    # them on PostgreSQL (32,766 on SQLite)
    line_ids = [r[0] for r in rows]
    for start in range(0, len(line_ids), 1000):
        conn.execute(
            update(JournalLine)
            .where(JournalLine.id.in_(line_ids[start : start + 1000]))
            .values(account_id=target)
        )
    store._apply_rollup(conn, rollup)  # type: ignore[arg-type]


def saved_rules(store: LedgerStore, entity_id: str) -> list[Rule]:
    """The entity's saved rules, oldest first (the first match wins)."""
    q = (
        select(CategorizationRule)
        .where(CategorizationRule.entity_id == entity_id)
        .order_by(CategorizationRule.id)
    )
    with store.session() as s:
        return [
            Rule(re.compile(r.pattern, re.IGNORECASE), r.account, r.cost_behavior)
            for r in s.exec(q).scalars()  # type: ignore[call-overload]
        ]
