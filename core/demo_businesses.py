"""What each demo business posts in a month: charters, junk removal, deliveries, consulting,
the rental, fixed costs, the uncategorized queue, intercompany deals and owner distributions.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from core.demo_book import FIXED, VARIABLE, DemoBook
from core.demo_random import random_day, whole_count
from core.demo_seasons import CHARTER_SEASON, DELIVERY_SEASON, JUNK_SEASON
from core.ledger.accounts import BANK
from core.periods import last_day, month_add
from core.records.demo import AuditDemo

DEFERRED = "Liabilities:DeferredRevenue"
OPENING_CASH = {
    "JADA": 40_000_00,
    "QueenofSanDiego": 60_000_00,
    "QuickDumpNow": 25_000_00,
    "DangerousCentaur": 80_000_00,
    "51st-St": 15_000_00,
    "ExpertYachtDelivery": 30_000_00,
}


def charters(b: DemoBook, rng: random.Random, month: int, k: int) -> None:
    """Charters: deposits booked ahead, recognized on the trip, with crew, fuel and commissions."""
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


def junk(b: DemoBook, rng: random.Random, month: int, k: int, growth: float) -> None:
    """Junk-removal jobs with dump fees, and the month's truck fuel and crew labor."""
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


def deliveries(b: DemoBook, rng: random.Random, month: int, k: int, audit: AuditDemo) -> None:
    """Yacht deliveries, posted from their job records."""
    # jobs (lead to paid) are records; their costs, invoices and payments post from them
    audit.deliveries(b, rng, month, k, DELIVERY_SEASON)


def consulting(
    b: DemoBook, rng: random.Random, month: int, k: int, growth: float, audit: AuditDemo
) -> None:
    """Consulting, posted from its records, and the consultancy's own costs."""
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


def rental(b: DemoBook, rng: random.Random, month: int, audit: AuditDemo) -> None:
    """The rental, posted from its records, and the property's mortgage, utilities and tax."""
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


def fixed_costs(b: DemoBook, rng: random.Random, month: int) -> None:
    """The month's fixed costs of the vessel, the charters, junk removal and deliveries."""
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


def uncategorized(b: DemoBook, rng: random.Random, month: int, last: int) -> None:
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


def intercompany(b: DemoBook, month: int) -> None:
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


def distributions(b: DemoBook, month: int) -> None:
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
