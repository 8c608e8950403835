"""What the CEO report reads: receivables over 60 days agree with a full FIFO replay."""

from __future__ import annotations

from datetime import date

from core.demo import seed_demo
from core.ledger.accounts import RECEIVABLE
from core.ledger.lines import LineQuery, find_lines
from core.ledger.store import LedgerStore
from core.metrics.receivables import older_than, open_items
from core.periods import last_day
from core.reports.ceo_data import receivables_over_age, receivables_over_age_in
from core.reports.scope import resolve_scope
from tests.conftest import entry


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


def test_ar_over_60_of_several_months_in_one_read_equals_each_month(store: LedgerStore) -> None:
    seed_demo(store, months=15, today=date(2026, 11, 20))
    # receivables larger than every payment the demo makes: old, and inside some windows
    store.post(
        [
            entry(e, day, f"owed {day}", (RECEIVABLE, cents), ("Income:Other", -cents))
            for e in ("51st-St", "ExpertYachtDelivery")
            for day, cents in (
                (date(2025, 6, 3), 700_000_000),
                (date(2025, 9, 20), 300_000_000),
                (date(2026, 7, 14), 1_100_000_000),
                (date(2026, 8, 10), 450_000_000),
            )
        ]
    )
    months = [202610, 202609, 202510, 202512]  # overlapping windows and a year apart
    for entity in ("all", "51st-St", "ExpertYachtDelivery"):
        scope = resolve_scope(store, entity=entity, period=202610)
        rows = store.monthly_rows(scope.entity_ids)
        together = receivables_over_age_in(store, rows, scope, months)
        each = {m: receivables_over_age(store, rows, scope, m) for m in months}
        assert together == each, entity
        # each window's own debits count: the months differ
        assert len({sum(together[m].values()) for m in months}) == 4, together
