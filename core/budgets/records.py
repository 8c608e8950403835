"""Reading and writing budgets: an import or an edit replaces the entity's budget for every
month it names, in one transaction (all or nothing), after every line has been checked."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from core.auth.dashboard_users import UserScope
from core.budgets.access import authorize_budgets
from core.budgets.lines import BudgetLine, budget_problems, parse_budget_csv
from core.errors import Invalid
from core.ledger.bank_files import Source
from core.ledger.models import Account
from core.ledger.models_budgets import Budget
from core.ledger.store import LedgerStore, bump_revision
from core.ledger.transactions import ledger_transaction
from core.periods import format_period


@dataclass(frozen=True)
class BudgetSaved:
    """What a save wrote: lines per month replaced."""

    entity_id: str
    lines: int
    months: tuple[int, ...]

    def summary(self) -> str:
        """One line for the command line and the page."""
        first, last = format_period(self.months[0]), format_period(self.months[-1])
        span = first if first == last else f"{first} to {last}"
        return (
            f"Saved {self.lines} budget lines for {self.entity_id} "
            f"({len(self.months)} months, {span}); those months' earlier budget was replaced."
        )


def import_budget(
    store: LedgerStore, *, actor: UserScope, source: Source, entity_id: str
) -> BudgetSaved:
    """Import a ``month,account,amount`` file for ``entity_id``: all lines or none."""
    authorize_budgets(actor, entity_id)
    store.get_entity(entity_id)  # NotFound before reading the file
    lines = parse_budget_csv(source)
    return _save(store, entity_id, lines, sorted({line.month for line in lines}))


def save_budget(
    store: LedgerStore,
    *,
    actor: UserScope,
    entity_id: str,
    lines: Sequence[BudgetLine],
    months: Collection[int],
) -> BudgetSaved:
    """Replace the budget of ``months`` (every line must fall in one of them) by ``lines``."""
    authorize_budgets(actor, entity_id)
    store.get_entity(entity_id)
    if not months:
        raise Invalid("no budget was saved: no month to edit was given")
    outside = [line for line in lines if line.month not in months]
    if outside:
        raise Invalid(
            "no budget was saved",
            problems=[
                f"line {x.number}: {format_period(x.month)} is not being edited" for x in outside
            ],
        )
    return _save(store, entity_id, lines, sorted(months))


def _save(
    store: LedgerStore, entity_id: str, lines: Sequence[BudgetLine], months: list[int]
) -> BudgetSaved:
    problems = budget_problems(lines, _account_paths(store, entity_id))
    if problems:
        raise Invalid("no budget was saved", problems=problems)
    with ledger_transaction(store, collided="the budget changed meanwhile; try again") as conn:
        conn.execute(
            delete(Budget).where(Budget.entity_id == entity_id).where(Budget.month.in_(months))
        )
        if lines:
            conn.execute(
                insert(Budget),
                [
                    {
                        "entity_id": entity_id,
                        "account": x.account,
                        "month": x.month,
                        "amount_cents": x.cents,
                    }
                    for x in lines
                ],
            )
        bump_revision(conn)  # the pages' cached comparisons key on the revision
    return BudgetSaved(entity_id=entity_id, lines=len(lines), months=tuple(months))


def _account_paths(store: LedgerStore, entity_id: str) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.scalars(select(Account.path).where(Account.entity_id == entity_id)))


def budgets(store: LedgerStore, entity_ids: Sequence[str], first: int, last: int) -> list[Budget]:
    """The budget lines of ``entity_ids`` for months ``first``..``last``."""
    query = (
        select(Budget)
        .where(Budget.entity_id.in_(list(entity_ids)))
        .where(Budget.month.between(first, last))
        .order_by(Budget.entity_id, Budget.month, Budget.account)
    )
    with store.session() as s:
        return list(s.scalars(query))
