"""Pure tech metrics: runtime end of life, cloud cost and idle resources, findings, dev cycle.

No I/O: callers pass rows (the NamedTuples below, as ``core.tech.store`` returns them) and the
day or month they ask about. Money in integer cents.

Definitions
- A service is *active* on a day when it was launched on or before it and not yet retired.
- A runtime is *past end of life* on a day after its EOL date, and *near end of life* when its
  EOL date is that day or within the next ``EOL_WATCH_DAYS`` days.
- A resource is *idle* in a month when it cost something and its mean utilization was below
  ``IDLE_UTILIZATION_PCT``; its days idle count from its last activity.
- A finding is *unfixed* on a day when it was opened on or before it and not fixed by then.
- Lead time of a commit is deployed_at - authored_at; a month's lead time is the median over
  the commits shipped by deploys in that month.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Literal, NamedTuple

EOL_WATCH_DAYS = 180
IDLE_UTILIZATION_PCT = 1.0
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
STATUS_ORDER = {"open": 0, "in_progress": 1, "fixed": 2}

EolStatus = Literal["past", "soon", "supported", "none"]


class ServiceRow(NamedTuple):
    """A service of the inventory."""

    entity_id: str
    name: str
    kind: str
    runtime: str
    owner: str
    repo: str | None
    launched_on: date
    retired_on: date | None


class CostRow(NamedTuple):
    """Cost of one service label in one month."""

    entity_id: str
    month: int
    service: str
    cents: int


class UsageRow(NamedTuple):
    """One billed resource in one month."""

    entity_id: str
    month: int
    resource: str
    service: str
    cents: int
    utilization_pct: float
    last_active_on: date | None


class FindingRow(NamedTuple):
    """A security finding."""

    entity_id: str
    service: str
    title: str
    fix: str
    severity: str
    status: str
    opened_on: date
    fixed_on: date | None
    source: str


class CommitRow(NamedTuple):
    """A commit; ``deployed_at`` is the instant of the deploy that shipped it (None: not yet)."""

    entity_id: str
    repo: str
    authored_at: datetime
    author: str
    deployed_at: datetime | None


class DeployRow(NamedTuple):
    """A production deploy."""

    entity_id: str
    repo: str
    tag: str
    deployed_at: datetime
    commit_count: int


class EolState(NamedTuple):
    """Days until end of life (negative: days since) and the resulting status."""

    days: int | None
    status: EolStatus


class Mover(NamedTuple):
    """A service whose cost changed between two months."""

    service: str
    previous: int
    current: int
    change: int
    pct: float | None  # None when the previous month cost nothing


# -- stack inventory --------------------------------------------------------------------------
def eol_state(eol: date | None, on: date, watch_days: int = EOL_WATCH_DAYS) -> EolState:
    """Days from ``on`` to ``eol`` and whether that is past, soon (within watch_days) or fine."""
    if eol is None:
        return EolState(None, "none")
    days = (eol - on).days
    if days < 0:
        return EolState(days, "past")
    return EolState(days, "soon" if days <= watch_days else "supported")


def active_services(services: Iterable[ServiceRow], on: date) -> list[ServiceRow]:
    """Services launched on or before ``on`` and not retired by then."""
    return [
        s for s in services if s.launched_on <= on and (s.retired_on is None or s.retired_on > on)
    ]


def eol_counts(
    services: Iterable[ServiceRow], on: date, eol_of: Callable[[str], date | None]
) -> tuple[int, int]:
    """(past end of life, near end of life) among the services active on ``on``."""
    states = [eol_state(eol_of(s.runtime), on).status for s in active_services(services, on)]
    return states.count("past"), states.count("soon")


# -- cost ---------------------------------------------------------------------------------------
def cost_by_service(costs: Iterable[CostRow], months: Sequence[int]) -> dict[str, list[int]]:
    """Cents per service label for each of ``months`` (entities added together)."""
    index = {m: i for i, m in enumerate(months)}
    out: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    for c in costs:
        if c.month in index:
            out[c.service][index[c.month]] += c.cents
    return dict(out)


def total_cost(costs: Iterable[CostRow], month: int) -> int:
    """Cents of every cost line in ``month``."""
    return sum(c.cents for c in costs if c.month == month)


def top_movers(costs: Iterable[CostRow], month: int, previous: int, n: int = 5) -> list[Mover]:
    """The ``n`` services whose cost changed most in dollars from ``previous`` to ``month``."""
    by = cost_by_service(costs, [previous, month])
    movers = [
        Mover(svc, prev, cur, cur - prev, round((cur - prev) / prev * 100, 1) if prev else None)
        for svc, (prev, cur) in by.items()
        if cur != prev
    ]
    movers.sort(key=lambda m: (-abs(m.change), m.service))
    return movers[:n]


def is_idle(u: UsageRow) -> bool:
    """Billed but (almost) unused in its month."""
    return u.cents > 0 and u.utilization_pct < IDLE_UTILIZATION_PCT


def idle_resources(usage: Iterable[UsageRow], month: int) -> list[UsageRow]:
    """Idle resources of ``month``, most expensive first."""
    rows = [u for u in usage if u.month == month and is_idle(u)]
    return sorted(rows, key=lambda u: (-u.cents, u.resource))


def idle_cost(usage: Iterable[UsageRow], month: int) -> int:
    """Cents spent on idle resources in ``month``."""
    return sum(u.cents for u in idle_resources(usage, month))


def days_idle(last_active_on: date | None, on: date) -> int | None:
    """Whole days from the last activity to ``on`` (None when never seen active)."""
    return None if last_active_on is None else max(0, (on - last_active_on).days)


# -- security -----------------------------------------------------------------------------------
def status_on(f: FindingRow, day: date) -> str:
    """A finding's status at the end of ``day``: fixed only if fixed by then, else not fixed."""
    if f.fixed_on is not None and f.fixed_on <= day:
        return "fixed"
    return f.status if f.status != "fixed" else "open"


