"""The rental's records: the property, units, leases, rent charges and payments, maintenance."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from core.demo_random import random_day, whole_count
from core.ledger.accounts import BANK, RECEIVABLE
from core.ledger.models_records import (
    Lease,
    MaintenanceTicket,
    RentalProperty,
    RentalUnit,
    RentCharge,
    RentPayment,
)
from core.periods import add_months, first_day, last_day
from core.records.demo.base import VARIABLE, Book, RecordGenerator, Rows

RENTAL = "51st-St"
VALUATION_CENTS = 1_150_000_00  # the stated value the cap rate is measured against
UNITS = [("A", 3, 3_150_00), ("B", 2, 2_750_00)]
TENANTS = [
    "Maria Delgado",
    "J. & P. Okafor",
    "Sam Whitfield",
    "Lena Park",
    "Diego Ramos",
    "Hannah Cho",
    "Marcus Bell",
    "Aisha Rahman",
    "Tom & Keiko Ito",
    "Grace Mbeki",
]
TICKETS = [
    ("plumbing", "Leaking kitchen faucet"),
    ("plumbing", "Slow bathroom drain"),
    ("appliance", "Dishwasher not draining"),
    ("appliance", "Refrigerator ice maker"),
    ("hvac", "Wall heater service"),
    ("electrical", "GFCI outlet tripping"),
    ("roof", "Roof flashing leak"),
    ("pest", "Ant treatment"),
    ("general", "Sticking sliding door"),
    ("general", "Fence gate repair"),
]


class RentalDemo(RecordGenerator):
    """Leases in force across months, and the rent and tickets they make each month."""

    def __init__(self, rows: Rows, *, today: date, last: int) -> None:
        super().__init__(rows, today=today, last=last)
        self._leases: dict[str, list[dict[str, Any]]] = {}  # unit id -> its leases, in order
        self._lease_n = self._ticket_n = 0
        self._tenants = 2
        self._start = today

    def _rental_setup(self, start: date) -> None:
        self._start = start
        prop = f"{RENTAL}:3028-51st"
        self._row(
            RentalProperty,
            id=prop,
            entity_id=RENTAL,
            name="3028 51st St",
            valuation_cents=VALUATION_CENTS,
            valuation_date=start,
        )
        # the tenants in place when the books start: A mid-lease, B near its end
        for (name, beds, rent), (began, tenant) in zip(
            UNITS, [(-7, TENANTS[0]), (-10, TENANTS[1])], strict=True
        ):
            uid = f"{RENTAL}:{name}"
            self._row(
                RentalUnit,
                id=uid,
                entity_id=RENTAL,
                property_id=prop,
                name=f"Unit {name}",
                bedrooms=beds,
                market_rent_cents=rent,
            )
            lease_start = add_months(start, began)
            self._leases[uid] = [self._lease(uid, tenant, lease_start, rent, None)]

    def _lease(
        self, unit: str, tenant: str, start: date, rent: int, renewal_of: str | None
    ) -> dict[str, Any]:
        self._lease_n += 1
        return self._row(
            Lease,
            id=f"{RENTAL}:L{self._lease_n:04d}",
            entity_id=RENTAL,
            unit_id=unit,
            tenant=tenant,
            start=start,
            end=add_months(start, 12) - timedelta(days=1),
            rent_cents=rent,
            renewal_of=renewal_of,
        )

    def _next_lease(self, rng: random.Random, unit: str, market: int) -> None:
        prev = self._leases[unit][-1]
        if rng.random() < 0.55:  # the tenant renews at 3-5% more
            rent = round(prev["rent_cents"] * rng.uniform(1.03, 1.05) / 2500) * 2500
            lease = self._lease(unit, prev["tenant"], prev["end"] + timedelta(1), rent, prev["id"])
        else:  # move-out, then a vacancy until a new tenant at the market rent moves in
            tenant = TENANTS[self._tenants % len(TENANTS)]
            self._tenants += 1
            years = max((prev["end"] - self._start).days, 0) / 365
            rent = round(market * 1.035**years / 2500) * 2500  # asking rents rise 3.5% a year
            move_in = prev["end"] + timedelta(days=rng.randint(12, 40))
            lease = self._lease(unit, tenant, move_in, max(rent, prev["rent_cents"]), None)
        self._leases[unit].append(lease)

    def rental(self, b: Book, rng: random.Random, month: int) -> None:
        """Rent charges and collections per lease, and maintenance tickets, for one month."""
        if not self._leases:
            self._rental_setup(b.start)
        ms, me = first_day(month), last_day(month)
        dim = me.day
        for name, _beds, market in UNITS:
            uid = f"{RENTAL}:{name}"
            while self._leases[uid][-1]["end"] < me:
                self._next_lease(rng, uid, market)
            for lease in self._leases[uid]:
                first, last = max(lease["start"], ms), min(lease["end"], me)
                if first > last:
                    continue
                days = (last - first).days + 1
                cents = lease["rent_cents"] if days == dim else lease["rent_cents"] * days // dim
                self._charge(b, rng, lease, name, month, first, cents)
        for _ in range(whole_count(rng, 0.5)):
            self._ticket(b, rng, month)

    def _charge(
        self,
        b: Book,
        rng: random.Random,
        lease: dict[str, Any],
        unit: str,
        month: int,
        due: date,
        cents: int,
    ) -> None:
        cid = f"{lease['id']}:{month}"
        fp = self._post(
            b,
            RENTAL,
            due,
            f"Rent due, unit {unit} ({lease['tenant']})",
            [(RECEIVABLE, cents), ("Income:Rent", -cents)],
            f"demo:{cid}:charge",
        )
        roll = rng.random()
        late = rng.randint(0, 3) if roll < 0.8 else rng.randint(4, 12) if roll < 0.95 else 20
        if fp is None:
            return
        self._row(
            RentCharge,
            id=cid,
            entity_id=RENTAL,
            lease_id=lease["id"],
            unit_id=lease["unit_id"],
            month=month,
            due_date=due,
            amount_cents=cents,
            fingerprint=fp,
        )
        paid = due + timedelta(days=late)
        pfp = self._post(
            b,
            RENTAL,
            paid,
            f"Rent received, unit {unit} ({lease['tenant']})",
            [(BANK, cents), (RECEIVABLE, -cents)],
            f"demo:{cid}:payment",
        )
        if pfp:
            self._row(
                RentPayment,
                id=f"{cid}:pay",
                entity_id=RENTAL,
                charge_id=cid,
                paid_on=paid,
                amount_cents=cents,
                fingerprint=pfp,
            )

    def _ticket(self, b: Book, rng: random.Random, month: int) -> None:
        self._ticket_n += 1
        tid = f"{RENTAL}:T{self._ticket_n:04d}"
        unit = rng.choice(UNITS)[0]
        category, text = rng.choice(TICKETS)
        opened = random_day(rng, month)
        closed = opened + timedelta(days=rng.randint(1, 12))
        cost = rng.randint(150, 1800) * 100 if rng.random() < 0.7 else 0
        if opened > self.today:
            return
        done = closed <= self.today
        fp = None
        if done and cost:
            fp = self._post(
                b,
                RENTAL,
                closed,
                f"Repair: {text.lower()}, unit {unit}",
                [("Expenses:Repairs", cost), (BANK, -cost)],
                f"demo:{tid}:cost",
                cost_behaviors={"Expenses:Repairs": VARIABLE},
            )
        self._row(
            MaintenanceTicket,
            id=tid,
            entity_id=RENTAL,
            unit_id=f"{RENTAL}:{unit}",
            category=category,
            description=text,
            opened_on=opened,
            closed_on=closed if done else None,
            cost_cents=cost if done else 0,
            fingerprint=fp,
        )
