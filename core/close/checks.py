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

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select

from core.ledger.models import Account, JournalEntry, JournalLine, MonthlyTotal
from core.ledger.models_tech import CloudCost
from core.ledger.sql import path_ends_with, path_under
from core.ledger.store import LedgerStore
from core.periods import last_day, month_add
from core.records.billing_queries import open_invoices_on

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"
# sources that are not a statement: typed by hand or posted by a record form
NOT_STATEMENT = ("manual", "records")
STATEMENT_ROOTS = ("Assets:Bank", "Liabilities:CreditCard")
DEFERRED = "Liabilities:DeferredRevenue"
PAYOUT_DAYS = 3  # a payout reaches the bank within this many days
AR_DAYS = 60
# a deposit's trip day is read from its memo ("trip 2026-05-14"); without one the trip is taken
# to be at most this long after the deposit (charters book 10 to 60 days ahead)
DEPOSIT_HORIZON = timedelta(days=90)
_TRIP = re.compile(r"\btrip (\d{4}-\d{2}-\d{2})\b")
EVIDENCE_SHOWN = 50  # rows of evidence kept per check (the count is always whole)


@dataclass(frozen=True)
class CheckResult:
    """One check of one entity and month: its status, a one-line summary and the evidence."""

    id: str
    title: str
    status: str
    summary: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    evidence_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``close status``."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "summary": self.summary,
            "evidence_count": self.evidence_count,
            "evidence": self.evidence,
        }


def _result(
    cid: str, title: str, status: str, summary: str, evidence: Sequence[dict[str, Any]] = ()
) -> CheckResult:
    rows = list(evidence)
    return CheckResult(cid, title, status, summary, rows[:EVIDENCE_SHOWN], len(rows))


def _accounts(conn: Any, entity_id: str, *where: Any) -> dict[int, str]:
    q = select(Account.id, Account.path).where(Account.entity_id == entity_id, *where)
    return {row.id: row.path for row in conn.execute(q)}


def _statement_accounts(conn: Any, entity_id: str) -> dict[int, str]:
    roots = [path_under(Account.path, root) for root in STATEMENT_ROOTS]
    return _accounts(conn, entity_id, or_(*roots))


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
        return _result("bank_statements", title, SKIP, "no bank or card account")
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
        return _result(
            "bank_statements", title, FAIL, f"statements stop before {end}: {names}", short
        )
    return _result(
        "bank_statements", title, PASS, f"{len(evidence)} accounts through {end}", evidence
    )


def check_stripe_payouts(conn: Any, entity_id: str, month: int) -> CheckResult:
    """Every Stripe payout of the month has a bank deposit of the same amount within 3 days."""
    title = "Stripe payouts matched to bank deposits"
    banks = _accounts(conn, entity_id, path_under(Account.path, "Assets:Bank"))
    uses_stripe = conn.scalar(
        select(exists().where(JournalEntry.entity_id == entity_id, JournalEntry.source == "stripe"))
    )
    if not uses_stripe or not banks:
        return _result("stripe_payouts", title, SKIP, "no Stripe account")
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
        return _result(
            "stripe_payouts",
            title,
            FAIL,
            f"{len(missing)} of {len(payouts)} payouts have no bank deposit within "
            f"{PAYOUT_DAYS} days",
            missing,
        )
    return _result("stripe_payouts", title, PASS, f"{len(payouts)} payouts matched")


