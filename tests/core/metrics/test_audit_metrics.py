"""Rental, delivery and billing metrics on small hand-computed records."""

from __future__ import annotations

from datetime import date

import pytest

from core.ledger.models_records import (
    DeliveryJob,
    Invoice,
    InvoicePayment,
    Lease,
    MaintenanceTicket,
    RentalUnit,
    RentCharge,
    RentPayment,
    TimeEntry,
)
from core.metrics import billing as bm
from core.metrics import delivery as dm
from core.metrics import rental as rm

D = date


# -- rental -------------------------------------------------------------------------------------
def _unit(uid: str) -> RentalUnit:
    return RentalUnit(
        id=uid, entity_id="R", property_id="P", name=uid, bedrooms=2, market_rent_cents=0
    )


def _lease(lid: str, unit: str, start: date, end: date, rent: int = 3000_00) -> Lease:
    return Lease(
        id=lid, entity_id="R", unit_id=unit, tenant=lid, start=start, end=end, rent_cents=rent
    )


UNITS = [_unit("A"), _unit("B")]
# A leased all June; B's lease ends 10 June, the next starts 21 June: 10 vacant days
LEASES = [
    _lease("L1", "A", D(2026, 1, 1), D(2026, 12, 31)),
    _lease("L2", "B", D(2025, 6, 11), D(2026, 6, 10), 2000_00),
    _lease("L3", "B", D(2026, 6, 21), D(2027, 6, 20), 2100_00),
]
CHARGES = [
    RentCharge(
        id="c1",
        entity_id="R",
        lease_id="L1",
        unit_id="A",
        month=202606,
        due_date=D(2026, 6, 1),
        amount_cents=3000_00,
        fingerprint="f1",
    ),
    RentCharge(
        id="c2",
        entity_id="R",
        lease_id="L2",
        unit_id="B",
        month=202606,
        due_date=D(2026, 6, 1),
        amount_cents=666_66,
        fingerprint="f2",
    ),
    RentCharge(
        id="c3",
        entity_id="R",
        lease_id="L3",
        unit_id="B",
        month=202606,
        due_date=D(2026, 6, 21),
        amount_cents=700_00,
        fingerprint="f3",
    ),
]
PAYMENTS = [
    RentPayment(
        id="p1",
        entity_id="R",
        charge_id="c1",
        paid_on=D(2026, 6, 2),
        amount_cents=3000_00,
        fingerprint="g1",
    ),
    RentPayment(
        id="p2",
        entity_id="R",
        charge_id="c2",
        paid_on=D(2026, 6, 3),
        amount_cents=666_66,
        fingerprint="g2",
    ),
    RentPayment(
        id="p3",
        entity_id="R",
        charge_id="c3",
        paid_on=D(2026, 7, 5),
        amount_cents=700_00,
        fingerprint="g3",
    ),
    RentPayment(
        id="p0",
        entity_id="R",
        charge_id="old",
        paid_on=D(2026, 6, 9),
        amount_cents=100_00,
        fingerprint="g0",
    ),
]
JUNE = (D(2026, 6, 1), D(2026, 6, 30))


def test_vacancy_and_occupancy() -> None:
    assert rm.vacancy_days(UNITS, LEASES, *JUNE) == 10
    assert rm.occupancy(UNITS, LEASES, *JUNE) == pytest.approx(100 * 50 / 60)
    assert rm.occupancy([], LEASES, *JUNE) is None


def test_due_collected_and_rate() -> None:
    assert rm.rent_due(CHARGES, 202606) == 4366_66
    # cash received in June, whatever month it was for (p0 is last month's rent)
    assert rm.rent_collected(PAYMENTS, *JUNE) == 3000_00 + 666_66 + 100_00
    assert rm.collection_rate(CHARGES, PAYMENTS, 202606, D(2026, 6, 30)) == pytest.approx(
        100 * 3666_66 / 4366_66
    )
    assert rm.collection_rate(CHARGES, PAYMENTS, 202606, D(2026, 7, 31)) == 100
    assert rm.collection_rate(CHARGES, PAYMENTS, 202605, D(2026, 7, 31)) is None


def test_rent_roll_rows() -> None:
    roll = rm.rent_roll(UNITS, LEASES, CHARGES, PAYMENTS, 202606, *JUNE)
    a, b = roll
    assert (a.tenant, a.due_cents, a.collected_cents, a.balance_cents, a.vacancy_days) == (
        "L1",
        3000_00,
        3000_00,
        0,
        0,
    )
    assert (b.tenant, b.due_cents, b.collected_cents, b.balance_cents, b.vacancy_days) == (
        "L3",
        1366_66,
        666_66,
        700_00,
        10,
    )


