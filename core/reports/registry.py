"""Report builders by CONTRACT name; each is ``(store, scope, tz=, now=) -> Report``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from core.errors import Invalid
from core.ledger.store import LedgerStore
from core.reports.accounting import build_accounting
from core.reports.cfo import build_cfo
from core.reports.model import Report
from core.reports.scope import Scope

Builder = Callable[..., Report]
BUILDERS: dict[str, Builder] = {"cfo": build_cfo, "accounting": build_accounting}
PLANNED = ("ceo", "cto", "cmo", "rental", "yacht-delivery", "client-billing")


def builder_for(name: str) -> Builder:
    """The builder of a report name; Invalid for a name that has no builder yet."""
    builder = BUILDERS.get(name)
    if builder is None:
        known = ", ".join(sorted(BUILDERS))
        hint = " (not built yet)" if name in PLANNED else ""
        raise Invalid(f"unknown report {name!r}{hint}; available: {known}")
    return builder


def build_report(
    name: str, store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the named report for a resolved scope."""
    return builder_for(name)(store, scope, tz=tz, now=now)
