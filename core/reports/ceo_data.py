"""What the CEO report reads from the ledger beyond the monthly totals: old receivables and
each entity's revenue targets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select

from core.ledger.accounts import RECEIVABLE
from core.ledger.lines import LineQuery, debits_in_windows
from core.ledger.models import Target
from core.ledger.store import LedgerStore, TotalRow
from core.metrics.finance import FinanceSeries
from core.metrics.portfolio import Gap, revenue_gap
from core.metrics.receivables import owed_older_than_window
from core.periods import last_day
from core.reports.reads import Reads
from core.reports.scope import Scope

AR_AGE_DAYS = 60


def receivables_over_age(
    store: LedgerStore, rows: list[TotalRow], scope: Scope, month: int
) -> dict[str, int]:
    """Per entity, cents of receivables booked over 60 days before the month's end, unpaid."""
    return receivables_over_age_in(store, rows, scope, [month])[month]


def receivables_over_age_in(
    store: LedgerStore, rows: list[TotalRow], scope: Scope, months: Sequence[int]
) -> dict[int, dict[str, int]]:
    """``receivables_over_age`` of each of ``months``: the balances from the monthly totals,
    the recent debits of every month in one read of the lines."""
    balances: dict[int, dict[str, int]] = {}
    windows: list[tuple[date, date]] = []
    owed = [
        r
        for r in rows
        if (r.path == RECEIVABLE or r.path.startswith(RECEIVABLE + ":"))
        and not (scope.consolidated and r.intercompany)
    ]
    for month in months:
        balance: dict[str, int] = defaultdict(int)
        for r in owed:
            if r.month <= month:
                balance[r.entity_id] += r.cents
        balances[month] = {e: cents for e, cents in balance.items() if cents > 0}
        end = last_day(month)
        # booked on or after the first day: 60 days old or less
        windows.append((end - timedelta(days=AR_AGE_DAYS), end))
    recent = debits_in_windows(
        store,
        sorted({e for owing in balances.values() for e in owing}),
        LineQuery((RECEIVABLE,), exclude_intercompany=scope.consolidated),
        windows,
    )
    return {
        month: {e: owed_older_than_window(b, debits.get(e, 0)) for e, b in balances[month].items()}
        for month, debits in zip(months, recent, strict=True)
    }


def revenue_gaps(reads: Reads) -> list[Gap]:
    """Actual vs target revenue per entity (own books) and for the scope, month and YTD."""
    scope = reads.scope
    groups: list[tuple[str, str, FinanceSeries, str | None]] = [
        (eid, reads.names.get(eid, eid), reads.entity_series[eid], eid) for eid in scope.entity_ids
    ]
    if len(scope.entity_ids) > 1:
        groups.append((scope.entity, scope.name, reads.series, scope.target_key))
    targets = revenue_targets(reads.store, [key for *_, key in groups if key])
    return [
        revenue_gap(
            name,
            total=eid == scope.entity and len(scope.entity_ids) > 1,
            series=series,
            targets=targets.get(key, {}) if key else {},
            month=scope.period,
        )
        for eid, name, series, key in groups
    ]


def revenue_targets(
    store: LedgerStore, keys: Sequence[str]
) -> dict[str, dict[tuple[str, int], float]]:
    """The revenue targets of several entities (or ``all``) in one read, as ``store.targets``
    keys them, per entity key."""
    out: dict[str, dict[tuple[str, int], float]] = {key: {} for key in keys}
    q = select(Target.entity_id, Target.kpi_id, Target.month, Target.value).where(
        Target.entity_id.in_(list(keys)), Target.kpi_id == "revenue"
    )
    with store.engine.connect() as conn:
        for key, kpi, month, value in conn.execute(q):
            out[key][(kpi, month)] = value
    return out
