"""The demo portfolio: deterministic, balanced, seasonal, with deferrals and intercompany."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.demo import ENTITIES, generate, seed_demo
from core.errors import Conflict
from core.ledger.store import LedgerStore
from core.metrics.finance import FinanceSeries

TODAY = date(2026, 11, 24)


@pytest.fixture
def seeded(store: LedgerStore) -> LedgerStore:
    seed_demo(store, months=24, today=TODAY)
    return store


def test_same_arguments_give_the_same_ledger() -> None:
    def digest() -> list[tuple]:
        return [
            (e.entity_id, e.date, e.description, tuple(e.lines))
            for _, batch in generate(months=6, scale=1, today=TODAY)
            for e in batch
        ]

    assert digest() == digest()


def test_six_entities_all_months_and_nothing_after_today(seeded: LedgerStore) -> None:
    assert {e.id for e in seeded.list_entities()} == {e[0] for e in ENTITIES}
    assert seeded.has_demo_data()
    assert seeded.last_entry_date() == TODAY
    rows = seeded.monthly_rows([e[0] for e in ENTITIES])
    assert min(r.month for r in rows) == 202412
    assert max(r.month for r in rows) == 202611
    assert seeded.rollup_matches_lines()


def test_charters_peak_in_summer_and_deposits_are_deferred(seeded: LedgerStore) -> None:
    s = FinanceSeries.from_rows(seeded.monthly_rows(["QueenofSanDiego"]), consolidated=False)
    assert s.revenue(202607) > 2 * s.revenue(202601)
    assert s.deferred_revenue(202611) > 0  # deposits for trips not yet sailed


def test_consolidation_removes_intercompany_lease(seeded: LedgerStore) -> None:
    ids = [e[0] for e in ENTITIES]
    rows = seeded.monthly_rows(ids)
    whole = FinanceSeries.from_rows(rows, consolidated=True)
    parts = sum(
        FinanceSeries.from_rows([r for r in rows if r.entity_id == i], consolidated=False).revenue(
            202606
        )
        for i in ids
    )
    interco_income = -sum(
        r.cents for r in rows if r.month == 202606 and r.intercompany and r.root == "Income"
    )
    assert interco_income == 6_500_00 + 1_200_00  # the lease and the booking system
    assert whole.revenue(202606) == parts - interco_income


def test_targets_exist_after_the_first_year(seeded: LedgerStore) -> None:
    targets = seeded.targets("all")
    assert ("revenue", 202611) in targets
    assert ("revenue", 202412) not in targets  # no prior year to grow from


def test_refuses_a_non_empty_ledger_unless_forced(seeded: LedgerStore) -> None:
    before = seeded.line_count()
    with pytest.raises(Conflict):
        seed_demo(seeded, months=24, today=TODAY)
    assert seeded.line_count() == before
    seed_demo(seeded, months=24, today=TODAY, force=True)
    assert seeded.line_count() == before  # replaced, not doubled


def test_scale_multiplies_volume(store: LedgerStore, tmp_path: Path) -> None:
    small = seed_demo(store, months=3, today=TODAY)
    big_store = LedgerStore(f"sqlite:///{tmp_path}/big.db")
    big = seed_demo(big_store, months=3, scale=4, today=TODAY)
    assert big.lines > 3 * small.lines