def unfixed_on(findings: Iterable[FindingRow], day: date) -> list[FindingRow]:
    """Findings opened on or before ``day`` and not fixed by then."""
    return [f for f in findings if f.opened_on <= day and status_on(f, day) != "fixed"]


def roadmap(findings: Iterable[FindingRow], start: date, end: date) -> list[tuple[FindingRow, str]]:
    """(finding, status at ``end``) of findings open during start..end, open first by severity.

    Findings fixed before ``start`` are history and left out. Unfixed findings come first,
    by severity (critical first), open before in progress, the oldest first; fixed ones last.
    """
    rows = [
        (f, status_on(f, end))
        for f in findings
        if f.opened_on <= end and (f.fixed_on is None or f.fixed_on >= start)
    ]
    rows.sort(
        key=lambda fs: (
            fs[1] == "fixed",
            SEVERITY_ORDER.get(fs[0].severity, 9),
            STATUS_ORDER.get(fs[1], 9),
            fs[0].opened_on,
            fs[0].service,
        )
    )
    return rows


# -- dev cycle ----------------------------------------------------------------------------------
def week_starts(last_day: date, weeks: int) -> list[date]:
    """Mondays of the ``weeks`` ISO weeks ending with the week of ``last_day``."""
    monday = last_day - timedelta(days=last_day.weekday())
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def weekly_counts(days: Iterable[date], starts: Sequence[date]) -> list[int]:
    """How many of ``days`` fall in each week beginning at ``starts``."""
    index = {s: i for i, s in enumerate(starts)}
    out = [0] * len(starts)
    for d in days:
        i = index.get(d - timedelta(days=d.weekday()))
        if i is not None:
            out[i] += 1
    return out


def lead_time_hours(commit: CommitRow) -> float | None:
    """Hours from authoring to deploy (None while undeployed)."""
    if commit.deployed_at is None:
        return None
    return (commit.deployed_at - commit.authored_at).total_seconds() / 3600


def median_lead_time(commits: Iterable[CommitRow]) -> float | None:
    """Median lead time in hours over deployed commits (None when none was deployed)."""
    hours = [h for c in commits if (h := lead_time_hours(c)) is not None]
    return round(statistics.median(hours), 1) if hours else None


def per_week(count: int, days: int) -> float | None:
    """A count over ``days`` days expressed per 7 days (None when no day has passed)."""
    return round(count * 7 / days, 2) if days > 0 else None
