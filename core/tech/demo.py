"""Deterministic tech demo: services, cloud costs and usage, security findings, git history.

Same arguments -> same rows (a seeded RNG; "today" is an argument). It covers the same months
as the ledger demo: ``months`` months ending with today's month, nothing dated after today.
Runtimes are picked relative to today (the release whose end of life is nearest to today plus
an offset), so the demo always shows some services past end of life and some close to it.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.ledger.models import Target
from core.ledger.models_tech import (
    CloudCost,
    CloudResourceUsage,
    Deploy,
    GitCommit,
    SecurityFinding,
    TechService,
)
from core.ledger.store import LedgerStore
from core.periods import days_in, first_day, last_day, month_add, month_of, month_range
from core.tech.demo_catalog import (
    BOOKING_SEASON,
    BOOKINGS_DB_RESIZE_AGO,
    EXTRAS,
    FINDINGS,
    RAMP_DAYS,
    SERVICES,
    STAGING_IDLE_AGO,
    TARGETS,
    ZERO_TARGETS,
    DemoService,
)
from core.tech.runtimes import EOL_DATES, releases
from core.tech.store import insert_rows

SEED = 20261125
SOURCE = "demo"
LOCAL = ZoneInfo("America/Los_Angeles")  # the demo teams work in San Diego


def pick_runtime(family: str, on: date, offset_days: int) -> str:
    """The release of ``family`` whose end of life is nearest to ``on`` + ``offset_days``."""
    wanted = on + timedelta(days=offset_days)
    return min(releases(family), key=lambda r: (abs((EOL_DATES[r] - wanted).days), r))


def _share_of_month(month: int, today: date) -> float:
    """1 for a closed month; the elapsed share for today's month (costs to date)."""
    if month < month_of(today):
        return 1.0
    return today.day / days_in(month_of(today))


def _utc(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL).astimezone(UTC)


def seed_tech_demo(store: LedgerStore, *, today: date, months: int) -> None:
    """Write the tech demo for the demo entities (which must exist) over ``months`` months."""
    rng = random.Random(SEED)
    last = month_of(today)
    first = month_add(last, -(months - 1))
    span = month_range(first, last)
    start = first_day(first)
    insert_rows(store, TechService, _services(today, start, last))
    usage, costs = _costs(rng, span, today)
    insert_rows(store, CloudResourceUsage, usage)
    insert_rows(store, CloudCost, costs)
    insert_rows(store, SecurityFinding, _findings(today, start))
    commits, deploys = _git(rng, span, today, start, last)
    insert_rows(store, Deploy, deploys)
    insert_rows(store, GitCommit, commits)
    insert_rows(store, Target, _targets(span))


def _launched(s: DemoService, start: date, last: int) -> date:
    if s.launched_ago is None:
        return start - timedelta(days=400)
    return max(start, first_day(month_add(last, -s.launched_ago)) + timedelta(days=9))


def _retired(s: DemoService, today: date) -> date | None:
    return None if s.retired_ago_days is None else today - timedelta(days=s.retired_ago_days)


def _services(today: date, start: date, last: int) -> list[dict[str, Any]]:
    return [
        {
            "entity_id": s.entity,
            "name": s.name,
            "kind": s.kind,
            "runtime": pick_runtime(s.family, today, s.eol_offset) if s.family else "",
            "owner": s.owner,
            "repo": s.repo,
            "launched_on": _launched(s, start, last),
            "retired_on": _retired(s, today),
            "source": SOURCE,
        }
        for s in SERVICES
    ]


