"""Deterministic demo portfolio: six businesses, seasonality, deposits, intercompany, targets.

Same arguments -> same ledger (a seeded RNG; "today" is an argument). ``scale`` multiplies the
number of per-job transactions so benchmarks can reach millions of journal lines.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from core.assets.demo import seed_assets_demo
from core.demo_random import random_day, whole_count
from core.demo_seasons import CHARTER_SEASON, DELIVERY_SEASON, JUNK_SEASON
from core.errors import Conflict, Invalid
from core.ledger.accounts import BANK
from core.ledger.models import Target
from core.ledger.store import LedgerStore, NewEntry
from core.marketing.demo import seed_marketing_demo
from core.metrics.finance import FinanceSeries
from core.periods import last_day, month_add, month_of, month_range
from core.records.demo import AuditDemo
from core.records.store import insert_records
from core.tech.demo import seed_tech_demo

SEED = 20261124
DEFERRED = "Liabilities:DeferredRevenue"
FIXED, VARIABLE = "fixed", "variable"

ENTITIES = [
    ("JADA", "JADA (sailing yacht)", "vessel"),
    ("QueenofSanDiego", "Queen of San Diego Charters", "sailing-charters"),
    ("QuickDumpNow", "QuickDumpNow", "junk-removal"),
    ("DangerousCentaur", "Dangerous Centaur", "software-consultancy"),
    ("51st-St", "3028 51st St", "rental-property"),
    ("ExpertYachtDelivery", "Expert Yacht Delivery", "yacht-delivery"),
]
OPENING_CASH = {
    "JADA": 40_000_00,
    "QueenofSanDiego": 60_000_00,
    "QuickDumpNow": 25_000_00,
    "DangerousCentaur": 80_000_00,
    "51st-St": 15_000_00,
    "ExpertYachtDelivery": 30_000_00,
}
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


class _Book:
    """Builds entries for one month, dropping anything dated after today."""

    def __init__(self, today: date, cash: dict[str, int], start: date) -> None:
        self.today = today
        self.start = start  # nothing is dated before the first month
        self.cash = cash  # running bank balance per entity, carried across months
        self.entries: list[NewEntry] = []

    def add(
        self, entity: str, day: date, text: str, lines: list[tuple[str, int]], **kw: object
    ) -> None:
        if day <= self.today:
            self.entries.append(NewEntry(entity, day, text, lines, source="demo", **kw))  # type: ignore[arg-type]
            self.cash[entity] = self.cash.get(entity, 0) + sum(c for a, c in lines if a == BANK)

    def pay(
        self, entity: str, day: date, text: str, account: str, cents: int, behavior: str
    ) -> None:
        self.add(
            entity,
            day,
            text,
            [(account, cents), (BANK, -cents)],
            cost_behaviors={account: behavior},
        )

    def earn(self, entity: str, day: date, text: str, account: str, cents: int) -> None:
        self.add(entity, day, text, [(BANK, cents), (account, -cents)])


def _charters(b: _Book, rng: random.Random, month: int, k: int) -> None:
    season = CHARTER_SEASON[month % 100 - 1]
    for _ in range(whole_count(rng, 16 * season * k)):
        trip = random_day(rng, month)
        price = rng.choice([650, 850, 1200, 1450, 2400]) * 100 + rng.randint(0, 20) * 500
        deposit = price // 2
        booked = max(trip - timedelta(days=rng.randint(10, 60)), b.start)
        b.add("QueenofSanDiego", booked, "Charter deposit", [(BANK, deposit), (DEFERRED, -deposit)])
        b.add(
            "QueenofSanDiego",
            trip,
            "Charter completed: deposit recognized, balance collected",
            [(DEFERRED, deposit), (BANK, price - deposit), ("Income:Charters", -price)],
        )
        b.pay(
            "QueenofSanDiego", trip, "Crew wages", "Expenses:CrewWages", price * 22 // 100, VARIABLE
        )
        b.pay(
            "QueenofSanDiego",
            trip,
            "Fuel and provisioning",
            "Expenses:Fuel",
            price * 6 // 100,
            VARIABLE,
        )
        if rng.random() < 0.45:
            b.pay(
                "QueenofSanDiego",
                trip,
                "OTA booking commission",
                "Expenses:Commissions",
                price * 15 // 100,
                VARIABLE,
            )


def _junk(b: _Book, rng: random.Random, month: int, k: int, growth: float) -> None:
    season = JUNK_SEASON[month % 100 - 1]
    for _ in range(whole_count(rng, 55 * season * growth * k)):
        day = random_day(rng, month)
        price = rng.choice([149, 249, 349, 449, 599]) * 100
        b.earn("QuickDumpNow", day, "Junk removal job", "Income:JunkRemoval", price)
        if rng.random() < 0.6:
            b.pay(
                "QuickDumpNow",
                day,
                "Transfer station dump fee",
                "Expenses:DumpFees",
                price * 18 // 100,
                VARIABLE,
            )
    d1 = random_day(rng, month)
    b.pay("QuickDumpNow", d1, "Truck fuel", "Expenses:Fuel", int(1_150_00 * season * k), VARIABLE)
    b.pay("QuickDumpNow", d1, "Crew labor", "Expenses:Labor", int(4_200_00 * season * k), VARIABLE)


def _deliveries(b: _Book, rng: random.Random, month: int, k: int, audit: AuditDemo) -> None:
    # jobs (lead to paid) are records; their costs, invoices and payments post from them
    audit.deliveries(b, rng, month, k, DELIVERY_SEASON)


def _consulting(
    b: _Book, rng: random.Random, month: int, k: int, growth: float, audit: AuditDemo
) -> None:
    # retainers, projects, time, invoices and payments are records; income and AR post from them
    audit.consulting(b, rng, month, k, growth)
    y, m = divmod(month, 100)
    b.pay(
        "DangerousCentaur",
        random_day(rng, month),
        "Subcontractor",
        "Expenses:Contractors",
        int(6_500_00 * growth * k),
        VARIABLE,
    )
    b.pay(
        "DangerousCentaur",
        date(y, m, 3),
        "Software subscriptions",
        "Expenses:Software",
        1_450_00,
        FIXED,
    )
    b.pay(
        "DangerousCentaur",
        date(y, m, 4),
        "Cloud hosting",
        "Expenses:Hosting",
        rng.randint(800, 1300) * 100,
        FIXED,
    )
    b.pay("DangerousCentaur", date(y, m, 28), "Salaries", "Expenses:Salaries", 14_000_00, FIXED)


def _rental(b: _Book, rng: random.Random, month: int, audit: AuditDemo) -> None:
    # leases, rent charges and collections, maintenance tickets are records posting to the ledger
    audit.rental(b, rng, month)
    y, m = divmod(month, 100)
    b.pay(
        "51st-St", date(y, m, 1), "Mortgage interest", "Expenses:MortgageInterest", 2_610_00, FIXED
    )
    b.pay(
        "51st-St",
        date(y, m, 10),
        "Utilities",
        "Expenses:Utilities",
        rng.randint(180, 320) * 100,
        FIXED,
    )
    if m in (4, 12):
        b.pay(
            "51st-St",
            date(y, m, 10),
            "Property tax installment",
            "Expenses:PropertyTax",
            4_900_00,
            FIXED,
        )


def _fixed_costs(b: _Book, rng: random.Random, month: int) -> None:
    y, m = divmod(month, 100)
    d = date(y, m, 15)
    b.pay("JADA", d, "Slip and moorage", "Expenses:Moorage", 1_850_00, FIXED)
    b.pay("JADA", d, "Hull insurance", "Expenses:Insurance", 720_00, FIXED)
    b.pay(
        "JADA",
        random_day(rng, month),
        "Maintenance",
        "Expenses:Maintenance",
        rng.randint(300, 2600) * 100,
        VARIABLE,
    )
    b.pay("QueenofSanDiego", d, "Marketing", "Expenses:Marketing", 1_600_00, FIXED)
    b.pay("QueenofSanDiego", d, "Charter liability insurance", "Expenses:Insurance", 540_00, FIXED)
    b.pay("QuickDumpNow", date(y, m, 5), "Truck lease", "Expenses:TruckLease", 1_350_00, FIXED)
    b.pay(
        "QuickDumpNow", date(y, m, 5), "Commercial insurance", "Expenses:Insurance", 410_00, FIXED
    )
    b.pay(
        "ExpertYachtDelivery",
        date(y, m, 5),
        "Marine insurance",
        "Expenses:Insurance",
        650_00,
        FIXED,
    )


def _uncategorized(b: _Book, rng: random.Random, month: int, last: int) -> None:
    """A few recent bank lines nobody has categorized yet (the bookkeeper's queue)."""
    if month < month_add(last, -1):
        return
    for entity, text in [
        ("QuickDumpNow", "POS PURCHASE 4411 HOME DEPOT"),
        ("QueenofSanDiego", "CARD 2291 AMZN MKTP US"),
        ("DangerousCentaur", "ACH DEBIT VENDOR 8812"),
    ]:
        cents = rng.randint(40, 900) * 100 + rng.randint(0, 99)
        b.pay(entity, random_day(rng, month), text, "Expenses:Uncategorized", cents, FIXED)


def _intercompany(b: _Book, month: int) -> None:
    """Both sides of each intercompany deal, tagged so consolidation eliminates them."""
    y, m = divmod(month, 100)
    deals = [
        (
            "QueenofSanDiego",
            "JADA",
            date(y, m, 1),
            "Bareboat lease of JADA",
            "Expenses:VesselLease",
            "Income:VesselLease",
            6_500_00,
        ),
        (
            "QueenofSanDiego",
            "DangerousCentaur",
            date(y, m, 5),
            "Booking system maintenance",
            "Expenses:Software",
            "Income:Consulting",
            1_200_00,
        ),
    ]
    for payer, payee, day, text, expense, income, cents in deals:
        b.add(
            payer,
            day,
            text,
            [(expense, cents), (BANK, -cents)],
            intercompany=True,
            counterparty=payee,
            cost_behaviors={expense: FIXED},
        )
        b.add(
            payee,
            day,
            text,
            [(BANK, cents), (income, -cents)],
            intercompany=True,
            counterparty=payer,
        )


def _distributions(b: _Book, month: int) -> None:
    """At quarter end each business pays the owner most of its cash above a reserve."""
    m = month % 100
    if m % 3:
        return
    day = last_day(month)
    for eid, reserve in OPENING_CASH.items():
        surplus = b.cash.get(eid, 0) - reserve
        if surplus > 0:
            cents = surplus * 9 // 10
            b.add(
                eid,
                day,
                "Owner distribution",
                [("Equity:OwnerDistributions", cents), (BANK, -cents)],
            )


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
        b = _Book(today, cash, start)
        growth = 1 + 0.012 * i
        if i == 0:
            for eid, cents in OPENING_CASH.items():
                b.add(
                    eid,
                    start,
                    "Opening balance",
                    [(BANK, cents), ("Equity:OpeningBalance", -cents)],
                )
        _intercompany(b, month)
        _charters(b, rng, month, scale)
        _junk(b, rng, month, scale, growth)
        _deliveries(b, rng, month, scale, audit)
        _consulting(b, rng, month, scale, growth, audit)
        _rental(b, rng, month, audit)
        _fixed_costs(b, rng, month)
        _uncategorized(b, rng, month, last)
        _distributions(b, month)
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
