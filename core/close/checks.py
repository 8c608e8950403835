"""The close checks of one entity and month: each passes, fails, warns or does not apply,
with the evidence a reviewer drills into.

Checks (ids are public: ``close status --format json``):
``bank_statements``  every bank and card account has statement lines (CSV import or a sync)
                     through the month's last day;
``stripe_payouts``   every Stripe payout of the month has its bank deposit (same amount within
                     3 days);
``cloud_cost``       the month's cloud cost is posted (when the entity has a cost source);
``trial_balance``    the entity's books balance (debits = credits) through the month;
``uncategorized``    no uncategorized lines dated in the month;
``deferred_revenue`` no deposit for a trip already past left unrecognised;
``receivables``      invoices over 60 days past due at the month's end (a warning only).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select

from core.close.checks_revenue import check_deferred_revenue, check_receivables
from core.close.result import (
    FAIL,
    PASS,
    SKIP,
    WARN,
    CheckResult,
    accounts_of,
    check_result,
    failing,
    plural,
)
from core.ledger.models import Account, JournalEntry, JournalLine, MonthlyTotal
from core.ledger.models_tech import CloudCost
from core.ledger.sql import path_ends_with, path_under
from core.ledger.store import LedgerStore
from core.periods import last_day, month_add

# sources that are not a statement: typed by hand or posted by a record form
NOT_STATEMENT = ("manual", "records")
STATEMENT_ROOTS = ("Assets:Bank", "Liabilities:CreditCard")
STRIPE_BALANCE = "Assets:Cash:Stripe"  # where every Stripe balance transaction posts
PAYOUT_DAYS = 3  # a payout reaches the bank within this many days


def _statement_accounts(conn: Any, entity_id: str) -> dict[int, str]:
    roots = [path_under(Account.path, root) for root in STATEMENT_ROOTS]
    return accounts_of(conn, entity_id, or_(*roots))


def _statement_lines(account_ids: Sequence[int]) -> Any:
    """Lines of statement sources on the given accounts (join of lines and entries)."""
    return (
        select(JournalLine.account_id, JournalEntry.date, JournalLine.amount_cents)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalLine.account_id.in_(account_ids),
            JournalEntry.source.not_in(NOT_STATEMENT),  # type: ignore[attr-defined]
        )
    )


def check_bank_statements(conn: Any, entity_id: str, month: int) -> CheckResult:
    """Every bank and card account has statement lines through the month's last day."""
    title = "Bank and card statements imported through month end"
    accounts = _statement_accounts(conn, entity_id)
    if not accounts:
        return check_result("bank_statements", title, SKIP, "no bank or card account")
    end = last_day(month)
    evidence = []
    for account_id, path in sorted(accounts.items(), key=lambda kv: kv[1]):
        later = conn.scalar(
            select(
                exists(
                    _statement_lines([account_id]).where(JournalLine.month > month)  # type: ignore[arg-type]
                )
            )
        )
        through = end if later else None
        if through is None:
            through = conn.scalar(
                select(func.max(JournalEntry.date))
                .select_from(JournalLine)
                .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
                .where(
                    JournalLine.account_id == account_id,
                    JournalLine.month == month,
                    JournalEntry.source.not_in(NOT_STATEMENT),  # type: ignore[attr-defined]
                )
            )
        ok = through is not None and through >= end
        evidence.append(
            {
                "account": path,
                "through": through.isoformat() if through else None,
                "ok": ok,
            }
        )
    short = [e for e in evidence if not e["ok"]]
    if short:
        names = ", ".join(e["account"] for e in short)
        return check_result(
            "bank_statements", title, FAIL, f"statements stop before {end}: {names}", short
        )
    return check_result(
        "bank_statements",
        title,
        PASS,
        f"{plural(len(evidence), 'account')} through {end}",
        evidence,
    )