def check_cloud_cost(conn: Any, entity_id: str, month: int) -> CheckResult:
    """The month's cloud cost is posted, when the entity has a cost source at all."""
    title = "Cloud cost posted"
    c = CloudCost
    has_source = conn.scalar(select(exists().where(c.entity_id == entity_id)))
    if not has_source:
        return _result("cloud_cost", title, SKIP, "no cloud cost source")
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
        return _result("cloud_cost", title, FAIL, "no cloud cost lines for the month")
    total = sum(r.cost_cents for r in rows)
    return _result(
        "cloud_cost", title, PASS, f"{len(rows)} services, ${total / 100:,.2f}", evidence
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
        return _result(
            "trial_balance",
            title,
            FAIL,
            f"debits and credits differ by ${diff / 100:,.2f}",
            [{"difference_cents": diff}],
        )
    return _result("trial_balance", title, PASS, "debits equal credits")


def check_uncategorized(conn: Any, entity_id: str, month: int) -> CheckResult:
    """No line on an ``*:Uncategorized`` account dated in the month."""
    title = "No uncategorized lines"
    queue = _accounts(conn, entity_id, path_ends_with(Account.path, ":Uncategorized"))
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
        return _result("uncategorized", title, FAIL, f"{len(rows)} uncategorized lines", evidence)
    return _result("uncategorized", title, PASS, "every line has a category")


def trip_day(deposit_day: date, memo: str) -> date:
    """The trip a deposit pays for: ``trip YYYY-MM-DD`` in its memo, else the horizon."""
    if match := _TRIP.search(memo or ""):
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    return deposit_day + DEPOSIT_HORIZON


def check_deferred_revenue(conn: Any, entity_id: str, month: int) -> CheckResult:
    """No deposit for a trip already past is still deferred at the month's end."""
    title = "Deposits of past trips recognised"
    deferred = _accounts(conn, entity_id, path_under(Account.path, DEFERRED))
    if not deferred:
        return _result("deferred_revenue", title, SKIP, "no deferred revenue account")
    end = last_day(month)
    rows = conn.execute(
        select(
            JournalEntry.id,
            JournalEntry.date,
            JournalEntry.description,
            JournalEntry.memo,
            JournalLine.amount_cents,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalLine.account_id.in_(list(deferred)), JournalLine.month <= month)
        .order_by(JournalEntry.date, JournalEntry.id)
    )
    open_deposits: dict[int, list[Any]] = {}  # amount -> deposits not yet recognised, oldest first
    for r in rows:
        if r.amount_cents < 0:
            open_deposits.setdefault(-r.amount_cents, []).append(r)
        elif waiting := open_deposits.get(r.amount_cents):
            waiting.pop(0)  # a recognition clears the oldest deposit of the same amount
    late = [
        {
            "entry_id": r.id,
            "date": r.date.isoformat(),
            "description": r.description,
            "amount_cents": -r.amount_cents,
            "trip": trip_day(r.date, r.memo).isoformat(),
        }
        for waiting in open_deposits.values()
        for r in waiting
        if trip_day(r.date, r.memo) <= end
    ]
    late.sort(key=lambda e: (e["trip"], e["entry_id"]))
    if late:
        total = sum(e["amount_cents"] for e in late)
        return _result(
            "deferred_revenue",
            title,
            FAIL,
            f"{len(late)} deposits of past trips still deferred (${total / 100:,.2f})",
            late,
        )
    return _result("deferred_revenue", title, PASS, "no deposit of a past trip left deferred")


def check_receivables(store: LedgerStore, entity_id: str, month: int) -> CheckResult:
    """Invoices over 60 days past due at the month's end: listed as a warning, never a failure."""
    title = f"Receivables over {AR_DAYS} days past due"
    end = last_day(month)
    overdue = [
        o for o in open_invoices_on(store, [entity_id], [end])[end] if o.days_past_due > AR_DAYS
    ]
    evidence = [
        {
            "invoice": o.invoice.number,
            "client_id": o.invoice.client_id,
            "due_on": o.invoice.due_on.isoformat(),
            "days_past_due": o.days_past_due,
            "open_cents": o.open_cents,
        }
        for o in overdue
    ]
    if overdue:
        total = sum(o.open_cents for o in overdue)
        return _result(
            "receivables",
            title,
            WARN,
            f"{len(overdue)} invoices over {AR_DAYS} days past due (${total / 100:,.2f})",
            evidence,
        )
    return _result("receivables", title, PASS, f"no invoice over {AR_DAYS} days past due")


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


def failing(results: Sequence[CheckResult]) -> list[CheckResult]:
    """The checks that block a lock (warnings and skipped checks do not)."""
    return [r for r in results if r.status == FAIL]
