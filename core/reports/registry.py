"""Report builders by CONTRACT name; each is ``(store, scope, tz=, now=) -> Report``.

``build_report(store, request)`` is what every door calls: it resolves the request's scope
once, checked against its reader, and runs the builder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.errors import Invalid
from core.ledger.store import LedgerStore
from core.ops.service import OpsService
from core.reports.accounting import build_accounting
from core.reports.attention import needs_attention
from core.reports.ceo import build_ceo
from core.reports.cfo import build_cfo
from core.reports.client_billing import build_client_billing
from core.reports.cmo import build_cmo
from core.reports.cto import build_cto
from core.reports.forecast import build_forecast_report
from core.reports.model import Report
from core.reports.rental import build_rental
from core.reports.request import ReportRequest, resolve_request
from core.reports.scope import Scope
from core.reports.yacht_delivery import build_yacht_delivery

Builder = Callable[..., Report]
BUILDERS: dict[str, Builder] = {
    "cfo": build_cfo,
    "accounting": build_accounting,
    "cmo": build_cmo,
    "cto": build_cto,
    "ceo": build_ceo,
    "rental": build_rental,
    "yacht-delivery": build_yacht_delivery,
    "client-billing": build_client_billing,
    "forecast": build_forecast_report,
}
NEEDS_OPS = frozenset({"ceo"})  # builders that also read the charter operations store
# builders with an as-of date (client-billing's AR aging, the forecast's first day)
TAKES_AS_OF = frozenset({"client-billing", "forecast"})


def builder_for(name: str) -> Builder:
    """The builder of a report name; Invalid for an unknown name."""
    builder = BUILDERS.get(name)
    if builder is None:
        known = ", ".join(sorted(BUILDERS))
        raise Invalid(f"unknown report {name!r}; available: {known}")
    return builder


def build_report(
    store: LedgerStore,
    request: ReportRequest,
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    ops: OpsService | Callable[[], OpsService] | None = None,
) -> Report:
    """Build the requested report within its reader's scope (Forbidden outside it).

    ``ops`` may be a function opening the service (e.g. ``lambda: open_ops(settings).service``):
    only the reports that read trips call it, so the others never open the ops store."""
    builder_for(request.report)  # an unknown name is refused before anything is read
    scope = resolve_request(store, request)
    return build_scoped(request.report, store, scope, tz=tz, now=now, ops=ops, as_of=request.as_of)


def build_scoped(
    name: str,
    store: LedgerStore,
    scope: Scope,
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    ops: OpsService | Callable[[], OpsService] | None = None,
    as_of: date | None = None,
) -> Report:
    """Build the named report for a scope the caller has already resolved from a request;
    ``ops`` and ``as_of`` go to the reports that use them (Invalid for an ``as_of`` a report
    does not take)."""
    builder = builder_for(name)
    options: dict[str, object] = {}
    if name in NEEDS_OPS:
        options["ops"] = ops() if callable(ops) else ops
    if as_of is not None:
        if name not in TAKES_AS_OF:
            raise Invalid(f"an as-of date applies to {', '.join(sorted(TAKES_AS_OF))} only")
        options["as_of"] = as_of
    report = builder(store, scope, tz=tz, now=now, **options)
    return replace(report, attention=needs_attention(report))
