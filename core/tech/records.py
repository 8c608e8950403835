"""The tech records the CTO report reads: services, costs, usage, findings, deploys, commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.metrics import tech as mt
from core.periods import as_of_day, first_day, month_add, month_of, month_range
from core.tech import store as tech_store

WEEKS = 12  # the weekly charts and the deploy rate look this many weeks back


@dataclass(frozen=True)
class TechRecords:
    """Everything the report reads, loaded once for its entities and month."""

    services: list[mt.ServiceRow]
    costs: list[mt.CostRow]
    usage: list[mt.UsageRow]
    findings: list[mt.FindingRow]
    deploys: list[mt.DeployRow]
    shipped: list[mt.CommitRow]  # commits shipped by those deploys
    commits: list[mt.CommitRow]  # commits authored in the weekly window and the period
    tz: ZoneInfo
    today: date

    def local(self, instant: datetime) -> date:
        """The portfolio-time date of an instant."""
        return instant.astimezone(self.tz).date()

    def deploys_in(self, month: int) -> list[mt.DeployRow]:
        """Deploys made in ``month`` (portfolio time)."""
        return [d for d in self.deploys if month_of(self.local(d.deployed_at)) == month]

    def shipped_in(self, month: int) -> list[mt.CommitRow]:
        """Commits shipped by deploys made in ``month``."""
        return [
            c
            for c in self.shipped
            if c.deployed_at is not None and month_of(self.local(c.deployed_at)) == month
        ]


def _start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz)


def load(
    store: LedgerStore, ids: Sequence[str], m: int, *, tz: ZoneInfo, today: date
) -> TechRecords:
    """Read the tech rows of the entities ``ids`` for month ``m``, the month before, a year
    before and the trends."""
    year_ago = month_add(m, -12)
    since = month_add(m // 100 * 100 + 1, -12)  # January last year: year-to-date comparisons
    weeks = mt.week_starts(as_of_day(m, today), WEEKS)
    window = _start(min(first_day(year_ago), weeks[0]), tz)
    end = _start(first_day(month_add(m, 1)), tz)
    return TechRecords(
        services=tech_store.services(store, ids),
        costs=tech_store.costs(store, ids, since, m),
        usage=tech_store.usage(store, ids, month_range(since, m)),
        findings=tech_store.findings(store, ids),
        deploys=tech_store.deploys(store, ids, window, end),
        shipped=tech_store.shipped_commits(store, ids, window, end),
        commits=tech_store.commits(store, ids, _start(min(weeks[0], first_day(m)), tz), end),
        tz=tz,
        today=today,
    )


def load_compared(
    store: LedgerStore, ids: Sequence[str], m: int, *, tz: ZoneInfo, today: date
) -> TechRecords:
    """Just what the CTO KPIs read: month ``m``, the month before and the same month a year
    earlier (no authored commits; no trend months)."""
    months = sorted({m, month_add(m, -1), month_add(m, -12)})
    # each run of consecutive months as one [start, end) instant window
    windows: list[tuple[datetime, datetime]] = []
    for x in months:
        start, end = _start(first_day(x), tz), _start(first_day(month_add(x, 1)), tz)
        if windows and windows[-1][1] == start:
            start = windows.pop()[0]
        windows.append((start, end))
    return TechRecords(
        services=tech_store.services(store, ids),
        costs=tech_store.costs(store, ids, months[0], months[-1]),
        usage=tech_store.usage(store, ids, months),
        findings=tech_store.findings(store, ids),
        deploys=[d for w in windows for d in tech_store.deploys(store, ids, *w)],
        shipped=[c for w in windows for c in tech_store.shipped_commits(store, ids, *w)],
        commits=[],
        tz=tz,
        today=today,
    )
