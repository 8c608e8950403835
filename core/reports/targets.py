"""Owner-editable KPI targets, saved in the ledger database; statuses follow them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from core.errors import Forbidden, Invalid
from core.ledger.models import Target
from core.ledger.store import LedgerStore
from core.logs import audited
from core.pace import month_to_date, prorate
from core.periods import month_range
from core.reports.model import Direction, Report, YtdValue, kpi_status
from core.reports.request import ReportRequest, resolve_request
from core.reports.scope import Scope

EDITOR_ROLES = frozenset({"owner"})
# computed from other KPIs or from targets themselves: a target of their own means nothing
# (revenue vs target is revenue's gap to its target; break-even follows from the costs)
DERIVED = frozenset(
    {
        "revenue_gap",
        "break_even_revenue",
        # the forecast's: projections from the ledger and declared items, not goals
        "opening_cash",
        "cash_low_point",
        "cash_low_week",
        "closing_cash",
        "weeks_below_zero",
    }
)
# a consolidation's target for these is the sum of its entities' (money amounts and counts);
# the rest are ratios, rates, percentages or durations, which do not add up
ADDITIVE = frozenset(
    {
        "revenue",
        "expenses",
        "net_income",
        "cash",
        "deferred_revenue",
        "owner_distributions",
        "uncategorized_count",
        "uncategorized_amount",
        "trial_balance_difference",
        "ar_over_60",
        "ar_outstanding",
        "ar_past_due",
        "billed_revenue",
        "unbilled_work",
        "hours_logged",
        "channel_revenue",
        "ota_commission",
        "bookings",
        "cloud_cost",
        "idle_cost",
        "open_findings",
        "critical_findings",
        "eol_services",
        "eol_soon_services",
        "unfilled_slots",
        "unfinished_checklists",
        "guests_on_hold",
        "rent_due",
        "rent_collected",
        "vacancy_days",
        "maintenance_cost",
        "open_tickets",
        "noi",
        "deliveries",
        "nautical_miles",
        "delivery_days",
        "cost_overrun",
        "crew_cost",
        "pipeline_value",
    }
)


def takes_target(kpi_id: str) -> bool:
    """True when a KPI can be given a target (the form offers it, save_targets accepts it)."""
    return kpi_id not in DERIVED


def may_edit_targets(role: str) -> bool:
    """True when ``role`` may change KPI targets (the pages ask, save_targets enforces)."""
    return role in EDITOR_ROLES


def summed_targets(
    per_entity: Sequence[Mapping[tuple[str, int], float]],
) -> dict[tuple[str, int], float]:
    """A consolidation's targets from its entities' (by (kpi id, month)): the sum, for an
    additive KPI and a month every entity has a target for; nothing otherwise."""
    if not per_entity:
        return {}
    first, *rest = per_entity
    return {
        key: round(value + sum(other[key] for other in rest), 2)
        for key, value in first.items()
        if key[0] in ADDITIVE and all(key in other for other in rest)
    }


def directions(defs: Sequence[tuple[str, str, str, Direction]]) -> dict[str, Direction]:
    """Which way is good for each KPI of a report's definitions (id, label, unit, direction)."""
    return {kid: direction for kid, _, _, direction in defs}


def ytd_with_targets(
    ytd: Mapping[str, YtdValue],
    directions: Mapping[str, Direction],
    targets: Mapping[tuple[str, int], float],
    month: int,
    today: date | None = None,
) -> dict[str, YtdValue]:
    """Each year-to-date flow with its target (January..``month`` summed, when every month
    has one) and its status against that target: the badge beside a YTD figure. With
    ``today`` (a paced report), a month under way counts its target pro-rated to today."""
    january = month // 100 * 100 + 1
    mtd = month_to_date(month, today) if today is not None else None
    out: dict[str, YtdValue] = {}
    for kid, y in ytd.items():
        months = [targets.get((kid, m)) for m in month_range(january, month)]
        if mtd is not None and months[-1] is not None:
            months[-1] = prorate(months[-1], mtd.day, mtd.days)
        target = None if None in months else round(sum(months), 2)  # type: ignore[arg-type]
        status = kpi_status(y.value, target, directions.get(kid, "up"))
        out[kid] = replace(y, target=target, status=status)
    return out


def target_months(period: int, *, rest_of_year: bool) -> list[int]:
    """The period alone, or the period through December of its year."""
    return month_range(period, period // 100 * 100 + 12) if rest_of_year else [period]


def save_targets(
    store: LedgerStore,
    *,
    role: str,
    scope: Scope,
    report: Report,
    values: Mapping[str, float | None],
    rest_of_year: bool = False,
) -> int:
    """Set (a number) or clear (None) targets of the report's KPIs; returns rows written.

    Only the owner may; all values are checked before anything is written.
    """
    if not may_edit_targets(role):
        raise Forbidden("only the owner can change targets")
    if scope.target_key is None:
        raise Invalid(
            "targets belong to one entity or to the whole portfolio; pick one of those to edit them"
        )
    known = {k.id for k in report.kpis}
    problems = [
        f"{kid}: not a KPI of the {report.report} report" for kid in values if kid not in known
    ]
    problems += [
        f"{kid}: is computed from other figures, so it takes no target of its own"
        for kid in values
        if kid in DERIVED
    ]
    for kid, value in values.items():
        if value is not None and (not isinstance(value, int | float) or not math.isfinite(value)):
            problems.append(f"{kid}: {value!r} is not a number")
    if problems:
        raise Invalid("no target was saved", problems=problems)
    months = target_months(scope.period, rest_of_year=rest_of_year)
    rows = [
        Target(entity_id=scope.target_key, kpi_id=kid, month=m, value=float(v))
        for kid, v in values.items()
        if v is not None
        for m in months
    ]
    clear = [(scope.target_key, kid, m) for kid, v in values.items() if v is None for m in months]
    store.set_targets(rows, delete=clear)
    return len(rows) + len(clear)


@audited("targets", actor="request", fields=("values", "rest_of_year"))
def save_targets_for(
    store: LedgerStore,
    request: ReportRequest,
    *,
    report: Report,
    values: Mapping[str, float | None],
    rest_of_year: bool = False,
) -> int:
    """``save_targets`` on behalf of the request's reader, in the request's scope (``report``
    is the one built for it); returns rows written."""
    scope = resolve_request(store, request)
    return save_targets(
        store,
        role=request.reader.role,
        scope=scope,
        report=report,
        values=values,
        rest_of_year=rest_of_year,
    )
