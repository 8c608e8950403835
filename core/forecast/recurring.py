"""Recurring cash items the owner declares: add (every problem listed, nothing written), list,
remove, and the days each one falls on."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, select

from core.auth.dashboard_users import UserScope
from core.errors import Invalid, NotFound
from core.forecast.access import authorize_edit, authorize_read, visible
from core.forecast.values import cents_of, iso_day, money, to_dollars, weekday
from core.ledger.models import ROOTS, Entity
from core.ledger.models_forecast import RecurringCashItem
from core.ledger.revision import bump_revision
from core.ledger.store import LedgerStore
from core.metrics.finance import is_cash_account

EVERY = ("week", "month")


@dataclass(frozen=True)
class RecurringItem:
    """A declared cash movement: ``amount`` signed (+ in, - out) every week or month."""

    id: int | None
    entity_id: str
    name: str
    account: str
    amount: Decimal
    every: str  # week | month
    weekday: int | None  # 0 = Monday, when every week
    day: int | None  # 1-31 clamped to the month's end, when every month
    starts: date
    ends: date | None = None

    def occurrences(self, first: date, last: date) -> list[date]:
        """The days in ``first``..``last`` (inclusive) this item falls on."""
        first = max(first, self.starts)
        last = min(last, self.ends) if self.ends else last
        if first > last:
            return []
        if self.every == "week":
            wd = self.starts.weekday() if self.weekday is None else self.weekday
            day = first + timedelta(days=(wd - first.weekday()) % 7)
            out = []
            while day <= last:
                out.append(day)
                day += timedelta(days=7)
            return out
        want = self.day or self.starts.day
        out = []
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            day = date(year, month, min(want, calendar.monthrange(year, month)[1]))
            if first <= day <= last:
                out.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _item(row: RecurringCashItem) -> RecurringItem:
    return RecurringItem(
        id=row.id,
        entity_id=row.entity_id,
        name=row.name,
        account=row.account,
        amount=to_dollars(row.amount_cents),
        every=row.every,
        weekday=row.weekday,
        day=row.day,
        starts=row.starts,
        ends=row.ends,
    )


def account_problem(account: str) -> str | None:
    """Why ``account`` cannot carry a forecast flow (None when it can)."""
    parts = account.split(":")
    if not account.strip() or any(not p.strip() for p in parts):
        return f"account {account!r} must be a colon path like Expenses:Payroll"
    if parts[0] not in ROOTS:
        return f"account {account!r} must start with one of {', '.join(ROOTS)}"
    if is_cash_account(account):
        return f"account {account!r} is a cash account: give the other side (e.g. Expenses:Rent)"
    return None


def recurring_problems(
    *,
    name: str,
    account: str,
    amount: object,
    every: str,
    weekday_text: object | None,
    day: object | None,
    starts: object,
    ends: object | None,
) -> tuple[list[str], dict[str, object]]:
    """Every problem of a recurring item's input, and its parsed values."""
    problems: list[str] = []
    if not name.strip():
        problems.append("--name is empty")
    if (why := account_problem(account)) is not None:
        problems.append(why)
    cash = money(amount, "--amount", problems)
    if cash is not None and cash == 0:
        problems.append("--amount must not be 0 (+ money in, - money out)")
    if every not in EVERY:
        problems.append(f"--every {every!r} must be week or month")
    wd = None if weekday_text is None else weekday(weekday_text, problems)
    dom: int | None = None
    if day is not None:
        try:
            dom = int(str(day))
        except ValueError:
            dom = 0
        if not 1 <= dom <= 31:
            problems.append(f"--day {day!r} must be a day of the month, 1-31")
    if every == "week" and day is not None:
        problems.append("--day goes with --every month; a weekly item takes --weekday")
    if every == "month" and weekday_text is not None:
        problems.append("--weekday goes with --every week; a monthly item takes --day")
    first = iso_day(starts, "--starts", problems)
    last = None if ends is None else iso_day(ends, "--ends", problems)
    if first and last and last < first:
        problems.append(f"--ends {last} is before --starts {first}")
    values = {
        "name": name.strip(),
        "account": account.strip(),
        "amount": cash,
        "every": every,
        "weekday": wd,
        "day": dom,
        "starts": first,
        "ends": last,
    }
    return problems, values


def add_recurring(
    store: LedgerStore,
    reader: UserScope,
    *,
    entity_id: str,
    name: str,
    account: str,
    amount: object,
    every: str,
    weekday: object | None = None,
    day: object | None = None,
    starts: object,
    ends: object | None = None,
    now: datetime | None = None,
) -> RecurringItem:
    """Declare a recurring item for ``entity_id``; Invalid lists every problem (nothing written)."""
    authorize_edit(reader, entity_id)
    problems, v = recurring_problems(
        name=name,
        account=account,
        amount=amount,
        every=every,
        weekday_text=weekday,
        day=day,
        starts=starts,
        ends=ends,
    )
    with store.session() as s:
        if s.get(Entity, entity_id) is None:
            problems.insert(0, f"unknown entity {entity_id!r}")
        if problems:
            raise Invalid("the recurring item was not saved", problems=problems)
        row = RecurringCashItem(
            entity_id=entity_id,
            name=str(v["name"]),
            account=str(v["account"]),
            amount_cents=cents_of(v["amount"]),  # type: ignore[arg-type]
            every=str(v["every"]),
            weekday=v["weekday"],  # type: ignore[arg-type]
            day=v["day"],  # type: ignore[arg-type]
            starts=v["starts"],  # type: ignore[arg-type]
            ends=v["ends"],  # type: ignore[arg-type]
            created_by=reader.email,
            created_at=now or datetime.now(UTC),
        )
        s.add(row)
        bump_revision(s.connection())  # cached forecasts key on the revision
        s.commit()
        s.refresh(row)
    return _item(row)


def recurring_of(store: LedgerStore, entity_ids: Sequence[str]) -> list[RecurringItem]:
    """The recurring items of ``entity_ids`` (no access check: the caller scoped the ids)."""
    if not entity_ids:
        return []
    q = (
        select(RecurringCashItem)
        .where(RecurringCashItem.entity_id.in_(list(entity_ids)))
        .order_by(RecurringCashItem.entity_id, RecurringCashItem.id)
    )
    with store.session() as s:
        return [_item(r) for r in s.exec(q).scalars()]  # type: ignore[call-overload]


def list_recurring(
    store: LedgerStore, reader: UserScope, entity_id: str | None = None
) -> list[RecurringItem]:
    """The recurring items the reader may see, of one entity or of all."""
    if entity_id is None:
        return recurring_of(store, visible(reader, [e.id for e in store.list_entities()]))
    store.get_entity(entity_id)  # NotFound for an unknown id
    authorize_read(reader, entity_id)
    wanted = [entity_id]
    return recurring_of(store, wanted)


def remove_recurring(store: LedgerStore, reader: UserScope, item_id: int) -> RecurringItem:
    """Remove one recurring item (NotFound when unknown, Forbidden outside the reader's scope)."""
    with store.session() as s:
        row = s.get(RecurringCashItem, item_id)
        if row is None:
            raise NotFound(f"no recurring item {item_id}")
        authorize_edit(reader, row.entity_id)
        s.exec(delete(RecurringCashItem).where(RecurringCashItem.id == item_id))  # type: ignore[call-overload]
        bump_revision(s.connection())
        s.commit()
    return _item(row)