def test_maintenance_noi_cap_rate_and_expiries() -> None:
    tickets = [
        MaintenanceTicket(
            id="t1",
            entity_id="R",
            unit_id="A",
            category="x",
            description="",
            opened_on=D(2026, 5, 28),
            closed_on=D(2026, 6, 2),
            cost_cents=400_00,
        ),
        MaintenanceTicket(
            id="t2",
            entity_id="R",
            unit_id="A",
            category="x",
            description="",
            opened_on=D(2026, 6, 20),
            closed_on=None,
        ),
        MaintenanceTicket(
            id="t3",
            entity_id="R",
            unit_id="B",
            category="x",
            description="",
            opened_on=D(2026, 6, 25),
            closed_on=D(2026, 7, 2),
            cost_cents=90_00,
        ),
    ]
    assert rm.maintenance_cost(tickets, *JUNE) == 400_00
    assert rm.open_tickets(tickets, D(2026, 6, 30)) == 2
    assert rm.open_tickets(tickets, D(2026, 7, 3)) == 1
    totals = {
        "Income:Rent": -5000_00,
        "Expenses:Repairs": 400_00,
        "Expenses:PropertyTax": 600_00,
        "Expenses:MortgageInterest": 2500_00,  # financing: not operating
        "Assets:Bank:Checking": 1500_00,
    }
    assert rm.net_operating_income(totals) == 4000_00
    assert rm.cap_rate(48_000_00, 1_000_000_00) == pytest.approx(4.8)
    assert rm.cap_rate(48_000_00, 0) is None
    assert [x.id for x in rm.lease_expiries(LEASES, D(2026, 6, 30))] == ["L1", "L3"]


# -- delivery -----------------------------------------------------------------------------------
def _job(jid: str, **kw: object) -> DeliveryJob:
    base: dict[str, object] = dict(
        id=jid,
        entity_id="Y",
        vessel="v",
        origin="a",
        destination="b",
        nautical_miles=500,
        stage="lead",
        lead_on=D(2026, 5, 1),
        planned_start=D(2026, 6, 1),
        planned_days=5,
    )
    base.update(kw)
    return DeliveryJob(**base)


ON_TIME = _job(
    "J1",
    quoted_on=D(2026, 5, 2),
    booked_on=D(2026, 5, 5),
    started_on=D(2026, 6, 1),
    delivered_on=D(2026, 6, 6),
    actual_days=5,
    quote_cents=5000_00,
    quoted_cost_cents=3000_00,
    crew_cost_cents=2000_00,
    fuel_cost_cents=500_00,
    travel_cost_cents=400_00,
    invoice_cents=5000_00,
    invoiced_on=D(2026, 6, 7),
    paid_on=D(2026, 6, 20),
)
LATE = _job(
    "J2",
    nautical_miles=300,
    quoted_on=D(2026, 5, 2),
    booked_on=D(2026, 5, 5),
    started_on=D(2026, 6, 10),
    delivered_on=D(2026, 6, 18),
    actual_days=8,
    delay_reason="weather",
    quote_cents=3000_00,
    quoted_cost_cents=2000_00,
    crew_cost_cents=1800_00,
    fuel_cost_cents=300_00,
    travel_cost_cents=200_00,
)
LEAD = _job("J3", lead_on=D(2026, 6, 25), quote_cents=7000_00)


def test_stage_of_follows_the_dates() -> None:
    assert dm.stage_of(ON_TIME, D(2026, 4, 30)) is None
    assert dm.stage_of(ON_TIME, D(2026, 5, 1)) == "lead"
    assert dm.stage_of(ON_TIME, D(2026, 5, 3)) == "quoted"
    assert dm.stage_of(ON_TIME, D(2026, 5, 31)) == "booked"
    assert dm.stage_of(ON_TIME, D(2026, 6, 3)) == "underway"
    assert dm.stage_of(ON_TIME, D(2026, 6, 6)) == "delivered"
    assert dm.stage_of(ON_TIME, D(2026, 6, 7)) == "invoiced"
    assert dm.stage_of(ON_TIME, D(2026, 6, 30)) == "paid"
    stages = dm.pipeline([ON_TIME, LATE, LEAD], D(2026, 6, 30))
    assert stages["paid"] == (1, 5000_00)
    assert stages["delivered"] == (1, 3000_00)
    assert stages["lead"] == (1, 7000_00)
    assert stages["quoted"] == (0, 0)


