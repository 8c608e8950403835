"""A rule's KPI: ``<report>.<kpi id>`` of any registered report, read for a scope and month.

The KPI ids are whatever the report builds (core/reports/registry.py): a report registered
later (``forecast``) has its KPIs alerted on with no change here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache

from core.config import Settings
from core.errors import DomainError, Invalid
from core.ledger.store import LedgerStore
from core.ops.factory import open_ops
from core.ops.service import OpsService
from core.periods import month_add, month_of
from core.reports.model import KPI, Report
from core.reports.registry import BUILDERS, build_scoped
from core.reports.scope import ALL, resolve_scope


def split_kpi(name: str) -> tuple[str, str]:
    """``cfo.runway_months`` -> (``cfo``, ``runway_months``); Invalid without a report part."""
    report, dot, kpi_id = name.strip().partition(".")
    if not dot or not report or not kpi_id:
        raise Invalid(f"{name!r} is not a KPI like cfo.runway_months (report.kpi)")
    return report, kpi_id


def _ops(settings: Settings) -> Callable[[], OpsService]:
    """Opens the ops store once, and only for a report that reads it."""
    return cache(lambda: open_ops(settings).service)


def kpi_for(
    store: LedgerStore,
    name: str,
    entity: str,
    period: int,
    *,
    settings: Settings,
    now: datetime,
    ops: Callable[[], OpsService] | None = None,
) -> tuple[Report, KPI]:
    """The report holding KPI ``name`` of ``entity`` (an id or ``all``) for the month
    ``period`` as of ``now``, and the KPI; Invalid for an unknown report or KPI, NotFound for
    an unknown entity."""
    report, kpi_id = split_kpi(name)
    if report not in BUILDERS:
        raise Invalid(f"unknown report {report!r} in {name!r}; reports: {', '.join(BUILDERS)}")
    scope = resolve_scope(store, entity=entity, period=period)
    built = build_scoped(report, store, scope, tz=settings.tz, now=now, ops=ops or _ops(settings))
    try:
        return built, built.kpi(kpi_id)
    except KeyError:
        known = ", ".join(k.id for k in built.kpis)
        raise Invalid(f"report {report!r} has no KPI {kpi_id!r}; its KPIs: {known}") from None


def kpi_history(
    store: LedgerStore,
    name: str,
    entity: str,
    period: int,
    *,
    settings: Settings,
    now: datetime,
    months: int = 12,
) -> list[tuple[int, KPI]]:
    """The KPI for each of the ``months`` months ending with ``period``, oldest first."""
    ops = _ops(settings)
    return [
        (m, kpi_for(store, name, entity, m, settings=settings, now=now, ops=ops)[1])
        for m in (month_add(period, -i) for i in range(months - 1, -1, -1))
    ]


def kpi_problems(
    store: LedgerStore, name: str, entity: str, *, settings: Settings, now: datetime, period: int
) -> list[str]:
    """Every reason ``name`` on ``entity`` cannot be watched (empty when it can)."""
    problems = []
    known = {e.id for e in store.list_entities()}
    if entity != ALL and entity not in known:
        problems.append(f"unknown entity {entity!r}; entities: all, {', '.join(sorted(known))}")
        entity = ALL  # the KPI id is still checked, on the consolidation
    try:
        kpi_for(store, name, entity, period, settings=settings, now=now)
    except DomainError as exc:
        problems.append(str(exc))
    return problems


def kpi_choices(
    store: LedgerStore, entity: str, *, settings: Settings, now: datetime
) -> list[tuple[str, str]]:
    """Every ``report.kpi`` an alert may watch on ``entity`` this month, with its label
    (``CFO report · Runway``); a report that cannot be built for the entity offers none."""
    ops = _ops(settings)
    period = month_of(now.astimezone(settings.tz).date())
    scope = resolve_scope(store, entity=entity, period=period)
    choices = []
    for report in BUILDERS:
        try:
            built = build_scoped(report, store, scope, tz=settings.tz, now=now, ops=ops)
        except DomainError:
            continue
        choices += [(f"{report}.{k.id}", f"{built.title} · {k.label}") for k in built.kpis]
    return choices