def check_stripe_payouts(conn: Any, entity_id: str, month: int) -> CheckResult:
    """Every Stripe payout of the month has a bank deposit of the same amount within 3 days."""
    title = "Stripe payouts matched to bank deposits"
    banks = accounts_of(conn, entity_id, path_under(Account.path, "Assets:Bank"))
    # the Stripe balance account exists once a sync posted: cheaper than scanning the entries
    uses_stripe = accounts_of(conn, entity_id, Account.path == STRIPE_BALANCE)
    if not uses_stripe or not banks:
        return check_result("stripe_payouts", title, SKIP, "no Stripe account")
    lines = (
        select(JournalEntry.id, JournalEntry.date, JournalLine.amount_cents, JournalEntry.source)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalLine.account_id.in_(list(banks)), JournalLine.amount_cents > 0)
    )
    payouts = list(
        conn.execute(
            lines.where(JournalLine.month == month, JournalEntry.source == "stripe").order_by(
                JournalEntry.date, JournalEntry.id
            )
        )
    )
    deposits = list(
        conn.execute(
            lines.where(
                JournalLine.month.in_([month, month_add(month, 1)]),  # type: ignore[attr-defined]
                JournalEntry.source.not_in(("stripe", *NOT_STATEMENT)),  # type: ignore[attr-defined]
            ).order_by(JournalEntry.date, JournalEntry.id)
        )
    )
    used: set[int] = set()
    missing = []
    for p in payouts:
        match = next(
            (
                d
                for d in deposits
                if d.id not in used
                and d.amount_cents == p.amount_cents
                and p.date <= d.date <= p.date + timedelta(days=PAYOUT_DAYS)
            ),
            None,
        )
        if match is None:
            missing.append(
                {"entry_id": p.id, "date": p.date.isoformat(), "amount_cents": p.amount_cents}
            )
        else:
            used.add(match.id)
    if missing:
        return check_result(
            "stripe_payouts",
            title,
            FAIL,
            f"{len(missing)} of {len(payouts)} payouts have no bank deposit within "
            f"{PAYOUT_DAYS} days",
            missing,
        )
    return check_result("stripe_payouts", title, PASS, f"{plural(len(payouts), 'payout')} matched")


def check_cloud_cost(conn: Any, entity_id: str, month: int) -> CheckResult:
    """The month's cloud cost is posted, when the entity has a cost source at all."""
    title = "Cloud cost posted"
    c = CloudCost
    has_source = conn.scalar(select(exists().where(c.entity_id == entity_id)))
    if not has_source:
        return check_result("cloud_cost", title, SKIP, "no cloud cost source")
    rows = list(
        conn.execute(
            select(c.service, c.cost_cents, c.source).where(
                c.entity_id == entity_id, c.month == month
            )
        )
    )
    evidence = [
        {"service": r.service, "cost_cents": r.cost_cents, "source": r.source} for r in rows
    ]
    if not rows:
        return check_result("cloud_cost", title, FAIL, "no cloud cost lines for the month")
    total = sum(r.cost_cents for r in rows)
    return check_result(
        "cloud_cost", title, PASS, f"{plural(len(rows), 'service')}, ${total / 100:,.2f}", evidence
    )


def check_trial_balance(conn: Any, entity_id: str, month: int) -> CheckResult:
    """Debits equal credits over the entity's books through the month (from the rollup)."""
    title = "Trial balance difference is zero"
    t = MonthlyTotal
    diff = conn.scalar(
        select(func.coalesce(func.sum(t.amount_cents), 0)).where(
            t.entity_id == entity_id, t.month <= month
        )
    )
    diff = int(diff or 0)
    if diff:
        return check_result(
            "trial_balance",
            title,
            FAIL,
            f"debits and credits differ by ${diff / 100:,.2f}",
            [{"difference_cents": diff}],
        )
    return check_result("trial_balance", title, PASS, "debits equal credits")


def check_uncategorized(conn: Any, entity_id: str, month: int) -> CheckResult:
    """No line on an ``*:Uncategorized`` account dated in the month."""
    title = "No uncategorized lines"
    queue = accounts_of(conn, entity_id, path_ends_with(Account.path, ":Uncategorized"))
    rows = (
        list(
            conn.execute(
                select(
                    JournalLine.id,
                    JournalLine.account_id,
                    JournalEntry.date,
                    JournalEntry.description,
                    JournalLine.amount_cents,
                )
                .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
                .where(JournalLine.account_id.in_(list(queue)), JournalLine.month == month)
                .order_by(JournalEntry.date, JournalLine.id)
            )
        )
        if queue
        else []
    )
    evidence = [
        {
            "line_id": r.id,
            "account": queue[r.account_id],
            "date": r.date.isoformat(),
            "description": r.description,
            "amount_cents": r.amount_cents,
        }
        for r in rows
    ]
    if rows:
        return check_result(
            "uncategorized", title, FAIL, f"{plural(len(rows), 'uncategorized line')}", evidence
        )
    return check_result("uncategorized", title, PASS, "every line has a category")


CONN_CHECKS: tuple[Callable[[Any, str, int], CheckResult], ...] = (
    check_bank_statements,
    check_stripe_payouts,
    check_cloud_cost,
    check_trial_balance,
    check_uncategorized,
    check_deferred_revenue,
)


def run_checks(store: LedgerStore, entity_id: str, month: int) -> list[CheckResult]:
    """Every close check of ``entity_id`` for ``month`` (yyyymm), in the documented order."""
    with store.engine.connect() as conn:
        results = [check(conn, entity_id, month) for check in CONN_CHECKS]
    return [*results, check_receivables(store, entity_id, month)]


__all__ = [  # the result's names, for the callers of the checks
    "FAIL",
    "PASS",
    "SKIP",
    "WARN",
    "CheckResult",
    "failing",
    "plural",
    "run_checks",
]
