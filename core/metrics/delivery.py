"""Yacht delivery metrics: pipeline stages, miles, days, on-time rate, costs and margins.

Pure functions over ``DeliveryJob`` records. Money is integer cents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from core.ledger.models_records import DELIVERY_STAGES, DeliveryJob

# the date that moves a job into each stage, latest stage first
STAGE_DATES = (
    ("paid", "paid_on"),
    ("invoiced", "invoiced_on"),
    ("delivered", "delivered_on"),
    ("underway", "started_on"),
    ("booked", "booked_on"),
    ("quoted", "quoted_on"),
    ("lead", "lead_on"),
)


def stage_from(dates: Mapping[str, date | None], day: date) -> str | None:
    """The stage on ``day`` given a job's dates by field name; None before the lead came in."""
    for stage, attr in STAGE_DATES:
        when = dates.get(attr)
        if when is not None and when <= day:
            return stage
    return None


def stage_of(job: DeliveryJob, day: date) -> str | None:
    """The job's stage on ``day`` from its dates; None before the lead came in."""
    return stage_from({attr: getattr(job, attr) for _, attr in STAGE_DATES}, day)


def pipeline(jobs: Iterable[DeliveryJob], day: date) -> dict[str, tuple[int, int]]:
    """(count, quoted value in cents) per stage on ``day``, every stage present."""
    out = {s: (0, 0) for s in DELIVERY_STAGES}
    for job in jobs:
        stage = stage_of(job, day)
        if stage is not None:
            n, v = out[stage]
            out[stage] = (n + 1, v + job.quote_cents)
    return out


def delivered_between(jobs: Iterable[DeliveryJob], first: date, last: date) -> list[DeliveryJob]:
    """Jobs delivered in [first, last]."""
    return [j for j in jobs if j.delivered_on is not None and first <= j.delivered_on <= last]


def actual_cost(job: DeliveryJob) -> int:
    """Crew, fuel and travel actually spent."""
    return job.crew_cost_cents + job.fuel_cost_cents + job.travel_cost_cents


def price(job: DeliveryJob) -> int:
    """What the job bills: the invoice once issued, else the quote."""
    return job.invoice_cents or job.quote_cents


def is_on_time(job: DeliveryJob) -> bool:
    """Delivered within the planned number of days."""
    return job.actual_days is not None and job.actual_days <= job.planned_days


def on_time_rate(delivered: Sequence[DeliveryJob]) -> float | None:
    """Percent of delivered jobs on time; None when none was delivered."""
    if not delivered:
        return None
    return 100 * sum(is_on_time(j) for j in delivered) / len(delivered)


def nautical_miles(delivered: Iterable[DeliveryJob]) -> int:
    """Miles sailed on the delivered jobs."""
    return sum(j.nautical_miles for j in delivered)


def days_at_sea(delivered: Iterable[DeliveryJob]) -> int:
    """Actual days the delivered jobs took."""
    return sum(j.actual_days or 0 for j in delivered)


def margin_per_nm(delivered: Sequence[DeliveryJob]) -> float | None:
    """(price - actual cost) per nautical mile in cents; None without miles."""
    miles = nautical_miles(delivered)
    if not miles:
        return None
    return sum(price(j) - actual_cost(j) for j in delivered) / miles


def cost_overrun(delivered: Iterable[DeliveryJob]) -> int:
    """Actual cost minus the quoted cost estimate (positive: over the estimate)."""
    return sum(actual_cost(j) - j.quoted_cost_cents for j in delivered)


def delay_reasons(delivered: Iterable[DeliveryJob]) -> dict[str, int]:
    """Late jobs by reason, most frequent first."""
    counts = Counter(j.delay_reason or "unrecorded" for j in delivered if not is_on_time(j))
    return dict(counts.most_common())
