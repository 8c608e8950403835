"""AWS Cost Explorer -> monthly cost lines per service (CloudCost rows, source "cost-explorer").

One ``GetCostAndUsage`` query (MONTHLY, UnblendedCost, grouped by SERVICE, every page) over
the last ``months`` whole months plus the current month to date. The window's lines replace
the previous sync's in one transaction, so a failed sync leaves the old figures whole.
IAM: ``ce:GetCostAndUsage``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from core.config import get_settings
from core.errors import Invalid, Unavailable
from core.ledger.models_tech import CloudCost
from core.ledger.period_locks import locked_through, refuse_locked_months
from core.ledger.store import LedgerStore
from core.metrics.tech import CostRow
from core.periods import first_day, format_period, month_add, month_of
from core.sources import aws
from core.sources.runs import Progress, no_progress, sync_run
from core.tech.upserts import replace_cost_window

SOURCE = "aws-costs"  # the run's source id
ROW_SOURCE = "cost-explorer"  # the ``source`` of the CloudCost rows
METRIC = "UnblendedCost"
MAX_MONTHS = 37  # Cost Explorer keeps 38 months at most (with multi-year data enabled)
CENT = Decimal("0.01")


def to_cents(amount: str) -> int:
    """Dollars as Cost Explorer writes them ("12.3456") -> cents, half up ("0.005" -> 1)."""
    return int((Decimal(amount) / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def window(today: date, months: int) -> tuple[date, date]:
    """[start, end) of the query: ``months`` whole months back, up to today (exclusive)."""
    return first_day(month_add(month_of(today), -months)), today


def sync_aws_costs(
    store: LedgerStore,
    entity_id: str,
    *,
    client: Any = None,
    months: int = 12,
    today: date | None = None,
    progress: Progress | None = None,
) -> str:
    """Replace the entity's Cost Explorer lines of the window; returns a one-line summary."""
    if not 0 <= months <= MAX_MONTHS:
        raise Invalid(f"months must be between 0 and {MAX_MONTHS}, not {months}")
    report = progress or no_progress
    today = today or datetime.now(get_settings().tz).date()
    with sync_run(store, entity_id, SOURCE) as run:
        start, end = window(today, months)
        if start >= end:  # the 1st of the month with months=0: nothing has been billed yet
            run.message = f"nothing to read yet for {format_period(month_of(today))}"
            report(1.0, run.message)
            return run.message
        report(0.05, "asking Cost Explorer")
        ce = client if client is not None else aws.client("ce", default_region="us-east-1")
        amounts = _fetch(ce, start, end, report)
        first, last = month_of(start), month_of(end - timedelta(days=1))  # end is exclusive
        rows = [
            CostRow(entity_id, month, service, to_cents(str(total)))
            for (month, service), total in sorted(amounts.items())
            if first <= month <= last
        ]
        report(0.9, f"writing {len(rows)} cost lines")
        with store.engine.begin() as conn:
            first = _open_from(conn, entity_id, first, rows)
            rows = [r for r in rows if r.month >= first]
            if first <= last:
                replace_cost_window(conn, entity_id, first, last, rows, source=ROW_SOURCE)
        total = sum(r.cents for r in rows)
        run.items = len(rows)
        run.message = (
            f"{len(rows)} cost lines of {len({r.service for r in rows})} services, "
            f"{format_period(first)} to {format_period(last)}: ${total / 100:,.2f} in all"
        )
        report(1.0, run.message)
    return run.message


def _open_from(conn: Any, entity_id: str, first: int, rows: list[CostRow]) -> int:
    """The first month of the window the sync may replace: after the entity's locked months.

    A closed month keeps its figures; when Cost Explorer now says otherwise for one, the sync
    is refused (PeriodLocked) rather than leave the books and the bill silently apart.
    """
    through = locked_through(conn, entity_id)
    if through is None or through < first:
        return first
    c = CloudCost
    stored = conn.execute(
        select(c.month, c.service, c.cost_cents).where(
            c.entity_id == entity_id, c.source == ROW_SOURCE, c.month >= first, c.month <= through
        )
    )
    kept = {(m, s, cents) for m, s, cents in stored if cents}
    fresh = {(r.month, r.service, r.cents) for r in rows if r.month <= through and r.cents}
    if changed := sorted({m for m, _, _ in kept ^ fresh}):
        refuse_locked_months(conn, entity_id, changed)
    return month_add(through, 1)


def _fetch(ce: Any, start: date, end: date, report: Progress) -> dict[tuple[int, str], Decimal]:
    """Dollars per (month, service), every page read (a month's groups may span pages)."""
    request: dict[str, Any] = {
        "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
        "Granularity": "MONTHLY",
        "Metrics": [METRIC],
        "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
    }
    amounts: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    page = 0
    while True:
        try:
            answer = ce.get_cost_and_usage(**request)
        except aws.aws_errors() as exc:
            raise aws.as_domain_error(exc, "Cost Explorer") from exc
        page += 1
        for month, service, amount in _lines(answer):
            amounts[(month, service)] += amount
        token = answer.get("NextPageToken")
        if not token:
            return dict(amounts)
        request["NextPageToken"] = token
        report(0.1 + 0.75 * (1 - 0.5**page), f"read {page} pages of Cost Explorer")


def _lines(answer: dict[str, Any]) -> list[tuple[int, str, Decimal]]:
    out = []
    try:
        for result in answer.get("ResultsByTime", []):
            month = month_of(date.fromisoformat(result["TimePeriod"]["Start"]))
            for group in result.get("Groups", []):
                cost = group["Metrics"][METRIC]
                if cost.get("Unit", "USD") != "USD":
                    raise Invalid(f"Cost Explorer reports in {cost['Unit']}; the ledger keeps USD")
                out.append((month, group["Keys"][0], Decimal(cost["Amount"])))
    except (KeyError, IndexError, TypeError, ValueError, InvalidOperation) as exc:
        raise Unavailable(f"Cost Explorer answered in an unexpected shape: {exc!r}") from exc
    return out
