"""Record-driven demo generators for the rental, the yacht deliveries and the consultancy.

Each generator first makes the business records (leases and rent charges, delivery jobs,
invoices and payments...) and then posts the journal entries FROM those records, so that the
records reconcile with the ledger by construction: rent charges sum to Income:Rent, invoices to
the billing income, open invoices to Assets:AccountsReceivable. Every posted entry carries a
fingerprint that the record stores too.

A record (or one of its dates) exists only once it has happened (on or before ``today``),
exactly like the entries, which the book drops when they are dated after today. The generators
are called by ``core.demo.generate`` month by month with its seeded RNG; ``AuditDemo`` keeps
the state that spans months (leases in force, active projects, numbering) and the rows waiting
to be written (``drain``).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from sqlmodel import SQLModel

from core.demo_random import random_day, whole_count
from core.ledger.accounts import BANK, RECEIVABLE
from core.ledger.models_audits import (
    Client,
    DeliveryJob,
    Invoice,
    InvoicePayment,
    Lease,
    MaintenanceTicket,
    Project,
    RentalProperty,
    RentalUnit,
    RentCharge,
    RentPayment,
    Retainer,
    TimeEntry,
)
from core.metrics.delivery import stage_from
from core.periods import add_months, first_day, last_day, month_add

RENTAL, DELIVERY, BILLING = "51st-St", "ExpertYachtDelivery", "DangerousCentaur"
VARIABLE = "variable"
PIPELINE_MONTHS = 3  # deliveries planned this far past today are already leads or booked

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
# (name, terms in days, payment delay range in days after issue; None = an hourly client)
RETAINER_CLIENTS = [
    ("Harbor Analytics", 30, (12, 25), 9_500_00, 40),
    ("Bayline Health", 30, (93, 100), 7_000_00, 32),  # pays about two months late
    ("Torrey Labs", 15, (62, 72), 6_000_00, 28),  # from the portfolio's growth phase on
]
PROJECT_CLIENTS = [
    "Mesa Robotics",
    "Pacific Tide Co",
    "Coronado Outfitters",
    "Old Town Bakery Group",
    "Sorrento Bio",
    "Point Loma Marine",
    "Kelp & Co",
]
PROJECT_NAMES = [
    "Data pipeline",
    "Mobile app",
    "Booking portal",
    "Analytics dashboard",
    "API integration",
    "Cloud migration",
    "Security review",
]
RATES = [150, 165, 175, 185, 200, 225]


class Book(Protocol):
    """What the generators need of ``core.demo._Book``."""

    today: date
    start: date

    def add(
        self, entity: str, day: date, text: str, lines: list[tuple[str, int]], **kw: object
    ) -> None: ...


class AuditDemo:
    """Cross-month state of the three record-driven generators, and the rows to write."""

    def __init__(self, *, today: date, last: int) -> None:
        self.today = today
        self.last = last  # today's month
        self.pending: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)
        self._leases: dict[str, list[dict[str, Any]]] = {}  # unit id -> its leases, in order
        self._lease_n = self._ticket_n = self._job_n = 0
        self._tenants = 2
        self._clients: dict[str, dict[str, Any]] = {}
        self._retainers: dict[str, dict[str, Any]] = {}
        self._projects: list[dict[str, Any]] = []
        self._project_n = self._invoice_n = self._time_n = 0
        self._disputed = False
        self._start = today

    def drain(self) -> dict[type[SQLModel], list[dict[str, Any]]]:
        """The rows generated since the last drain (to insert after the month's entries)."""
        out, self.pending = self.pending, defaultdict(list)
        return out

    def _row(self, model: type[SQLModel], **values: Any) -> dict[str, Any]:
        self.pending[model].append(values)
        return values

    def _post(
        self,
        b: Book,
        entity: str,
        day: date,
        text: str,
        lines: list[tuple[str, int]],
        fingerprint: str,
        **kw: object,
    ) -> str | None:
        """Post an entry if it has happened; its fingerprint, or None when it is in the future."""
        if day > self.today:
            return None
        b.add(entity, day, text, lines, fingerprint=fingerprint, **kw)
        return fingerprint

    # -- rental ----------------------------------------------------------------------------
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

    # -- yacht deliveries ------------------------------------------------------------------
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

    # -- consulting ------------------------------------------------------------------------
    def _client(self, name: str, terms: int) -> str:
        cid = f"{BILLING}:{name.lower().replace(' & ', '-').replace(' ', '-')}"
        if cid not in self._clients:
            self._clients[cid] = self._row(
                Client, id=cid, entity_id=BILLING, name=name, terms_days=terms
            )
        return cid

    def consulting(self, b: Book, rng: random.Random, month: int, k: int, growth: float) -> None:
        """Retainer invoices, hourly projects with their time, invoices and payments."""
        ms, me = first_day(month), last_day(month)
        active = RETAINER_CLIENTS[:2] + (RETAINER_CLIENTS[2:] if growth > 1.1 else [])
        for name, terms, pays, cents, hours in active:
            cid = self._client(name, terms)
            rid = f"{cid}:retainer"
            if rid not in self._retainers:
                self._retainers[rid] = self._row(
                    Retainer,
                    id=rid,
                    entity_id=BILLING,
                    client_id=cid,
                    monthly_cents=cents,
                    hours_included=hours,
                    start=ms,
                    end=None,
                )
            self._invoice(
                b,
                rng,
                cid,
                "retainer",
                "Income:Consulting",
                ms,
                cents,
                f"Retainer: {name}",
                pays,
                terms,
            )
            minutes = hours * 60 * rng.randint(80, 120) // 100
            days = [ms + timedelta(days=d) for d in (4, 11, 18, 25)]
            self._time(cid, None, rid, days, minutes, 0)
        for _ in range(whole_count(rng, 1.3 * k)):
            self._project_n += 1
            client = self._client(rng.choice(PROJECT_CLIENTS), 30)
            start = random_day(rng, month)
            end = last_day(month_add(month, rng.randint(0, 2)))
            project = self._row(
                Project,
                id=f"{BILLING}:P{self._project_n:05d}",
                entity_id=BILLING,
                client_id=client,
                name=rng.choice(PROJECT_NAMES),
                rate_cents=rng.choice(RATES) * 100,
                start=start,
                end=end,
            )
            self._projects.append(project)
        for project in list(self._projects):
            first = max(project["start"], ms)
            share = ((me - first).days + 1) / me.day
            minutes = round(rng.randint(12, 50) * 60 * share / 15) * 15
            days = [first + timedelta(days=d) for d in range(0, (me - first).days + 1, 7)]
            ids = self._time(
                project["client_id"], project["id"], None, days, minutes, project["rate_cents"]
            )
            issued = first_day(month_add(month, 1)) + timedelta(days=rng.randint(0, 3))
            cents = sum(e["minutes"] * project["rate_cents"] // 60 for e in ids)
            disputed = not self._disputed and month >= month_add(self.last, -6)
            inv = self._invoice(
                b,
                rng,
                project["client_id"],
                "project",
                "Income:Projects",
                issued,
                cents,
                f"Project invoice: {project['name']}",
                (18, 40),
                30,
                never_paid=disputed,
            )
            if inv is not None:
                self._disputed = self._disputed or disputed
                for e in ids:
                    e["invoice_id"] = inv
            if project["end"] <= me:
                self._projects.remove(project)

    def _time(
        self,
        client: str,
        project: str | None,
        retainer: str | None,
        days: Sequence[date],
        minutes: int,
        rate: int,
    ) -> list[dict[str, Any]]:
        """Spread ``minutes`` over ``days`` (quarter hours); only days up to today are kept."""
        rows: list[dict[str, Any]] = []
        if not days or minutes <= 0:
            return rows
        quarters = minutes // 15
        each, extra = divmod(quarters, len(days))
        for i, day in enumerate(days):
            q = each + (1 if i < extra else 0)
            if q == 0 or day > self.today:
                continue
            self._time_n += 1
            rows.append(
                self._row(
                    TimeEntry,
                    id=f"{BILLING}:TE{self._time_n:06d}",
                    entity_id=BILLING,
                    client_id=client,
                    project_id=project,
                    retainer_id=retainer,
                    day=day,
                    minutes=q * 15,
                    rate_cents=rate,
                    invoice_id=None,
                )
            )
        return rows

    def _invoice(
        self,
        b: Book,
        rng: random.Random,
        client: str,
        kind: str,
        account: str,
        issued: date,
        cents: int,
        text: str,
        pays: tuple[int, int],
        terms: int,
        *,
        never_paid: bool = False,
    ) -> str | None:
        """Issue (and later collect) an invoice; its id, or None if not issued by today."""
        paid = issued + timedelta(days=rng.randint(*pays))
        if kind == "project" and rng.random() < 0.05:
            paid = issued + timedelta(days=rng.randint(95, 140))  # a slow payer
        if cents <= 0 or issued > self.today:
            return None
        self._invoice_n += 1
        number = f"DC-{issued.year}-{self._invoice_n:05d}"
        iid = f"{BILLING}:{number}"
        fp = self._post(
            b,
            BILLING,
            issued,
            f"{text} ({number})",
            [(RECEIVABLE, cents), (account, -cents)],
            f"demo:{iid}:invoice",
        )
        self._row(
            Invoice,
            id=iid,
            entity_id=BILLING,
            client_id=client,
            number=number,
            kind=kind,
            income_account=account,
            issued_on=issued,
            due_on=issued + timedelta(days=terms),
            amount_cents=cents,
            fingerprint=fp,
        )
        if never_paid:
            return iid
        pfp = self._post(
            b,
            BILLING,
            paid,
            f"Payment received ({number})",
            [(BANK, cents), (RECEIVABLE, -cents)],
            f"demo:{iid}:payment",
        )
        if pfp:
            self._row(
                InvoicePayment,
                id=f"{iid}:pay",
                entity_id=BILLING,
                invoice_id=iid,
                paid_on=paid,
                amount_cents=cents,
                fingerprint=pfp,
            )
        return iid