def _costs(
    rng: random.Random, span: list[int], today: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Resource usage rows and the cost lines they add up to (plus SaaS bills)."""
    last = span[-1]
    start = first_day(span[0])
    usage: list[dict[str, Any]] = []
    lines: dict[tuple[str, int, str], int] = {}
    for i, month in enumerate(span):
        share = _share_of_month(month, today)
        month_end = min(last_day(month), today)
        for s in SERVICES:
            launched, retired = _launched(s, start, last), _retired(s, today)
            if launched > month_end or (retired is not None and retired < first_day(month)):
                continue
            factor = (1 + s.growth * i) * rng.uniform(0.94, 1.06)
            if s.seasonal:
                factor *= BOOKING_SEASON[month % 100 - 1]
            if s.name == "bookings-db" and month >= month_add(last, -BOOKINGS_DB_RESIZE_AGO):
                factor *= 1.8
            cents = round(s.monthly_cents * factor * share)
            if s.resource is None:  # SaaS: a bill, no resource to measure
                lines[(s.entity, month, s.name)] = cents
                continue
            idle = s.name == "staging-env" and month >= month_add(last, -STAGING_IDLE_AGO)
            active_on = first_day(month_add(last, -STAGING_IDLE_AGO)) - timedelta(days=3)
            usage.append(
                {
                    "entity_id": s.entity,
                    "month": month,
                    "resource": s.resource,
                    "service": s.name,
                    "cost_cents": cents,
                    "utilization_pct": 0.3 if idle else round(rng.uniform(9, 72), 1),
                    "last_active_on": active_on if idle else (retired or month_end),
                    "source": SOURCE,
                }
            )
            key = (s.entity, month, s.name)
            lines[key] = lines.get(key, 0) + cents
        for x in EXTRAS:
            if month < month_add(last, -x.since_ago):
                continue
            idle = month >= month_add(last, -x.idle_ago)
            cents = round(x.monthly_cents * share)
            went_idle = max(start, first_day(month_add(last, -x.idle_ago)) - timedelta(days=1))
            usage.append(
                {
                    "entity_id": x.entity,
                    "month": month,
                    "resource": x.resource,
                    "service": x.service,
                    "cost_cents": cents,
                    "utilization_pct": 0.1 if idle else round(rng.uniform(8, 25), 1),
                    "last_active_on": went_idle if idle else month_end,
                    "source": SOURCE,
                }
            )
            key = (x.entity, month, x.service)
            lines[key] = lines.get(key, 0) + cents
    costs = [
        {"entity_id": e, "month": m, "service": svc, "cost_cents": c, "source": SOURCE}
        for (e, m, svc), c in lines.items()
    ]
    return usage, costs


def _findings(today: date, start: date) -> list[dict[str, Any]]:
    out = []
    for n, (entity, service, title, fix, severity, age, to_fix, status) in enumerate(FINDINGS):
        opened = max(start, today - timedelta(days=age))
        fixed = None if to_fix is None else opened + timedelta(days=to_fix)
        if fixed is not None and fixed > today:
            fixed, status = None, "in_progress"
        out.append(
            {
                "entity_id": entity,
                "service": service,
                "title": title,
                "fix": fix,
                "severity": severity,
                "status": status,
                "opened_on": opened,
                "fixed_on": fixed,
                "source": SOURCE,
                "fingerprint": f"demo:{entity}:{service}:{n}",
            }
        )
    return out


def _git(
    rng: random.Random, span: list[int], today: date, start: date, last: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Commits on workdays, and deploys (11:00-17:00) that ship everything authored before."""
    commits: list[dict[str, Any]] = []
    deploys: list[dict[str, Any]] = []
    for s in SERVICES:
        if s.repo is None:
            continue
        launched, retired = _launched(s, start, last), _retired(s, today)
        pending: list[dict[str, Any]] = []
        day = max(launched, start)
        while day <= today and (retired is None or day < retired):
            progress = max(0.0, 1 - (today - day).days / RAMP_DAYS)
            workday = day.weekday() < 5
            rate = s.commits_per_day * (1.0 if workday else 0.1)
            count = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
            for _ in range(count):
                authored = _utc(day, rng.randint(9, 18), rng.randint(0, 59))
                pending.append(
                    {
                        "entity_id": s.entity,
                        "repo": s.repo,
                        "sha": f"{rng.getrandbits(160):040x}",
                        "authored_at": authored,
                        "author": rng.choice(s.authors),
                        "deploy_tag": None,
                        "source": SOURCE,
                    }
                )
            low, high = s.deploy_chance
            chance = low + (high - low) * progress
            deploy_at = _utc(day, rng.randint(11, 16), rng.choice((0, 30)))
            shipped = [c for c in pending if c["authored_at"] < deploy_at]
            if workday and shipped and rng.random() < chance:
                tag = f"v{day:%Y.%m.%d}"
                for c in shipped:
                    c["deploy_tag"] = tag
                deploys.append(
                    {
                        "entity_id": s.entity,
                        "repo": s.repo,
                        "tag": tag,
                        "deployed_at": deploy_at,
                        "commit_count": len(shipped),
                        "source": SOURCE,
                    }
                )
                commits += shipped
                pending = [c for c in pending if c["deploy_tag"] is None]
            day += timedelta(days=1)
        commits += pending
    return commits, deploys


def _targets(span: list[int]) -> list[dict[str, Any]]:
    keys = ["all", *sorted({s.entity for s in SERVICES})]
    rows = []
    for month in span:
        for key in keys:
            goals = {k: 0.0 for k in ZERO_TARGETS} | TARGETS.get(key, {})
            rows += [
                {"entity_id": key, "kpi_id": kid, "month": month, "value": value}
                for kid, value in goals.items()
            ]
    return rows