def test_delivery_figures() -> None:
    done = dm.delivered_between([ON_TIME, LATE, LEAD], *JUNE)
    assert [j.id for j in done] == ["J1", "J2"]
    assert dm.nautical_miles(done) == 800
    assert dm.days_at_sea(done) == 13
    assert dm.on_time_rate(done) == 50
    assert dm.on_time_rate([]) is None
    # (5000 - 2900) + (3000 - 2300) = 2800 dollars over 800 nm
    assert dm.margin_per_nm(done) == pytest.approx(2800_00 / 800)
    assert dm.cost_overrun(done) == (2900_00 - 3000_00) + (2300_00 - 2000_00)
    assert dm.delay_reasons(done) == {"weather": 1}
    assert dm.price(LATE) == 3000_00  # not invoiced yet: the quote


# -- billing ------------------------------------------------------------------------------------
def _inv(iid: str, client: str, issued: date, due: date, cents: int) -> Invoice:
    return Invoice(
        id=iid,
        entity_id="C",
        client_id=client,
        number=iid,
        kind="project",
        income_account="Income:Projects",
        issued_on=issued,
        due_on=due,
        amount_cents=cents,
        fingerprint=iid,
    )


INVOICES = [
    _inv("I1", "x", D(2026, 1, 1), D(2026, 1, 31), 1000_00),  # 150 days late on 30 June: 90+
    _inv("I2", "x", D(2026, 3, 15), D(2026, 4, 14), 2000_00),  # 77 days: 61-90
    _inv("I3", "y", D(2026, 4, 20), D(2026, 5, 20), 3000_00),  # 41 days: 31-60
    _inv("I4", "y", D(2026, 5, 1), D(2026, 6, 1), 4000_00),  # 29 days: 1-30
    _inv("I5", "z", D(2026, 6, 10), D(2026, 6, 30), 5000_00),  # due today: current
    _inv("I6", "z", D(2026, 7, 1), D(2026, 7, 31), 6000_00),  # not issued yet
]
PAID = [
    InvoicePayment(
        id="p1",
        entity_id="C",
        invoice_id="I4",
        paid_on=D(2026, 6, 5),
        amount_cents=1500_00,
        fingerprint="p1",
    ),
    InvoicePayment(
        id="p2",
        entity_id="C",
        invoice_id="I2",
        paid_on=D(2026, 7, 5),
        amount_cents=2000_00,
        fingerprint="p2",
    ),
]


def test_buckets_edges() -> None:
    assert [bm.bucket_of(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "current",
        "current",
        "1-30",
        "1-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        "90+",
    ]


def test_aging_as_of_two_dates() -> None:
    june = bm.open_invoices(INVOICES, PAID, D(2026, 6, 30))
    assert bm.aging_totals(june) == {
        "current": 5000_00,
        "1-30": 2500_00,
        "31-60": 3000_00,
        "61-90": 2000_00,
        "90+": 1000_00,
    }
    assert bm.aging_by_client(june)["y"] == {
        "current": 0,
        "1-30": 2500_00,
        "31-60": 3000_00,
        "61-90": 0,
        "90+": 0,
    }
    # on 10 July: I2 is paid; I3 (51 days) and I4 (39 days) are both 31-60; I5 is 10 days late
    july = bm.aging_totals(bm.open_invoices(INVOICES, PAID, D(2026, 7, 10)))
    assert july == {
        "current": 6000_00,
        "1-30": 5000_00,
        "31-60": 5500_00,
        "61-90": 0,
        "90+": 1000_00,
    }


def _te(day: date, minutes: int, rate: int, invoice: str | None) -> TimeEntry:
    return TimeEntry(
        id=f"t{day}{minutes}",
        entity_id="C",
        client_id="x",
        day=day,
        minutes=minutes,
        rate_cents=rate,
        invoice_id=invoice,
    )


def test_unbilled_concentration_and_rate() -> None:
    entries = [
        _te(D(2026, 6, 5), 120, 150_00, "I6"),  # invoiced 1 July: unbilled on 30 June
        _te(D(2026, 6, 12), 60, 150_00, None),
        _te(D(2026, 6, 12), 600, 0, None),  # retainer time: never unbilled
        _te(D(2026, 7, 2), 60, 150_00, None),  # after the date
    ]
    issued = {"I6": D(2026, 7, 1)}
    assert bm.unbilled(entries, issued, D(2026, 6, 30)) == 450_00
    assert bm.unbilled(entries, issued, D(2026, 7, 1)) == 150_00
    by_client = bm.revenue_by_client(INVOICES[:5])
    assert list(by_client) == ["y", "z", "x"]
    assert bm.top_client_share(by_client) == pytest.approx(100 * 7000 / 15000)
    assert bm.top_client_share({}) is None
    assert bm.hours(entries[:3]) == 13
    assert bm.effective_hourly_rate(2600_00, entries[:3]) == pytest.approx(200_00)
    assert bm.effective_hourly_rate(100, []) is None
