"""Rental metrics: rent roll, collected vs due, vacancy, maintenance, NOI and cap rate.

Pure functions over the rental records (``core.ledger.models_records``) and ledger totals.
Money is integer cents; periods are inclusive date ranges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.ledger.models_records import Lease, MaintenanceTicket, RentalUnit, RentCharge, RentPayment

# below the operating line: financing and non-cash costs are not operating expenses
NON_OPERATING = ("Expenses:MortgageInterest", "Expenses:Depreciation", "Expenses:IncomeTax")


def covered_days(leases: Iterable[Lease], first: date, last: date) -> int:
    """Days in [first, last] on which at least one of ``leases`` is in force."""
    days: set[date] = set()
    for lease in leases:
        a, b = max(lease.start, first), min(lease.end, last)
        days.update(a + timedelta(days=i) for i in range((b - a).days + 1))
    return len(days)


def vacancy_days(
    units: Sequence[RentalUnit], leases: Sequence[Lease], first: date, last: date
) -> int:
    """Unit-days in [first, last] with no lease in force, summed over units."""
    if last < first:
        return 0
    span = (last - first).days + 1
    return sum(
        span - covered_days([x for x in leases if x.unit_id == u.id], first, last) for u in units
    )


def occupancy(
    units: Sequence[RentalUnit], leases: Sequence[Lease], first: date, last: date
) -> float | None:
    """Leased unit-days as a percent of all unit-days in [first, last]; None without units."""
    if not units or last < first:
        return None
    total = len(units) * ((last - first).days + 1)
    return 100 * (total - vacancy_days(units, leases, first, last)) / total


def rent_due(charges: Iterable[RentCharge], month: int) -> int:
    """Rent charged for ``month`` (what the rent roll bills; equals Income:Rent)."""
    return sum(c.amount_cents for c in charges if c.month == month)


def rent_collected(payments: Iterable[RentPayment], first: date, last: date) -> int:
    """Rent received in [first, last], whichever month it was for."""
    return sum(p.amount_cents for p in payments if first <= p.paid_on <= last)


def paid_by(charge_ids: set[str], payments: Iterable[RentPayment], as_of: date) -> int:
    """Payments on the given charges received by ``as_of``."""
    return sum(p.amount_cents for p in payments if p.charge_id in charge_ids and p.paid_on <= as_of)


def collection_rate(
    charges: Sequence[RentCharge], payments: Sequence[RentPayment], month: int, as_of: date
) -> float | None:
    """Percent of ``month``'s rent paid by ``as_of``; None when nothing was due."""
    mine = [c for c in charges if c.month == month]
    due = sum(c.amount_cents for c in mine)
    if not due:
        return None
    return 100 * paid_by({c.id for c in mine}, payments, as_of) / due


@dataclass(frozen=True)
class RollRow:
    """One unit on the rent roll for a month."""

    unit: str
    tenant: str | None
    lease_start: date | None
    lease_end: date | None
    rent_cents: int | None
    due_cents: int
    collected_cents: int
    balance_cents: int
    vacancy_days: int


def rent_roll(
    units: Sequence[RentalUnit],
    leases: Sequence[Lease],
    charges: Sequence[RentCharge],
    payments: Sequence[RentPayment],
    month: int,
    first: date,
    last: date,
) -> list[RollRow]:
    """Per unit: the lease in force at ``last`` (or the latest before it), rent due for
    ``month``, collected against it by ``last``, the balance, and vacancy days in the period."""
    rows: list[RollRow] = []
    for u in units:
        mine = sorted((x for x in leases if x.unit_id == u.id), key=lambda x: x.start)
        current = [x for x in mine if x.start <= last and x.end >= first]
        lease = current[-1] if current else None
        due_charges = [c for c in charges if c.unit_id == u.id and c.month == month]
        due = sum(c.amount_cents for c in due_charges)
        got = paid_by({c.id for c in due_charges}, payments, last)
        rows.append(
            RollRow(
                unit=u.name,
                tenant=lease.tenant if lease else None,
                lease_start=lease.start if lease else None,
                lease_end=lease.end if lease else None,
                rent_cents=lease.rent_cents if lease else None,
                due_cents=due,
                collected_cents=got,
                balance_cents=due - got,
                vacancy_days=vacancy_days([u], mine, first, last),
            )
        )
    return rows


def maintenance_cost(tickets: Iterable[MaintenanceTicket], first: date, last: date) -> int:
    """Cost of tickets closed in [first, last] (posted to Expenses:Repairs on closing)."""
    return sum(
        t.cost_cents for t in tickets if t.closed_on is not None and first <= t.closed_on <= last
    )


def open_tickets(tickets: Iterable[MaintenanceTicket], as_of: date) -> int:
    """Tickets opened by ``as_of`` and not closed by then."""
    return sum(
        1 for t in tickets if t.opened_on <= as_of and (t.closed_on is None or t.closed_on > as_of)
    )


def net_operating_income(totals: Mapping[str, int]) -> int:
    """Income less operating expenses, from signed ledger totals by account (debits positive);
    mortgage interest, depreciation and income tax are not operating expenses."""
    income = -sum(c for p, c in totals.items() if p.startswith("Income:"))
    opex = sum(
        c
        for p, c in totals.items()
        if p.startswith("Expenses:") and not p.startswith(NON_OPERATING)
    )
    return income - opex


def cap_rate(noi_12m_cents: int, valuation_cents: int) -> float | None:
    """Trailing-twelve-month NOI as a percent of the stated valuation."""
    if valuation_cents <= 0:
        return None
    return 100 * noi_12m_cents / valuation_cents


def lease_expiries(leases: Sequence[Lease], as_of: date) -> list[Lease]:
    """Leases in force at ``as_of`` or signed to start later, by end date (the expiry timeline)."""
    return sorted((x for x in leases if x.end >= as_of), key=lambda x: (x.end, x.unit_id))
