"""One report request: who asks, which report, entity, period, comparison and as-of date.

Every door (a dashboard page, the command line, an email, a schedule) builds this value and
hands it to the core, which resolves its scope once (``resolve_request``) and decides there;
no door unpacks the reader's role or entities itself. The value is frozen and hashable, so the
dashboard's caches can key on it (``cache_key``: the parts a built report depends on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.auth.dashboard_users import UserScope
from core.errors import Invalid
from core.ledger.store import LedgerStore
from core.reports.scope import Scope, resolve_scope

# what the KPI tiles' change is measured against (a page shows one; every report carries all)
COMPARISONS = {
    "mom": "Previous month",
    "yoy": "Same month last year",
    "ytd": "Year to date vs last year",
}


@dataclass(frozen=True, kw_only=True)
class ReportRequest:
    """A report asked for by ``reader`` (their role and the entities they may see)."""

    reader: UserScope
    report: str
    entity: str  # an entity id or ``all``
    period: int  # yyyymm
    comparison: str = "mom"
    as_of: date | None = None  # client-billing's AR aging date; None: the period's default

    def __post_init__(self) -> None:
        if self.comparison not in COMPARISONS:
            known = ", ".join(COMPARISONS)
            raise Invalid(f"unknown comparison {self.comparison!r}; one of {known}")

    @property
    def cache_key(self) -> tuple[object, ...]:
        """What a built report depends on: not who asks beyond their entities, nor the
        comparison a page shows (two readers with one scope share a cached report)."""
        entities = self.reader.entities
        allowed = None if entities is None else tuple(sorted(entities))
        return (self.report, self.entity, self.period, self.as_of, allowed)


def resolve_request(store: LedgerStore, request: ReportRequest) -> Scope:
    """The request's scope, checked against what its reader may see (Forbidden, NotFound)."""
    return resolve_scope(
        store, entity=request.entity, period=request.period, allowed=request.reader.entities
    )
