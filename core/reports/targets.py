"""Owner-editable KPI targets, saved in the ledger database; statuses follow them."""

from __future__ import annotations

import math
from collections.abc import Mapping

from core.errors import Forbidden, Invalid
from core.ledger.models import Target
from core.ledger.store import LedgerStore
from core.periods import month_range
from core.reports.model import Report
from core.reports.request import ReportRequest, resolve_request
from core.reports.scope import Scope

EDITOR_ROLES = frozenset({"owner"})


def may_edit_targets(role: str) -> bool:
    """True when ``role`` may change KPI targets (the pages ask, save_targets enforces)."""
    return role in EDITOR_ROLES


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
