"""The consultancy's records: clients, retainers, projects, time entries, invoices, payments."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from core.demo_random import random_day, whole_count
from core.ledger.accounts import BANK, RECEIVABLE
from core.ledger.models_records import Client, Invoice, InvoicePayment, Project, Retainer, TimeEntry
from core.periods import first_day, last_day, month_add
from core.records.demo.base import Book, RecordGenerator, Rows

BILLING = "DangerousCentaur"
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


class BillingDemo(RecordGenerator):
    """Clients, retainers and active projects across months, and their numbering."""

    def __init__(self, rows: Rows, *, today: date, last: int) -> None:
        super().__init__(rows, today=today, last=last)
        self._clients: dict[str, dict[str, Any]] = {}
        self._retainers: dict[str, dict[str, Any]] = {}
        self._projects: list[dict[str, Any]] = []
        self._project_n = self._invoice_n = self._time_n = 0
        self._disputed = False

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
