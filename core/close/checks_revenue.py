"""The revenue checks of a close: deposits of past trips recognised, old receivables listed."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from core.close.result import FAIL, PASS, SKIP, WARN, CheckResult, accounts_of, check_result, plural
from core.ledger.models import Account, JournalEntry, JournalLine, MonthlyTotal
from core.ledger.sql import path_under
from core.ledger.store import LedgerStore
from core.periods import last_day, month_add
from core.records.billing_queries import open_invoices_on

DEFERRED = "Liabilities:DeferredRevenue"
AR_DAYS = 60
# a deposit's trip day is read from its memo ("trip 2026-05-14"); without one the trip is taken
# to be at most this long after the deposit (charters book 10 to 60 days ahead)
DEPOSIT_HORIZON = timedelta(days=90)
DEPOSIT_MONTHS = 12  # deposits of trips still ahead are read back this far
_TRIP = re.compile(r"\btrip (\d{4}-\d{2}-\d{2})\b")


def trip_day(deposit_day: date, memo: str) -> date:
    """The trip a deposit pays for: ``trip YYYY-MM-DD`` in its memo, else the horizon."""
    if match := _TRIP.search(memo or ""):
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    return deposit_day + DEPOSIT_HORIZON


def check_deferred_revenue(conn: Any, entity_id: str, month: int) -> CheckResult:
    """No deposit for a trip already past is still deferred at the month's end.

    The deferred balance at the month's end (from the rollup) must be covered by the deposits
    of trips still ahead, read from the last ``DEPOSIT_MONTHS`` months; what exceeds them is
    revenue of past trips left unrecognised. The evidence lists the latest deposits of past
    trips that make up the excess (the books do not link a deposit to its recognition).
    """
    title = "Deposits of past trips recognised"
    deferred = accounts_of(conn, entity_id, path_under(Account.path, DEFERRED))
    if not deferred:
        return check_result("deferred_revenue", title, SKIP, "no deferred revenue account")
    end = last_day(month)
    t = MonthlyTotal
    balance = -int(
        conn.scalar(
            select(func.coalesce(func.sum(t.amount_cents), 0)).where(
                t.account_id.in_(list(deferred)),
                t.month <= month,  # type: ignore[attr-defined]
            )
        )
        or 0
    )
    deposits = conn.execute(
        select(
            JournalEntry.id,
            JournalEntry.date,
            JournalEntry.description,
            JournalEntry.memo,
            JournalLine.amount_cents,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalLine.account_id.in_(list(deferred)),
            JournalLine.month.between(month_add(month, 1 - DEPOSIT_MONTHS), month),  # type: ignore[attr-defined]
            JournalLine.amount_cents < 0,
        )
        .order_by(JournalEntry.date.desc(), JournalEntry.id.desc())  # type: ignore[attr-defined]
    ).all()
    ahead = sum(-r.amount_cents for r in deposits if trip_day(r.date, r.memo) > end)
    excess = balance - ahead
    if excess <= 0:
        return check_result(
            "deferred_revenue", title, PASS, "no deposit of a past trip left deferred"
        )
    late, covered = [], 0
    for r in deposits:  # newest first: the deposits most likely still unrecognised
        if covered >= excess:
            break
        if trip_day(r.date, r.memo) <= end:
            covered += -r.amount_cents
            late.append(
                {
                    "entry_id": r.id,
                    "date": r.date.isoformat(),
                    "description": r.description,
                    "amount_cents": -r.amount_cents,
                    "trip": trip_day(r.date, r.memo).isoformat(),
                }
            )
    return check_result(
        "deferred_revenue",
        title,
        FAIL,
        f"${excess / 100:,.2f} of deposits for past trips still deferred "
        f"(balance ${balance / 100:,.2f}, trips ahead ${ahead / 100:,.2f})",
        late,
    )


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
        return check_result(
            "receivables",
            title,
            WARN,
            f"{plural(len(overdue), 'invoice')} over {AR_DAYS} days past due (${total / 100:,.2f})",
            evidence,
        )
    return check_result("receivables", title, PASS, f"no invoice over {AR_DAYS} days past due")
