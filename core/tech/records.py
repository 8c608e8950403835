"""The tech records the CTO report reads: services, costs, usage, findings, deploys, commits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
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
        return list(self._deploys_by_month.get(month, ()))

    def shipped_in(self, month: int) -> list[mt.CommitRow]:
        """Commits shipped by deploys made in ``month``."""
        return list(self._shipped_by_month.get(month, ()))

    # each row's local month computed once: the KPIs and the tables ask for several months
    @cached_property
    def _deploys_by_month(self) -> dict[int, list[mt.DeployRow]]:
        out: dict[int, list[mt.DeployRow]] = defaultdict(list)
        for d in self.deploys:
            out[month_of(self.local(d.deployed_at))].append(d)
        return out

    @cached_property
    def _shipped_by_month(self) -> dict[int, list[mt.CommitRow]]:
        out: dict[int, list[mt.CommitRow]] = defaultdict(list)
        for c in self.shipped:
            if c.deployed_at is not None:
                out[month_of(self.local(c.deployed_at))].append(c)
        return out


def _start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz)


def compared_months(m: int) -> list[int]:
    """The months the CTO KPIs compare: ``m``, the month before and a year earlier."""
    return sorted({m, month_add(m, -1), month_add(m, -12)})


def _windows(months: Sequence[int], tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """Each run of consecutive months as one [start, end) instant window (portfolio time)."""
    windows: list[tuple[datetime, datetime]] = []
    for x in sorted(months):
        start, end = _start(first_day(x), tz), _start(first_day(month_add(x, 1)), tz)
        if windows and windows[-1][1] == start:
            start = windows.pop()[0]
        windows.append((start, end))
    return windows


def load(
    store: LedgerStore, ids: Sequence[str], m: int, *, tz: ZoneInfo, today: date
) -> TechRecords:
    """Read the tech rows of the entities ``ids`` for month ``m``, the month before, a year
    before and the trends (shipped commits: only of the compared months, all that is read)."""
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
        deploys=tech_store.deploys(store, ids, [(window, end)]),
        shipped=tech_store.shipped_commits(store, ids, _windows(compared_months(m), tz)),
        commits=tech_store.commits(store, ids, _start(min(weeks[0], first_day(m)), tz), end),
        tz=tz,
        today=today,
    )


def load_compared(
    store: LedgerStore, ids: Sequence[str], m: int, *, tz: ZoneInfo, today: date
) -> TechRecords:
    """Just what the CTO KPIs read: month ``m``, the month before and the same month a year
    earlier (no authored commits; no trend months)."""
    return load_months(store, ids, compared_months(m), tz=tz, today=today)


def load_months(
    store: LedgerStore, ids: Sequence[str], months: Sequence[int], *, tz: ZoneInfo, today: date
) -> TechRecords:
    """The records of ``months`` only that the CTO KPIs read (services and findings whole;
    costs, usage, deploys and shipped commits of those months; no authored commits)."""
    months = sorted(set(months))
    windows = _windows(months, tz)
    return TechRecords(
        services=tech_store.services(store, ids),
        costs=tech_store.costs_in(store, ids, months),
        usage=tech_store.usage(store, ids, months),
        findings=tech_store.findings(store, ids),
        deploys=tech_store.deploys(store, ids, windows),
        shipped=tech_store.shipped_commits(store, ids, windows),
        commits=[],
        tz=tz,
        today=today,
    )
