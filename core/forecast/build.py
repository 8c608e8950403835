"""Build the weekly cash forecast of an entity (or of every entity the reader may see).

Week k covers ``as_of + 1 + 7(k-1)`` .. ``as_of + 7k``. What flows: the declared recurring items,
the open client invoices by due date and rent from running leases (owed before the horizon:
week 1), and a baseline for the rest (the mean weekly cash moved per counter-account over the
13 weeks ending ``as_of`` that the items do not cover). A scenario then scales flows and adds
one-offs. Every item keeps its source, so every number traces back to where it comes from.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.auth.dashboard_users import UserScope
from core.errors import Invalid
from core.forecast.model import ZERO, Forecast, ForecastItem, ForecastWeek, Scenario
from core.forecast.reads import (
    cash_account_ids,
    cash_by_counter_account,
    invoices_due,
    leases_running,
    opening_cash,
    rent_open,
)
from core.forecast.recurring import RecurringItem, recurring_of
from core.forecast.values import CENT, to_dollars
from core.ledger.models_records import Invoice, Lease
from core.ledger.store import LedgerStore
from core.records.store import entities_with
from core.reports.scope import resolve_scope

MAX_WEEKS = 52
HISTORY_WEEKS = 13  # the baseline's window, ending on as_of
# an entity with client invoices or leases has its receivables forecast from those records,
# so collections on this account are not in its baseline
RECEIVABLE = "Assets:AccountsReceivable"


def horizon(as_of: date, weeks: int) -> list[tuple[date, date]]:
    """The (first, last) day of each week after ``as_of``."""
    return [
        (as_of + timedelta(days=1 + 7 * k), as_of + timedelta(days=7 * (k + 1)))
        for k in range(weeks)
    ]


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ":")


def recurring_items(items: Iterable[RecurringItem], first: date, last: date) -> list[ForecastItem]:
    """Each declared item on each day it falls on in ``first``..``last``."""
    return [
        ForecastItem(day, r.amount, r.account, "recurring", r.name, r.entity_id)
        for r in items
        for day in r.occurrences(first, last)
    ]


def receivable_items(
    store: LedgerStore, ids: tuple[str, ...], as_of: date, first: date, last: date
) -> list[ForecastItem]:
    """Open invoices on their due dates and rent on its due days; what was due by ``as_of``
    and is still owed lands on the first day of week 1."""
    out = [
        ForecastItem(
            max(d.day, first), to_dollars(d.cents), d.account, "invoice", d.label, d.entity_id
        )
        for d in invoices_due(store, ids, as_of)
        if d.day <= last
    ]
    charged = rent_open(store, ids, as_of, last)
    leases = leases_running(store, ids, first, last)
    names = {lease.id: f"Rent, unit {lease.unit_id} ({lease.tenant})" for lease in leases}
    entity_of = {lease.id: lease.entity_id for lease in leases}
    for (lease_id, _month), (due, cents) in sorted(charged.items()):
        if cents and lease_id in entity_of:
            label = names[lease_id] + (" (overdue)" if due <= as_of else "")
            out.append(
                ForecastItem(
                    max(due, first),
                    to_dollars(cents),
                    "Income:Rent",
                    "lease",
                    label,
                    entity_of[lease_id],
                )
            )
    for lease in leases:
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            due = date(year, month, min(lease.due_day, calendar.monthrange(year, month)[1]))
            if (
                first <= due <= last
                and lease.start <= due <= lease.end
                and (lease.id, year * 100 + month) not in charged
            ):
                out.append(
                    ForecastItem(
                        due,
                        to_dollars(lease.rent_cents),
                        "Income:Rent",
                        "lease",
                        names[lease.id],
                        lease.entity_id,
                    )
                )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def baseline_items(
    moved: Mapping[tuple[str, str], int],
    covered: Mapping[str, set[str]],
    weeks: list[tuple[date, date]],
) -> list[ForecastItem]:
    """For each (entity, counter-account) not covered (``covered``: accounts by entity, a
    declared item's or the receivables forecast from records),
    its mean weekly cash movement over the history, once per week (dated its first day)."""
    out = []
    for (eid, path), cents in sorted(moved.items()):
        if any(_under(path, a) for a in covered.get(eid, ())):
            continue
        weekly = (Decimal(cents) / 100 / HISTORY_WEEKS).quantize(CENT, rounding=ROUND_HALF_UP)
        if weekly:
            label = f"Baseline: mean weekly of the last {HISTORY_WEEKS} weeks"
            out.extend(
                ForecastItem(start, weekly, path, "baseline", label, eid) for start, _ in weeks
            )
    return out


def apply_scenario(
    items: list[ForecastItem], scenario: Scenario, entity_id: str, first: date, last: date
) -> list[ForecastItem]:
    """``items`` with the scenario's adjusts applied (compounded) and its one-offs added
    (``entity_id`` on the one-offs); one-offs outside the horizon are left out."""
    out = []
    for item in items:
        amount = item.amount
        for adjust in scenario.adjusts:
            if adjust.applies(item):
                amount = amount * (1 + adjust.pct / 100)
        if amount != item.amount:
            amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
            item = ForecastItem(
                item.date,
                amount,
                item.account,
                item.source,
                item.label + " (scenario)",
                item.entity_id,
            )
        out.append(item)
    for one in scenario.one_offs:
        if first <= one.day <= last:
            label = one.label or "One-off"
            out.append(ForecastItem(one.day, one.amount, "", "one-off", label, entity_id))
    return out


def weekly(
    opening: Decimal, items: Iterable[ForecastItem], weeks: list[tuple[date, date]]
) -> tuple[ForecastWeek, ...]:
    """The items summed into their weeks, with each week's closing cash."""
    if not weeks:
        return ()
    first = weeks[0][0]
    buckets: list[list[ForecastItem]] = [[] for _ in weeks]
    for item in items:
        buckets[(item.date - first).days // 7].append(item)
    out, closing = [], opening
    for (start, end), bucket in zip(weeks, buckets, strict=True):
        bucket.sort(key=lambda i: (i.date, i.source, i.account, i.label))
        inflow = sum((i.amount for i in bucket if i.amount > 0), ZERO)
        outflow = sum((i.amount for i in bucket if i.amount < 0), ZERO)
        closing = closing + inflow + outflow
        out.append(
            ForecastWeek(start, end, inflow, outflow, inflow + outflow, closing, tuple(bucket))
        )
    return tuple(out)


def build_forecast(
    store: LedgerStore,
    reader: UserScope,
    entity: str,
    as_of: date,
    weeks: int = 13,
    scenario: Scenario | None = None,
    *,
    by_entity: Mapping[str, Scenario] | None = None,
) -> Forecast:
    """The cash forecast of ``entity`` (an id or ``all``: every entity the reader may see,
    intercompany left out) for ``weeks`` weeks after ``as_of``; ``scenario`` applies to every
    entity, ``by_entity`` (saved scenarios) each to its own entity's items."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise Invalid(f"--weeks {weeks} must be 1-{MAX_WEEKS}")
    scope = resolve_scope(
        store, entity=entity, period=as_of.year * 100 + as_of.month, allowed=reader.entities
    )
    ids, consolidated = scope.entity_ids, scope.consolidated
    spans = horizon(as_of, weeks)
    first, last = spans[0][0], spans[-1][1]
    cash_ids = cash_account_ids(store, ids)
    opening = to_dollars(opening_cash(store, ids, cash_ids, as_of, consolidated))
    declared = recurring_of(store, ids)
    covered: dict[str, set[str]] = {
        eid: {RECEIVABLE}
        for eid in {*entities_with(store, Invoice, ids), *entities_with(store, Lease, ids)}
    }
    for r in declared:
        covered.setdefault(r.entity_id, set()).add(r.account)
    history = as_of - timedelta(days=7 * HISTORY_WEEKS - 1)
    moved = cash_by_counter_account(store, cash_ids, history, as_of, consolidated)
    items = [
        *recurring_items(declared, first, last),
        *receivable_items(store, ids, as_of, first, last),
        *baseline_items(moved, covered, spans),
    ]
    for eid, own in (by_entity or {}).items():
        mine = [i for i in items if i.entity_id == eid]
        rest = [i for i in items if i.entity_id != eid]
        items = rest + apply_scenario(mine, own, eid, first, last)
    if scenario is not None:
        items = apply_scenario(items, scenario, scope.entity, first, last)
    shown = scenario if scenario is not None else _merged(by_entity)
    return Forecast(scope.entity, as_of, opening, weekly(opening, items, spans), shown, ids)


def _merged(by_entity: Mapping[str, Scenario] | None) -> Scenario | None:
    """One scenario showing every entity's saved one (for the report's title)."""
    if not by_entity:
        return None
    parts = list(by_entity.values())
    return Scenario(
        parts[0].name,
        tuple(a for s in parts for a in s.adjusts),
        tuple(o for s in parts for o in s.one_offs),
    )
