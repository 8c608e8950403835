"""What the CEO report reads: receivables over 60 days agree with a full FIFO replay."""

from __future__ import annotations

from datetime import date

from core.demo import seed_demo
from core.ledger.accounts import RECEIVABLE
from core.ledger.lines import LineQuery, find_lines
from core.ledger.store import LedgerStore
from core.metrics.receivables import older_than, open_items
from core.periods import last_day
from core.reports.ceo_data import receivables_over_age
from core.reports.scope import resolve_scope


def test_ar_over_60_equals_a_full_fifo_on_the_demo(store: LedgerStore) -> None:
    seed_demo(store, months=15, today=date(2026, 11, 20))
    for entity in ("51st-St", "DangerousCentaur", "ExpertYachtDelivery"):
        scope = resolve_scope(store, entity=entity, period=202610)
        rows = store.monthly_rows([entity])
        for month in (202608, 202609, 202610):
            end = last_day(month)
            found = find_lines(
                store, [entity], LineQuery((RECEIVABLE,), month_to=month), limit=10**6
            )
            lines = [(x.date, x.cents) for x in found.lines if x.date <= end]
            fifo = older_than(open_items(lines), end, 60)
            assert receivables_over_age(store, rows, scope, month).get(entity, 0) == fifo, (
                entity,
                month,
            )
