"""Deterministic demo portfolio: six businesses, seasonality, deposits, intercompany, targets.

Same arguments -> same ledger (a seeded RNG; "today" is an argument). ``scale`` multiplies the
number of per-job transactions so benchmarks can reach millions of journal lines.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from core.assets.demo import seed_assets_demo
from core.demo_book import DemoBook
from core.demo_businesses import (
    OPENING_CASH,
    charters,
    consulting,
    deliveries,
    distributions,
    fixed_costs,
    intercompany,
    junk,
    rental,
    uncategorized,
)
from core.errors import Conflict, Invalid
from core.ledger.accounts import BANK
from core.ledger.models import Target
from core.ledger.store import LedgerStore, NewEntry
from core.marketing.demo import seed_marketing_demo
from core.metrics.finance import FinanceSeries
from core.periods import month_add, month_of, month_range
from core.records.demo import AuditDemo
from core.records.store import insert_records
from core.tech.demo import seed_tech_demo

SEED = 20261124

ENTITIES = [
    ("JADA", "JADA (sailing yacht)", "vessel"),
    ("QueenofSanDiego", "Queen of San Diego Charters", "sailing-charters"),
    ("QuickDumpNow", "QuickDumpNow", "junk-removal"),
    ("DangerousCentaur", "Dangerous Centaur", "software-consultancy"),
    ("51st-St", "3028 51st St", "rental-property"),
    ("ExpertYachtDelivery", "Expert Yacht Delivery", "yacht-delivery"),
]
TARGET_GROWTH = {"revenue": 1.08, "expenses": 1.03}
RUNWAY_TARGET_MONTHS = 12.0


@dataclass(frozen=True)
class SeedStats:
    """What a seed wrote."""

    entities: int
    entries: int
    lines: int
    first_month: int
    last_month: int


def generate(
    *, months: int, scale: int, today: date, audit: AuditDemo | None = None
) -> Iterator[tuple[int, list[NewEntry]]]:
    """Yield (month, entries) from the oldest month to today's; the business records behind
    the rental, delivery and consulting entries accumulate in ``audit`` (``audit.drain()``)."""
    rng = random.Random(SEED)
    last = month_of(today)
    audit = audit or AuditDemo(today=today, last=last)
    first = month_add(last, -(months - 1))
    cash: dict[str, int] = {}
    start = date(first // 100, first % 100, 1)
    for i, month in enumerate(month_range(first, last)):
        b = DemoBook(today, cash, start)
        growth = 1 + 0.012 * i
        if i == 0:
            for eid, cents in OPENING_CASH.items():
                b.add(
                    eid,
                    start,
                    "Opening balance",
                    [(BANK, cents), ("Equity:OpeningBalance", -cents)],
                )
        intercompany(b, month)
        charters(b, rng, month, scale)
        junk(b, rng, month, scale, growth)
        deliveries(b, rng, month, scale, audit)
        consulting(b, rng, month, scale, growth, audit)
        rental(b, rng, month, audit)
        fixed_costs(b, rng, month)
        uncategorized(b, rng, month, last)
        distributions(b, month)
        yield month, b.entries


def seed_demo(
    store: LedgerStore,
    *,
    months: int = 36,
    scale: int = 1,
    today: date,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SeedStats:
    """Write the demo portfolio; refuses a non-empty ledger unless ``force`` (demo data only)."""
    if not 1 <= months <= 120:
        raise Invalid("--months must be between 1 and 120")
    if not 1 <= scale <= 1000:
        raise Invalid("--scale must be between 1 and 1000")
    store.create_all()
    existing = store.list_entities()
    if existing and not force:
        raise Conflict("the ledger is not empty; pass --force to replace the demo entities")
    demo_ids = [e.id for e in existing if e.is_demo]
    clash = [e.id for e in existing if not e.is_demo and e.id in {x[0] for x in ENTITIES}]
    if clash:
        raise Conflict(f"entities {', '.join(clash)} hold your own data; demo not seeded")
    store.delete_entities(demo_ids)
    for eid, name, kind in ENTITIES:
        store.add_entity(id=eid, name=name, kind=kind, is_demo=True)
    entries = lines = 0
    first = last = 0
    # Each month's records are written right after its entries, in their own transaction
    # (LedgerStore.post owns its transaction). A seed cut short leaves a partial demo, which
    # `seed-demo --force` replaces whole; the records reconcile with the ledger once it ends.
    audit = AuditDemo(today=today, last=month_of(today))
    batches = generate(months=months, scale=scale, today=today, audit=audit)
    for i, (month, batch) in enumerate(batches):
        result = store.post(batch)
        insert_records(store, audit.drain())
        entries += result.posted
        lines += result.lines
        first = first or month
        last = month
        if progress:
            progress(i + 1, months)
    _seed_targets(store, first, last)
    seed_assets_demo(store, today=today)
    seed_tech_demo(store, today=today, months=months)
    seed_marketing_demo(store, today=today, months=months)
    return SeedStats(len(ENTITIES), entries, lines, first, last)


def _seed_targets(store: LedgerStore, first: int, last: int) -> None:
    """Targets: last year's same month grown by TARGET_GROWTH; runway target flat."""
    ids = [e[0] for e in ENTITIES]
    rows = store.monthly_rows(ids)
    scopes = {"all": FinanceSeries.from_rows(rows, consolidated=True)}
    for eid in ids:
        scopes[eid] = FinanceSeries.from_rows(
            [r for r in rows if r.entity_id == eid], consolidated=False
        )
    targets: list[Target] = []
    for key, series in scopes.items():
        for month in month_range(month_add(first, 12), last):
            base = month_add(month, -12)
            rev = round(series.revenue(base) * TARGET_GROWTH["revenue"] / 100, -2)
            exp = round(series.expenses(base) * TARGET_GROWTH["expenses"] / 100, -2)
            targets += [
                Target(entity_id=key, kpi_id="revenue", month=month, value=rev),
                Target(entity_id=key, kpi_id="expenses", month=month, value=exp),
                Target(entity_id=key, kpi_id="net_income", month=month, value=rev - exp),
                Target(
                    entity_id=key, kpi_id="runway_months", month=month, value=RUNWAY_TARGET_MONTHS
                ),
            ]
    store.set_targets(targets)
