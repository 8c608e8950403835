"""Rental, yacht-delivery and client-billing reports: figures, scope, empties, email, CLI."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.cli import main
from core.config import get_settings
from core.demo import seed_demo
from core.errors import Forbidden
from core.ledger.models_records import DeliveryJob, Invoice, RentalUnit
from core.ledger.store import LedgerStore, open_ledger
from core.records import store as audit_store
from core.reports.client_billing import build_client_billing
from core.reports.email import render_email
from core.reports.registry import build_scoped
from core.reports.scope import resolve_scope

TZ = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=TZ)
TODAY = NOW.date()
PERIOD = 202610
NAMES = ("rental", "yacht-delivery", "client-billing")
OWNER = {
    "rental": "51st-St",
    "yacht-delivery": "ExpertYachtDelivery",
    "client-billing": "DangerousCentaur",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> LedgerStore:
    store = LedgerStore(f"sqlite:///{tmp_path_factory.mktemp('audits')}/ledger.db")
    store.create_all()
    seed_demo(store, months=14, today=TODAY)
    return store


def _build(store: LedgerStore, name: str, entity: str, **kw: object):
    scope = resolve_scope(store, entity=entity, period=PERIOD, **kw)  # type: ignore[arg-type]
    return build_scoped(name, store, scope, tz=TZ, now=NOW)


def _table(report, table_id: str):
    return next(
        i
        for s in report.sections
        for i in s.items
        if getattr(i, "id", None) == table_id and i.type == "table"
    )


@pytest.mark.parametrize("name", NAMES)
def test_all_and_owner_entity_give_the_same_figures(seeded: LedgerStore, name: str) -> None:
    whole = _build(seeded, name, "all")
    own = _build(seeded, name, OWNER[name])
    assert [k.value for k in whole.kpis] == [k.value for k in own.kpis]
    assert all(k.value is not None for k in own.kpis[:3])
    assert render_email(own).subject  # the same Report renders as email
    json.dumps(own.to_dict())


@pytest.mark.parametrize("name", NAMES)
def test_an_entity_without_records_gets_null_kpis_and_empty_tables(
    seeded: LedgerStore, name: str
) -> None:
    report = _build(seeded, name, "JADA")
    assert all(k.value is None for k in report.kpis)
    tables = [i for s in report.sections for i in s.items if i.type == "table"]
    assert tables and all(t.rows == [] for t in tables)
    texts = [i.text for s in report.sections for i in s.items if i.type == "finding"]
    assert any(t.startswith("No ") and "records for JADA" in t for t in texts)
    render_email(report)


def test_rental_rent_roll_matches_income_and_kpis(seeded: LedgerStore) -> None:
    report = _build(seeded, "rental", "51st-St")
    roll = _table(report, "rent_roll")
    total = roll.rows[-1]
    income = -sum(
        r.cents
        for r in seeded.monthly_rows(["51st-St"])
        if r.path == "Income:Rent" and r.month == PERIOD
    )
    assert total["due"] == income / 100 == report.kpi("rent_due").value
    assert {r["unit"] for r in roll.rows[:-1]} == {"Unit A", "Unit B"}
    cap = report.kpi("cap_rate").value
    assert cap is not None and 2 < cap < 8
    assert _table(report, "lease_expiries").rows


def test_delivery_pipeline_and_kpis(seeded: LedgerStore) -> None:
    report = _build(seeded, "yacht-delivery", "ExpertYachtDelivery")
    jobs = audit_store.delivery_jobs(seeded, ["ExpertYachtDelivery"])
    done = [j for j in jobs if j.delivered_on and month(j.delivered_on) == PERIOD]
    assert report.kpi("deliveries").value == len(done)
    assert report.kpi("nautical_miles").value == sum(j.nautical_miles for j in done)
    assert report.kpi("crew_cost").value == sum(j.crew_cost_cents for j in done) / 100
    assert len(_table(report, "delivered").rows) == len(done)
    stages = {j.stage for j in jobs}
    assert {"paid", "booked"} <= stages
    # jobs by stage: counts on their own axis, money on the right; the paid history (every
    # job ever paid) is in the title, not a column that would flatten the moving stages
    chart = next(i for s in report.sections for i in s.items if getattr(i, "id", "") == "pipeline")
    assert (chart.unit, chart.secondary_unit) == ("count", "USD")
    assert "paid" not in chart.x and chart.x[0] == "lead"
    end = date(PERIOD // 100, PERIOD % 100, 31)  # the stages as of the month's last day
    paid = sum(1 for j in jobs if j.paid_on and j.paid_on <= end)
    assert f"({paid} paid to date, $" in chart.title


def month(d: date) -> int:
    return d.year * 100 + d.month


def test_billing_invoices_table_sums_to_income_and_aging_to_the_ledger(seeded: LedgerStore) -> None:
    report = _build(seeded, "client-billing", "DangerousCentaur")
    invoices = _table(report, "invoices")
    income = -sum(
        r.cents
        for r in seeded.monthly_rows(["DangerousCentaur"])
        if r.path in ("Income:Consulting", "Income:Projects")
        and r.month == PERIOD
        and not r.intercompany
    )
    assert round(sum(r["amount"] for r in invoices.rows) * 100) == income
    assert report.kpi("billed_revenue").value == income / 100
    aging = next(s for s in report.sections if s.id == "aging")
    assert aging.title == "AR aging as of 2026-10-31"
    assert "they agree" in aging.items[0].text
    total = _table(report, "aging_by_client").rows[-1]
    ledger = audit_store.account_balance_on(
        seeded, ["DangerousCentaur"], "Assets:AccountsReceivable", date(2026, 10, 31)
    )
    assert round(total["total"] * 100) == ledger
    assert report.kpi("ar_outstanding").value == ledger / 100
    share = report.kpi("top_client_share").value
    assert share is not None and 0 < share <= 100


def test_billing_aging_as_of_a_chosen_date(seeded: LedgerStore) -> None:
    scope = resolve_scope(seeded, entity="DangerousCentaur", period=PERIOD)
    day = date(2026, 8, 17)
    report = build_client_billing(seeded, scope, tz=TZ, now=NOW, as_of=day)
    aging = next(s for s in report.sections if s.id == "aging")
    assert aging.title == f"AR aging as of {day}"
    ledger = audit_store.account_balance_on(
        seeded, ["DangerousCentaur"], "Assets:AccountsReceivable", day
    )
    assert round(_table(report, "aging_by_client").rows[-1]["total"] * 100) == ledger
    default = build_client_billing(seeded, scope, tz=TZ, now=NOW)
    assert [k.value for k in report.kpis] == [k.value for k in default.kpis]  # KPIs keep the period


def test_current_month_defaults_to_today(seeded: LedgerStore) -> None:
    scope = resolve_scope(seeded, entity="DangerousCentaur", period=202611)
    report = build_client_billing(seeded, scope, tz=TZ, now=NOW)
    assert next(s for s in report.sections if s.id == "aging").title == f"AR aging as of {TODAY}"


def test_a_scoped_reader_never_receives_another_entitys_rows(seeded: LedgerStore) -> None:
    with pytest.raises(Forbidden):
        resolve_scope(seeded, entity="DangerousCentaur", period=PERIOD, allowed={"QuickDumpNow"})
    for name in NAMES:
        mine = _build(seeded, name, "all", allowed={"QuickDumpNow"})
        assert all(k.value is None for k in mine.kpis)
        assert all(i.rows == [] for s in mine.sections for i in s.items if i.type == "table")
    # the data layer filters in SQL: asking for one entity's ids returns none of another's rows
    assert audit_store.billing_records(seeded, ["QuickDumpNow"]).invoices == []
    assert audit_store.delivery_jobs(seeded, ["51st-St"]) == []
    assert audit_store.rental_records(seeded, ["DangerousCentaur"]).units == []
    for model, owner in (
        (Invoice, "DangerousCentaur"),
        (DeliveryJob, "ExpertYachtDelivery"),
        (RentalUnit, "51st-St"),
    ):
        assert audit_store.entities_with(seeded, model, ["JADA", owner, "QuickDumpNow"]) == [owner]
    scoped = _build(seeded, "client-billing", "all", allowed={"DangerousCentaur", "JADA"})
    names = {c.name for c in audit_store.billing_records(seeded, ["DangerousCentaur"]).clients}
    assert {r["client"] for r in _table(scoped, "clients").rows} <= names


def test_cli_prints_json_and_takes_as_of_for_client_billing_only(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_demo(open_ledger(get_settings().ledger_url), months=3, today=datetime.now(TZ).date())
    period = f"{TODAY.year}-{TODAY.month:02d}"
    for name in NAMES:
        assert (
            main(["report", name, "--entity", "all", "--period", period, "--format", "json"]) == 0
        )
        data = json.loads(capsys.readouterr().out)
        assert data["report"] == name and data["kpis"]
    assert (
        main(
            [
                "report",
                "client-billing",
                "--entity",
                "DangerousCentaur",
                "--period",
                period,
                "--as-of",
                "2026-01-15",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert any(s["title"] == "AR aging as of 2026-01-15" for s in data["sections"])
    assert (
        main(["report", "cfo", "--entity", "all", "--period", period, "--as-of", "2026-01-15"]) == 2
    )
    assert "client-billing only" in capsys.readouterr().err
    assert (
        main(["report", "client-billing", "--entity", "all", "--period", period, "--as-of", "soon"])
        == 2
    )
    assert (
        main(["report", "rental", "--entity", "JADA", "--period", period, "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert all(k["value"] is None for k in data["kpis"])
