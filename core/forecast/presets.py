"""Scenario presets: the page's plain what-ifs turned into the forecast's ``Adjust`` and
``OneOff`` values, each with a sentence saying what it changes.

- revenue of an account group up or down: ``Adjust(group, pct)`` over the whole horizon;
- a one-off cost on a date: ``OneOff(day, -amount)``;
- the rental vacant for N months: the rent (``Income:Rent``) at -100% from ``start`` for N
  months (the lease's rent and the baseline on that account alike);
- lose the charter weekends of a month: charter income (``Income:Charters``) of that month cut
  by the weekend share of charter income: the part of the last 12 months' charter income
  earned on Saturdays and Sundays (with no such history, the month's share of weekend days).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from core.errors import Invalid
from core.forecast.model import Adjust, OneOff, Scenario
from core.ledger.models import Account, JournalEntry, JournalLine
from core.ledger.sql import path_under
from core.ledger.store import LedgerStore
from core.periods import format_period, month_add, month_of

RENT = "Income:Rent"
CHARTERS = "Income:Charters"
PCT = Decimal("0.1")


@dataclass(frozen=True)
class Preset:
    """A what-if as forecast values, and what it does in words."""

    adjusts: tuple[Adjust, ...] = ()
    one_offs: tuple[OneOff, ...] = ()
    explain: str = ""


def revenue_change(group: str, pct: float | Decimal) -> Preset:
    """Every flow on ``group`` (e.g. ``Income:Charters``) up or down by ``pct`` percent."""
    value = Decimal(str(pct))
    if value < -100:
        raise Invalid(f"revenue cannot fall by more than 100% (got {value}%)")
    if not value:
        return Preset()
    word = "up" if value > 0 else "down"
    return Preset((Adjust(group, value),), explain=f"{group} {word} {abs(value)}%")


def one_off_cost(day: date, amount: float | Decimal, label: str = "") -> Preset:
    """A cost of ``amount`` dollars (positive) paid on ``day``."""
    cost = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if cost <= 0:
        raise Invalid(f"a one-off cost must be more than zero (got {cost})")
    name = label.strip() or "One-off cost"
    return Preset(
        one_offs=(OneOff(day, -cost, name),), explain=f"{name}: ${cost:,.2f} on {day.isoformat()}"
    )


def months_after(start: date, months: int) -> date:
    """The last day of the ``months`` months starting on ``start`` (same day-of-month less one)."""
    month = month_add(month_of(start), months)
    year, m = divmod(month, 100)
    day = min(start.day, calendar.monthrange(year, m)[1])
    return date(year, m, day) - timedelta(days=1)


def rental_vacant(months: int, *, start: date, account: str = RENT) -> Preset:
    """No rent on ``account`` for ``months`` months from ``start``."""
    if not 1 <= months <= 24:
        raise Invalid(f"the rental can be vacant for 1-24 months (got {months})")
    end = months_after(start, months)
    return Preset(
        (Adjust(account, Decimal(-100), start, end),),
        explain=(
            f"Rental vacant {start.isoformat()} to {end.isoformat()}: no {account} "
            f"({months} month{'s' if months > 1 else ''})"
        ),
    )


def weekend_share(
    store: LedgerStore, entity_ids: Sequence[str], first: date, last: date, account: str = CHARTERS
) -> Decimal | None:
    """The share (0-1) of income on ``account`` dated ``first``..``last`` that fell on a
    Saturday or Sunday, intercompany left out; None with no such income."""
    query = (
        select(JournalEntry.date, func.sum(JournalLine.amount_cents))
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.entity_id.in_(list(entity_ids)))
        .where(path_under(Account.path, account))
        .where(JournalLine.month.between(month_of(first), month_of(last)))
        .where(JournalEntry.date.between(first, last))
        .where(JournalLine.intercompany.is_(False))
        .group_by(JournalEntry.date)
    )
    with store.engine.connect() as conn:
        by_day = [(day, -int(cents)) for day, cents in conn.execute(query)]
    total = sum(cents for _, cents in by_day)
    if total <= 0:
        return None
    weekend = sum(cents for day, cents in by_day if day.weekday() >= 5)
    return Decimal(weekend) / Decimal(total)


def lose_charter_weekends(
    store: LedgerStore,
    entity_ids: Sequence[str],
    month: int,
    *,
    as_of: date,
    account: str = CHARTERS,
) -> Preset:
    """Charter income of ``month`` (yyyymm) cut by the weekend share of the 12 months to
    ``as_of``; with no charter income in them, by the month's share of weekend days."""
    year, m = divmod(month, 100)
    first = date(year, m, 1)
    last = date(year, m, calendar.monthrange(year, m)[1])
    share = weekend_share(store, entity_ids, as_of - timedelta(days=364), as_of, account)
    if share is None:
        days = [first + timedelta(days=k) for k in range(last.day)]
        share = Decimal(sum(1 for d in days if d.weekday() >= 5)) / Decimal(len(days))
        why = "weekend days of the month (no charter income in the last 12 months)"
    else:
        why = "charter income earned on weekends in the last 12 months"
    pct = (share * 100).quantize(PCT, rounding=ROUND_HALF_UP)
    return Preset(
        (Adjust(account, -pct, first, last),),
        explain=f"No weekend charters in {format_period(month)}: {account} -{pct}% ({why})",
    )


def combine(presets: Sequence[Preset], name: str | None = None) -> Scenario:
    """One scenario of every preset's adjusts and one-offs."""
    return Scenario(
        name=name,
        adjusts=tuple(a for p in presets for a in p.adjusts),
        one_offs=tuple(o for p in presets for o in p.one_offs),
    )
