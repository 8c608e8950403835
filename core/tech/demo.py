"""Deterministic tech demo: services, cloud costs and usage, security findings, git history.

Same arguments -> same rows (a seeded RNG; "today" is an argument). It covers the same months
as the ledger demo: ``months`` months ending with today's month, nothing dated after today.
Runtimes are picked relative to today (the release whose end of life is nearest to today plus
an offset), so the demo always shows some services past end of life and some close to it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
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
from core.tech.runtimes import EOL_DATES, releases
from core.tech.store import insert_rows

SEED = 20261125
SOURCE = "demo"
LOCAL = ZoneInfo("America/Los_Angeles")  # the demo teams work in San Diego
# month-of-year traffic of the booking site (Jan..Dec), as the charter season
BOOKING_SEASON = [0.6, 0.65, 0.75, 0.85, 1.0, 1.3, 1.5, 1.45, 1.1, 0.9, 0.7, 0.7]

MAYA, SAM, PRIYA, DIEGO, LENA = (
    "Maya Chen",
    "Sam Ortiz",
    "Priya Natarajan",
    "Diego Alvarez",
    "Lena Brooks",
)


@dataclass(frozen=True)
class _Service:
    entity: str
    name: str
    kind: str
    family: str | None  # runtime family; None for SaaS
    eol_offset: int  # days from today to the wanted end of life (picks the release)
    owner: str
    monthly_cents: int
    resource: str | None = None  # the billed cloud resource (None for SaaS)
    repo: str | None = None
    commits_per_day: float = 0.0
    deploy_chance: tuple[float, float] = (0.0, 0.0)  # per workday, RAMP_DAYS ago -> today
    authors: tuple[str, ...] = ()
    launched_ago: int | None = None  # months before today's month; None: before the demo
    retired_ago_days: int | None = None
    seasonal: bool = False
    growth: float = 0.01  # cost growth per month


SERVICES = [
    _Service("DangerousCentaur", "client-portal", "web app", "python", 700, MAYA, 210_00,
             "client-portal (ECS Fargate service)", "dangerouscentaur/client-portal", 2.2,
             (0.3, 0.75), (MAYA, SAM, PRIYA)),
    _Service("DangerousCentaur", "dc-website", "web app", "nodejs", -570, SAM, 45_00,
             "dc-website (Amplify app)", "dangerouscentaur/website", 0.5, (0.1, 0.15), (SAM,)),
    _Service("DangerousCentaur", "invoice-worker", "Lambda", "python", -390, PRIYA, 12_00,
             "invoice-worker (Lambda function)", "dangerouscentaur/invoice-worker", 0.3,
             (0.08, 0.1), (PRIYA,)),
    _Service("DangerousCentaur", "report-generator", "Lambda", "python", 1070, MAYA, 28_00,
             "report-generator (Lambda function)", "dangerouscentaur/report-generator", 1.2,
             (0.35, 0.5), (MAYA, PRIYA), launched_ago=5),
    _Service("DangerousCentaur", "projects-db", "database", "postgres", 350, PRIYA, 165_00,
             "projects-db (RDS db.t4g.large)"),
    _Service("DangerousCentaur", "staging-env", "web app", "python", 340, SAM, 140_00,
             "staging-env (ECS Fargate service)", growth=0.0),
    _Service("DangerousCentaur", "GitHub", "SaaS", None, 0, PRIYA, 84_00, growth=0.02),
    _Service("DangerousCentaur", "Sentry", "SaaS", None, 0, MAYA, 26_00, growth=0.0),
    _Service("QueenofSanDiego", "booking-site", "web app", "nodejs", 155, DIEGO, 95_00,
             "booking-site (ECS Fargate service)", "queenofsandiego/booking-site", 1.0,
             (0.3, 0.6), (DIEGO, MAYA), seasonal=True),
    _Service("QueenofSanDiego", "booking-api", "Lambda", "python", 340, DIEGO, 38_00,
             "booking-api (Lambda function)", "queenofsandiego/booking-api", 0.8, (0.3, 0.6),
             (DIEGO, MAYA), seasonal=True),
    _Service("QueenofSanDiego", "payment-webhooks", "Lambda", "nodejs", -1170, DIEGO, 6_00,
             "payment-webhooks (Lambda function)", "queenofsandiego/payment-webhooks", 0.2,
             (0.05, 0.08), (DIEGO,), seasonal=True),
    _Service("QueenofSanDiego", "bookings-db", "database", "postgres", -375, DIEGO, 120_00,
             "bookings-db (RDS db.t4g.medium)"),
    _Service("QueenofSanDiego", "reminder-sms", "Lambda", "python", 700, MAYA, 9_00,
             "reminder-sms (Lambda function)", "queenofsandiego/reminder-sms", 0.2, (0.05, 0.1),
             (MAYA,), seasonal=True),
    _Service("QueenofSanDiego", "legacy-booking-php", "web app", "php", -700, DIEGO, 35_00,
             "legacy-booking-php (EC2 t3.small)", retired_ago_days=240),
    _Service("QueenofSanDiego", "Twilio", "SaaS", None, 0, DIEGO, 45_00, seasonal=True),
    _Service("QuickDumpNow", "quote-form", "Lambda", "python", 1070, SAM, 4_00,
             "quote-form (Lambda function)", "quickdumpnow/quote-form", 0.15, (0.05, 0.08),
             (SAM,)),
    _Service("QuickDumpNow", "Jobber", "SaaS", None, 0, LENA, 69_00, growth=0.0),
    _Service("JADA", "yacht-tracker", "Lambda", "python", 340, LENA, 3_00,
             "yacht-tracker (Lambda function)", "jada/yacht-tracker", 0.1, (0.03, 0.05), (LENA,)),
    _Service("51st-St", "listing-site", "web app", "php", 37, LENA, 18_00,
             "listing-site (Lightsail instance)", "51st-st/listing-site", 0.05, (0.02, 0.03),
             (LENA,), growth=0.0),
    _Service("ExpertYachtDelivery", "delivery-tracker", "web app", "ruby", 127, SAM, 22_00,
             "delivery-tracker (Lightsail instance)", "expertyachtdelivery/delivery-tracker",
             0.3, (0.06, 0.12), (SAM, LENA)),
]  # fmt: skip


@dataclass(frozen=True)
class _Extra:
    """A billed resource outside the inventory, idle from some month on."""

    entity: str
    resource: str
    service: str  # cost line
    monthly_cents: int
    since_ago: int  # months before today's month when it starts being billed
    idle_ago: int  # months before today's month when it goes idle


EXTRAS = [
    _Extra("DangerousCentaur", "vol-0c41e7 unattached EBS volume (500 GiB gp3)", "EC2-Other",
           40_00, 9, 9),
    _Extra("QueenofSanDiego", "nat-gateway-dev (us-west-2)", "Amazon VPC", 33_00, 14, 3),
    _Extra("QueenofSanDiego", "bookings-db-replica (RDS db.t4g.medium read replica)",
           "bookings-db", 58_00, 7, 7),
]  # fmt: skip
RAMP_DAYS = 540  # deploys get more frequent over the last 18 months (CI/CD adoption)
STAGING_IDLE_AGO = 4  # the staging environment stops being used 4 months before today
BOOKINGS_DB_RESIZE_AGO = 4  # and the bookings database is resized up then

# entity, service, title, fix, severity, age in days, days to fix (None: not fixed), status
FINDINGS: list[tuple[str, str, str, str, str, int, int | None, str]] = [
    ("DangerousCentaur", "invoice-worker", "Invoice PDF bucket allows public listing",
     "Turn on S3 Block Public Access for the bucket and serve invoices through pre-signed URLs.",
     "critical", 40, None, "in_progress"),
    ("DangerousCentaur", "invoice-worker", "Execution role has AdministratorAccess",
     "Replace AdministratorAccess with a policy limited to the invoices bucket and its queue.",
     "high", 75, None, "open"),
    ("DangerousCentaur", "client-portal", "Django DEBUG is on in production",
     "Set DEBUG to False and serve failures from the generic error page.",
     "high", 300, 6, "fixed"),
    ("DangerousCentaur", "client-portal", "No rate limit on the login form",
     "Limit login attempts to 10 per address per 15 minutes and lock repeated failures out.",
     "medium", 120, None, "open"),
    ("DangerousCentaur", "client-portal", "No Content-Security-Policy header",
     "Send a Content-Security-Policy that allows scripts only from the portal's own origin.",
     "medium", 400, 45, "fixed"),
    ("DangerousCentaur", "projects-db", "Security group open to 0.0.0.0/0 on port 5432",
     "Allow port 5432 only from the application subnets and the bastion host.",
     "critical", 200, 2, "fixed"),
    ("DangerousCentaur", "projects-db", "Automated backups kept for 1 day only",
     "Raise backup retention to 14 days and test a restore every quarter.",
     "medium", 90, None, "in_progress"),
    ("DangerousCentaur", "GitHub", "Two-factor authentication not required",
     "Require two-factor authentication in the organization's security settings.",
     "high", 25, None, "open"),
    ("DangerousCentaur", "dc-website", "npm audit reports 3 high-severity vulnerabilities",
     "Upgrade the flagged packages and run npm audit in the CI pipeline.",
     "high", 150, None, "open"),
    ("DangerousCentaur", "report-generator", "Function logs include client email addresses",
     "Mask email addresses before logging and keep the log group for 90 days.",
     "low", 20, None, "open"),
    ("DangerousCentaur", "staging-env", "Staging runs on a copy of production data",
     "Seed staging from anonymized fixtures and delete the production copy.",
     "medium", 250, 30, "fixed"),
    ("QueenofSanDiego", "payment-webhooks", "Stripe webhook signatures are not verified",
     "Verify the Stripe-Signature header with the endpoint secret before handling an event.",
     "critical", 10, None, "open"),
    ("QueenofSanDiego", "payment-webhooks", "Stripe secret key in a plain environment variable",
     "Move the key to Secrets Manager and read it at cold start.",
     "high", 180, 20, "fixed"),
    ("QueenofSanDiego", "booking-site", "TLS 1.0 and 1.1 still accepted",
     "Set the load balancer's TLS policy to ELBSecurityPolicy-TLS13-1-2-2021-06.",
     "medium", 60, None, "open"),
    ("QueenofSanDiego", "booking-site", "No Strict-Transport-Security header",
     "Send Strict-Transport-Security with a max-age of one year on every response.",
     "low", 35, None, "open"),
    ("QueenofSanDiego", "booking-api", "Function URL has no authentication",
     "Require AWS_IAM auth on the function URL, or route it through the API gateway.",
     "high", 500, 3, "fixed"),
    ("QueenofSanDiego", "bookings-db", "Storage not encrypted at rest",
     "Restore from an encrypted snapshot copy and point the booking API at the new instance.",
     "high", 340, None, "in_progress"),
    ("QueenofSanDiego", "Twilio", "One admin login shared by three people",
     "Give each person their own Twilio user and remove the shared login.",
     "medium", 220, 40, "fixed"),
    ("QuickDumpNow", "quote-form", "Quote form accepts unlimited submissions",
     "Add a per-address rate limit and a CAPTCHA to the quote form.",
     "medium", 50, None, "open"),
    ("51st-St", "listing-site", "Contact-form plugin has a published SQL injection",
     "Update the plugin to its current release and turn on automatic plugin updates.",
     "high", 15, None, "open"),
    ("ExpertYachtDelivery", "delivery-tracker", "Admin pages reachable without signing in",
     "Put the admin routes behind the sign-in check and add a test for each route.",
     "critical", 130, 1, "fixed"),
    ("JADA", "yacht-tracker", "AIS provider API key committed to the repository",
     "Rotate the key, keep it in Secrets Manager and purge it from the git history.",
     "high", 5, None, "open"),
]  # fmt: skip

# scope key -> kpi id -> target (every demo month)
TARGETS: dict[str, dict[str, float]] = {
    "all": {"lead_time_hours": 48.0, "deploys_per_week": 10.0},
    "DangerousCentaur": {"lead_time_hours": 48.0, "deploys_per_week": 5.0},
    "QueenofSanDiego": {"lead_time_hours": 48.0, "deploys_per_week": 2.0},
}
ZERO_TARGETS = ("critical_findings", "eol_services")  # every scope: none is the goal


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


def _launched(s: _Service, start: date, last: int) -> date:
    if s.launched_ago is None:
        return start - timedelta(days=400)
    return max(start, first_day(month_add(last, -s.launched_ago)) + timedelta(days=9))


def _retired(s: _Service, today: date) -> date | None:
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
