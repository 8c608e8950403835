"""The audit records agree with the ledger they posted to (demo portfolio)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.demo import generate, seed_demo
from core.ledger.models import Account, JournalEntry, JournalLine
from core.ledger.models_records import INSERT_ORDER, Invoice, RentCharge
from core.ledger.store import LedgerStore
from core.metrics import billing as bm
from core.periods import month_of
from core.records import store as audit_store
from core.records.demo import AuditDemo

TODAY = date(2026, 11, 24)
AR = "Assets:AccountsReceivable"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> LedgerStore:
    store = LedgerStore(f"sqlite:///{tmp_path_factory.mktemp('recon')}/ledger.db")
    store.create_all()
    seed_demo(store, months=24, today=TODAY)
    return store


def _income(store: LedgerStore, entity: str, paths: tuple[str, ...]) -> dict[int, int]:
    """Credits to the given income accounts per month, intercompany excluded."""
    out: dict[int, int] = defaultdict(int)
    for r in store.monthly_rows([entity]):
        if r.path in paths and not r.intercompany:
            out[r.month] -= r.cents
    return dict(out)


def test_rent_roll_sums_to_rental_income(seeded: LedgerStore) -> None:
    records = audit_store.rental_records(seeded, ["51st-St"])
    charged: dict[int, int] = defaultdict(int)
    for c in records.charges:
        charged[c.month] += c.amount_cents
    assert dict(charged) == _income(seeded, "51st-St", ("Income:Rent",))
    assert len(charged) == 24  # every month billed rent


def test_invoices_sum_to_billing_income(seeded: LedgerStore) -> None:
    records = audit_store.billing_records(seeded, ["DangerousCentaur"])
    invoiced: dict[int, int] = defaultdict(int)
    for i in records.invoices:
        invoiced[month_of(i.issued_on)] += i.amount_cents
    income = _income(seeded, "DangerousCentaur", ("Income:Consulting", "Income:Projects"))
    assert dict(invoiced) == income
    by_account: dict[str, int] = defaultdict(int)
    for i in records.invoices:
        by_account[i.income_account] += i.amount_cents
    assert by_account["Income:Consulting"] == sum(
        -r.cents
        for r in seeded.monthly_rows(["DangerousCentaur"])
        if r.path == "Income:Consulting" and not r.intercompany
    )


def test_delivery_invoices_sum_to_delivery_income(seeded: LedgerStore) -> None:
    jobs = audit_store.delivery_jobs(seeded, ["ExpertYachtDelivery"])
    invoiced: dict[int, int] = defaultdict(int)
    for j in jobs:
        if j.invoiced_on:
            invoiced[month_of(j.invoiced_on)] += j.invoice_cents
    assert dict(invoiced) == _income(seeded, "ExpertYachtDelivery", ("Income:Deliveries",))


def _days() -> list[date]:
    """Month ends, mid-months and today: AR is reconciled on any date, not only month ends."""
    out = [TODAY]
    d = date(2025, 1, 15)
    while d < TODAY:
        out += [d, d.replace(day=1) - timedelta(days=1)]
        d = (d.replace(day=28) + timedelta(days=10)).replace(day=15)
    return out


def test_ar_aging_total_equals_the_ledger_receivable_on_any_date(seeded: LedgerStore) -> None:
    records = audit_store.billing_records(seeded, ["DangerousCentaur"])
    for day in _days():
        aged = sum(
            bm.aging_totals(bm.open_invoices(records.invoices, records.payments, day)).values()
        )
        ledger = audit_store.account_balance_on(seeded, ["DangerousCentaur"], AR, day)
        assert aged == ledger, day


def test_balance_on_a_day_equals_the_lines_dated_by_then(seeded: LedgerStore) -> None:
    # the rollup to the month before plus that month's lines, against every line summed
    with seeded.engine.connect() as conn:
        lines = conn.execute(
            select(Account.entity_id, Account.path, JournalEntry.date, JournalLine.amount_cents)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .join(Account, Account.id == JournalLine.account_id)
        ).all()
    for entity in ("DangerousCentaur", "51st-St"):
        for path in (AR, "Assets", "Income:Rent"):
            for day in _days():
                expected = sum(
                    cents
                    for e, p, when, cents in lines
                    if e == entity and (p == path or p.startswith(path + ":")) and when <= day
                )
                assert audit_store.account_balance_on(seeded, [entity], path, day) == expected


def test_ar_aging_has_every_bucket(seeded: LedgerStore) -> None:
    records = audit_store.billing_records(seeded, ["DangerousCentaur"])
    last_close = TODAY.replace(day=1) - timedelta(days=1)
    totals = bm.aging_totals(bm.open_invoices(records.invoices, records.payments, last_close))
    assert all(totals[b] > 0 for b in bm.BUCKETS), totals


def test_rental_and_delivery_receivables_match_open_records(seeded: LedgerStore) -> None:
    rental = audit_store.rental_records(seeded, ["51st-St"])
    paid = {p.charge_id for p in rental.payments}
    open_rent = sum(c.amount_cents for c in rental.charges if c.id not in paid)
    assert audit_store.account_balance_on(seeded, ["51st-St"], AR, TODAY) == open_rent
    jobs = audit_store.delivery_jobs(seeded, ["ExpertYachtDelivery"])
    open_jobs = sum(j.invoice_cents for j in jobs if j.invoiced_on and not j.paid_on)
    assert audit_store.account_balance_on(seeded, ["ExpertYachtDelivery"], AR, TODAY) == open_jobs


def test_every_record_fingerprint_is_a_posted_entry(seeded: LedgerStore) -> None:
    with seeded.engine.connect() as conn:
        posted = dict(
            conn.execute(
                select(JournalEntry.fingerprint, JournalEntry.entity_id).where(
                    JournalEntry.fingerprint.is_not(None)
                )
            ).all()
        )
    fps: list[tuple[str, str]] = []
    with seeded.session() as s:
        for model in INSERT_ORDER:
            cols = [c for c in model.__table__.c if "fingerprint" in c.name]  # type: ignore[attr-defined]
            for col in cols:
                for fp, eid in s.execute(
                    select(col, model.entity_id).where(col.is_not(None))  # type: ignore[attr-defined]
                ):
                    fps.append((fp, eid))
    assert len(fps) > 500
    assert all(posted.get(fp) == eid for fp, eid in fps)
    # and every demo entry of these businesses that moves income or receivables has a record
    assert len(set(dict(fps))) == len(fps)


def test_charges_link_to_entries_with_the_same_amount(seeded: LedgerStore) -> None:
    with seeded.session() as s:
        charge = s.execute(select(RentCharge).limit(1)).scalar_one()
        invoice = s.execute(select(Invoice).limit(1)).scalar_one()
    for fp, cents, entity in (
        (charge.fingerprint, charge.amount_cents, "51st-St"),
        (invoice.fingerprint, invoice.amount_cents, "DangerousCentaur"),
    ):
        with seeded.engine.connect() as conn:
            entry = conn.execute(
                select(JournalEntry.id, JournalEntry.entity_id).where(
                    JournalEntry.fingerprint == fp
                )
            ).one()
            amounts = sorted(
                conn.scalars(
                    select(JournalLine.amount_cents).where(JournalLine.entry_id == entry.id)
                )
            )
        assert entry.entity_id == entity
        assert amounts == [-cents, cents]  # Dr receivable, Cr income, for the record's amount


def test_records_are_deterministic_and_follow_scale() -> None:
    def records(scale: int) -> dict[str, list[dict]]:
        audit = AuditDemo(today=TODAY, last=month_of(TODAY))
        out: dict[str, list[dict]] = defaultdict(list)
        for _ in generate(months=6, scale=scale, today=TODAY, audit=audit):
            for model, rows in audit.drain().items():
                out[model.__name__] += rows
        return out

    one, again, three = records(1), records(1), records(3)
    assert one == again
    assert len(three["DeliveryJob"]) > 2 * len(one["DeliveryJob"])
    assert len(three["Invoice"]) > len(one["Invoice"])
    assert len(three["RentCharge"]) == len(one["RentCharge"])  # the building does not scale


def test_reseeding_replaces_the_records(tmp_path: Path) -> None:
    store = LedgerStore(f"sqlite:///{tmp_path}/l.db")
    store.create_all()
    seed_demo(store, months=3, today=TODAY)
    before = len(audit_store.billing_records(store, ["DangerousCentaur"]).invoices)
    seed_demo(store, months=3, today=TODAY, force=True)
    assert len(audit_store.billing_records(store, ["DangerousCentaur"]).invoices) == before
    store.delete_entities(["DangerousCentaur"])
    assert audit_store.billing_records(store, ["DangerousCentaur"]).invoices == []
