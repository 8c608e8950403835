"""The yacht deliveries' records: delivery jobs from lead to payment, with their entries."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta

from core.demo_random import random_day, whole_count
from core.ledger.accounts import BANK, RECEIVABLE
from core.ledger.models_records import DeliveryJob
from core.metrics.delivery import stage_from
from core.periods import month_add
from core.records.demo.base import VARIABLE, Book, RecordGenerator, Rows

DELIVERY = "ExpertYachtDelivery"
PIPELINE_MONTHS = 3  # deliveries planned this far past today are already leads or booked
ROUTES = [
    ("San Diego", "Cabo San Lucas", 750),
    ("San Diego", "San Francisco", 450),
    ("Newport Beach", "Seattle", 1050),
    ("San Diego", "Puerto Vallarta", 1050),
    ("Marina del Rey", "Monterey", 280),
    ("San Diego", "Santa Barbara", 190),
    ("Long Beach", "La Paz", 880),
    ("San Diego", "Portland", 950),
    ("Ventura", "San Diego", 150),
    ("San Diego", "Victoria BC", 1200),
    ("Dana Point", "Mazatlan", 960),
    ("San Diego", "Acapulco", 1450),
    ("Sausalito", "San Diego", 480),
    ("Ensenada", "Newport Beach", 140),
]
VESSELS = [
    "Sea Ray 460",
    "Beneteau Oceanis 46",
    "Grand Banks 42",
    "Catalina 425",
    "Nordhavn 55",
    "Jeanneau 54",
    "Lagoon 42",
    "Hinckley T38",
    "Hatteras 60",
    "Hallberg-Rassy 48",
]
DELAY_REASONS = ["weather", "mechanical", "crew availability", "port clearance", "owner changes"]
DELAY_DAY_CENTS = 350_00  # standby days the owner's changes add to the invoice
NM_PER_DAY = 160


class DeliveryDemo(RecordGenerator):
    """Delivery jobs, numbered across months."""

    def __init__(self, rows: Rows, *, today: date, last: int) -> None:
        super().__init__(rows, today=today, last=last)
        self._job_n = 0

    def deliveries(
        self, b: Book, rng: random.Random, month: int, k: int, season: Sequence[float]
    ) -> None:
        """Delivery jobs planned to start this month (and, in today's month, the pipeline);
        ``season`` is the month-of-year demand, Jan..Dec."""
        months = [month]
        if month == self.last:
            months += [month_add(month, i) for i in range(1, PIPELINE_MONTHS + 1)]
        for m in months:
            for _ in range(whole_count(rng, 3 * season[m % 100 - 1] * k)):
                self._job(b, rng, m)

    def _job(self, b: Book, rng: random.Random, month: int) -> None:
        self._job_n += 1
        jid = f"{DELIVERY}:J{self._job_n:05d}"
        start = random_day(rng, month)
        origin, dest, base_nm = rng.choice(ROUTES)
        nm = max(60, base_nm * rng.randint(92, 112) // 100)
        quote = nm * 450 + 800_00
        planned = math.ceil(nm / NM_PER_DAY) + 1  # passage days plus a day to prepare
        est_crew, est_fuel, est_travel = quote * 35 // 100, nm * 60, 850_00
        lead = start - timedelta(days=rng.randint(21, 75))
        quoted = lead + timedelta(days=rng.randint(2, 10))
        booked = min(quoted + timedelta(days=rng.randint(5, 25)), start - timedelta(days=1))
        delay, reason = 0, None
        if rng.random() < 0.25:
            delay, reason = rng.randint(1, 4), rng.choice(DELAY_REASONS)
        actual = planned + delay
        crew = est_crew * actual // planned
        fuel = nm * 60 * rng.randint(85, 120) // 100
        travel = rng.randint(300, 1400) * 100
        invoice = quote + (delay * DELAY_DAY_CENTS if reason == "owner changes" else 0)
        delivered = start + timedelta(days=actual)
        invoiced = delivered + timedelta(days=rng.randint(0, 2))
        paid = invoiced + timedelta(
            days=rng.randint(5, 25) if rng.random() < 0.85 else rng.randint(30, 60)
        )
        vessel = rng.choice(VESSELS)
        if lead > self.today:
            return  # not even a lead yet
        t = self.today

        def happened(d: date) -> date | None:
            return d if d <= t else None

        cost_fp = self._post(
            b,
            DELIVERY,
            delivered,
            f"Delivery costs {jid.split(':')[1]}: crew, fuel, travel ({nm} nm)",
            [
                ("Expenses:CrewFees", crew),
                ("Expenses:Fuel", fuel),
                ("Expenses:Travel", travel),
                (BANK, -(crew + fuel + travel)),
            ],
            f"demo:{jid}:costs",
            cost_behaviors={a: VARIABLE for a in ("Expenses:CrewFees", "Expenses:Fuel")}
            | {"Expenses:Travel": VARIABLE},
        )
        inv_fp = self._post(
            b,
            DELIVERY,
            invoiced,
            f"Invoice {jid.split(':')[1]}: yacht delivery {origin} to {dest}, {nm} nm",
            [(RECEIVABLE, invoice), ("Income:Deliveries", -invoice)],
            f"demo:{jid}:invoice",
        )
        pay_fp = self._post(
            b,
            DELIVERY,
            paid,
            f"Payment {jid.split(':')[1]}: yacht delivery",
            [(BANK, invoice), (RECEIVABLE, -invoice)],
            f"demo:{jid}:payment",
        )
        dates = {
            "quoted_on": happened(quoted),
            "booked_on": happened(booked),
            "started_on": happened(start),
            "delivered_on": happened(delivered),
            "invoiced_on": happened(invoiced),
            "paid_on": happened(paid),
        }
        self._row(
            DeliveryJob,
            id=jid,
            entity_id=DELIVERY,
            vessel=vessel,
            origin=origin,
            destination=dest,
            nautical_miles=nm,
            stage=stage_from({"lead_on": lead, **dates}, t),  # where it stands today
            lead_on=lead,
            planned_start=start,
            planned_days=planned,
            actual_days=actual if dates["delivered_on"] else None,
            delay_reason=reason if dates["delivered_on"] else None,
            quote_cents=quote,
            quoted_cost_cents=est_crew + est_fuel + est_travel,
            crew_cost_cents=crew if cost_fp else 0,
            fuel_cost_cents=fuel if cost_fp else 0,
            travel_cost_cents=travel if cost_fp else 0,
            invoice_cents=invoice if inv_fp else 0,
            due_on=invoiced + timedelta(days=15) if inv_fp else None,
            cost_fingerprint=cost_fp,
            invoice_fingerprint=inv_fp,
            payment_fingerprint=pay_fp,
            **dates,
        )
