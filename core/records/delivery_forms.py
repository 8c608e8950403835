"""Yacht delivery jobs from a form or CSV, with the stage they stand at.

A job's stage must agree with its dates (a delivered job has a delivery day, a lead has no
quote yet...). As in the demo, a job posts, when they happened: its costs on the delivery day
(Dr Expenses:CrewFees/Fuel/Travel, Cr Bank), the invoice on the invoice day (Dr
AccountsReceivable / Cr Income:Deliveries) and the payment on the day paid (Dr Bank / Cr
AccountsReceivable).
"""

from __future__ import annotations

from typing import Any

from core.ledger.accounts import BANK, RECEIVABLE
from core.ledger.models_records import DELIVERY_STAGES, DeliveryJob
from core.records.form_fields import FormField
from core.records.forms import Built, Draft, RecordForm, adder

FAMILY = "delivery"
# the day each stage is reached, in order; a job at a stage has every day up to it
STAGE_DAYS = {
    "lead": "lead_on",
    "quoted": "quoted_on",
    "booked": "booked_on",
    "underway": "started_on",
    "delivered": "delivered_on",
    "invoiced": "invoiced_on",
    "paid": "paid_on",
}
_COSTS = ("crew_cost", "fuel_cost", "travel_cost")


def _stage_problems(d: Draft) -> None:
    """Every day up to the stage is given, none after it, and the days run in order."""
    v = d.values
    reached = DELIVERY_STAGES.index(v["stage"])
    previous: tuple[str, Any] | None = None
    for i, stage in enumerate(DELIVERY_STAGES):
        day_field = STAGE_DAYS[stage]
        day = v[day_field]
        if i <= reached and day is None:
            d.fail(day_field, f"is required for a job at stage {v['stage']!r}")
        elif i > reached and day is not None:
            d.fail(day_field, f"must be empty until the job is {stage} (it is {v['stage']})")
        if day is not None:
            if previous is not None and day < previous[1]:
                d.fail(day_field, f"is before {previous[0].replace('_', ' ')}")
            previous = (day_field, day)


def _job(d: Draft) -> Built | None:
    v = d.values
    _stage_problems(d)
    if v["delivered_on"] is not None and v["actual_days"] is None:
        d.fail("actual_days", "is required once the job is delivered")
    if v["invoiced_on"] is not None:
        if not v["invoice"]:
            d.fail("invoice", "is required once the job is invoiced")
        if v["due_on"] is None:
            d.fail("due_on", "is required once the job is invoiced")
        elif v["due_on"] < v["invoiced_on"]:
            d.fail("due_on", "must be on or after the invoice day")
    if v["planned_days"] <= 0:
        d.fail("planned_days", "must be at least one day")
    if d.problems:
        return None
    short = d.id.split(":", 1)[1]
    costs = {name: v[name] or 0 for name in _COSTS}
    entries = []
    if v["delivered_on"] is not None and sum(costs.values()):
        accounts = ("Expenses:CrewFees", "Expenses:Fuel", "Expenses:Travel")
        lines = [(a, costs[c]) for a, c in zip(accounts, _COSTS, strict=True)]
        entries.append(
            (
                "delivered_on",
                d.entry(
                    "delivered_on",
                    f"Delivery costs {short}: crew, fuel, travel ({v['nautical_miles']} nm)",
                    [*lines, (BANK, -sum(costs.values()))],
                    "costs",
                    cost_behaviors=dict.fromkeys(accounts, "variable"),
                ),
            )
        )
    invoice = v["invoice"] or 0
    if v["invoiced_on"] is not None:
        text = f"Delivery invoice {short}: {v['vessel']}"
        lines = [(RECEIVABLE, invoice), ("Income:Deliveries", -invoice)]
        entries.append(("invoiced_on", d.entry("invoiced_on", text, lines, "invoice")))
    if v["paid_on"] is not None:
        lines = [(BANK, invoice), (RECEIVABLE, -invoice)]
        entries.append(("paid_on", d.entry("paid_on", f"Payment {short}", lines, "payment")))
    fingerprints = {what: e.fingerprint for what, e in entries}
    row = {k: v[k] for k in (f.name for f in JOBS.fields) if k not in _MONEY}
    row |= {f"{k}_cents": v[k] or 0 for k in _MONEY}
    row |= {
        "cost_fingerprint": fingerprints.get("delivered_on"),
        "invoice_fingerprint": fingerprints.get("invoiced_on"),
        "payment_fingerprint": fingerprints.get("paid_on"),
    }
    return Built(row, entries)


_MONEY = ("quote", "quoted_cost", *_COSTS, "invoice")


def _day(name: str, label: str) -> FormField:
    return FormField(name, label, "date", required=name == "lead_on")


JOBS = RecordForm(
    "delivery_jobs", "Delivery job", FAMILY, DeliveryJob, "J",
    (
        FormField("vessel", "Vessel"),
        FormField("origin", "From"),
        FormField("destination", "To"),
        FormField("nautical_miles", "Nautical miles", "int"),
        FormField("stage", "Stage", "choice", choices=DELIVERY_STAGES),
        _day("lead_on", "Lead on"),
        _day("quoted_on", "Quoted on"),
        _day("booked_on", "Booked on"),
        FormField("planned_start", "Planned start", "date"),
        FormField("planned_days", "Planned days", "int"),
        _day("started_on", "Started on"),
        _day("delivered_on", "Delivered on"),
        FormField("actual_days", "Actual days", "int", required=False),
        FormField("delay_reason", "Delay reason", required=False),
        FormField("quote", "Quote ($)", "money", required=False),
        FormField("quoted_cost", "Cost estimate ($)", "money", required=False),
        FormField("crew_cost", "Crew cost ($)", "money", required=False),
        FormField("fuel_cost", "Fuel cost ($)", "money", required=False),
        FormField("travel_cost", "Travel cost ($)", "money", required=False),
        FormField("invoice", "Invoice ($)", "money", required=False),
        _day("invoiced_on", "Invoiced on"),
        FormField("due_on", "Invoice due on", "date", required=False),
        _day("paid_on", "Paid on"),
    ),
    _job,
    posts="costs on the delivery day, the invoice on the invoice day, the payment when paid",
    label=("vessel", "origin", "destination"),
)  # fmt: skip
FORMS = (JOBS,)


add_delivery_job = adder(JOBS)
