"""Record-driven demo generators for the rental, the yacht deliveries and the consultancy.

Each generator first makes the business records (leases and rent charges, delivery jobs,
invoices and payments...) and then posts the journal entries FROM those records, so that the
records reconcile with the ledger by construction: rent charges sum to Income:Rent, invoices to
the billing income, open invoices to Assets:AccountsReceivable. Every posted entry carries a
fingerprint that the record stores too.

A record (or one of its dates) exists only once it has happened (on or before ``today``),
exactly like the entries, which the book drops when they are dated after today. The generators
are called by ``core.demo.generate`` month by month with its seeded RNG; ``AuditDemo`` holds
the three generators (``rental``, ``deliveries``, ``billing``: each keeps the state that spans
months) and the rows waiting to be written (``drain``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import SQLModel

from core.records.demo.base import Book, Rows
from core.records.demo.billing import BillingDemo
from core.records.demo.deliveries import DeliveryDemo
from core.records.demo.rental import RentalDemo


class AuditDemo:
    """The three record-driven generators and the rows they made, for ``core.demo``."""

    def __init__(self, *, today: date, last: int) -> None:
        self._rows = Rows()
        self._rental = RentalDemo(self._rows, today=today, last=last)
        self._deliveries = DeliveryDemo(self._rows, today=today, last=last)
        self._billing = BillingDemo(self._rows, today=today, last=last)

    def drain(self) -> dict[type[SQLModel], list[dict[str, Any]]]:
        """The rows generated since the last drain (to insert after the month's entries)."""
        return self._rows.drain()

    def rental(self, b: Book, rng: random.Random, month: int) -> None:
        """Rent charges and collections per lease, and maintenance tickets, for one month."""
        self._rental.rental(b, rng, month)

    def deliveries(
        self, b: Book, rng: random.Random, month: int, k: int, season: Sequence[float]
    ) -> None:
        """Delivery jobs planned to start this month (and, in today's month, the pipeline);
        ``season`` is the month-of-year demand, Jan..Dec."""
        self._deliveries.deliveries(b, rng, month, k, season)

    def consulting(self, b: Book, rng: random.Random, month: int, k: int, growth: float) -> None:
        """Retainer invoices, hourly projects with their time, invoices and payments."""
        self._billing.consulting(b, rng, month, k, growth)
