"""The form fields of one paid delivery job, shared by the record-form contract tests."""

from __future__ import annotations


def job_fields(**changes: object) -> dict[str, object]:
    """A paid job's fields (money in dollars), with ``changes`` applied."""
    job: dict[str, object] = {
        "vessel": "Sea Dog", "origin": "San Diego", "destination": "Seattle",
        "nautical_miles": 1100, "stage": "paid", "lead_on": "2026-09-01",
        "quoted_on": "2026-09-03", "booked_on": "2026-09-10", "planned_start": "2026-10-01",
        "planned_days": 9, "started_on": "2026-10-01", "delivered_on": "2026-10-11",
        "actual_days": 11, "quote": 18000, "quoted_cost": 11000, "crew_cost": 7000,
        "fuel_cost": 3500, "travel_cost": 900, "invoice": 18000, "invoiced_on": "2026-10-12",
        "due_on": "2026-11-11", "paid_on": "2026-11-05",
    }  # fmt: skip
    return job | changes
