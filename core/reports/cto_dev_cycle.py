"""The CTO report's dev cycle: deploys and lead time by week, per repository, per author."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from core.metrics import tech as mt
from core.periods import as_of_day, days_covered, month_label, month_of
from core.reports.model import Chart, Column, Finding, Series, Table
from core.reports.palette import BLUE, GREEN
from core.tech.records import WEEKS, TechRecords


def dev_cycle(records: TechRecords, names: dict[str, str], m: int) -> list[Finding | Table | Chart]:
    """The dev cycle section: the month's lead time, weekly commits and deploys, the tables."""
    day = as_of_day(m, records.today)
    starts = mt.week_starts(day, WEEKS)
    commits = mt.weekly_counts((records.local(c.authored_at) for c in records.commits), starts)
    deploys = mt.weekly_counts((records.local(d.deployed_at) for d in records.deploys), starts)
    shipped = records.shipped_in(m)
    made = records.deploys_in(m)
    out: list[Finding | Table | Chart] = []
    lead = mt.median_lead_time(shipped)
    if lead is not None:
        out.append(
            Finding(
                f"{len(made)} deploys in {month_label(m)} shipped {len(shipped)} commits; "
                f"the median commit waited {lead:,.1f} hours from authoring to production."
            )
        )
    else:
        out.append(Finding(f"No deploy was recorded in {month_label(m)}."))
    out.append(
        Chart(
            id="commits_deploys_weekly",
            title="Commits and deploys per week",
            x=[f"{s:%b} {s.day}" for s in starts],
            series=[
                Series("Commits", [float(v) for v in commits], "bar", BLUE),
                Series("Deploys", [float(v) for v in deploys], "bar", GREEN),
            ],
            unit="count",
        )
    )
    out.append(_repo_table(records, names, m, shipped, made))
    out.append(_authors_table(records, m))
    return out


def _authors_table(records: TechRecords, m: int) -> Table:
    """Who committed in the month: commits, repositories and the last commit day."""
    mine = [c for c in records.commits if month_of(records.local(c.authored_at)) == m]
    counts = Counter(c.author for c in mine)
    repos: dict[str, set[str]] = defaultdict(set)
    last: dict[str, date] = {}
    for c in mine:
        repos[c.author].add(c.repo)
        last[c.author] = max(last.get(c.author, date.min), records.local(c.authored_at))
    return Table(
        id="authors",
        title=f"Authors in {month_label(m)}",
        columns=[
            Column("author", "Author"),
            Column("commits", "Commits", "count"),
            Column("repos", "Repositories"),
            Column("last_commit", "Last commit"),
        ],
        rows=[
            {
                "author": author,
                "commits": n,
                "repos": ", ".join(sorted(repos[author])),
                "last_commit": last[author].isoformat(),
            }
            for author, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    )


def _repo_table(
    records: TechRecords,
    names: dict[str, str],
    m: int,
    shipped: list[mt.CommitRow],
    made: list[mt.DeployRow],
) -> Table:
    authored: dict[tuple[str, str], int] = Counter(
        (c.entity_id, c.repo)
        for c in records.commits
        if month_of(records.local(c.authored_at)) == m
    )
    deploys = Counter((d.entity_id, d.repo) for d in made)
    by_repo: dict[tuple[str, str], list[mt.CommitRow]] = defaultdict(list)
    for c in shipped:
        by_repo[(c.entity_id, c.repo)].append(c)
    days = days_covered(m, records.today)
    keys = sorted(set(authored) | set(deploys), key=lambda k: (-authored.get(k, 0), k))
    return Table(
        id="repos",
        title=f"Repositories in {month_label(m)}",
        columns=[
            Column("repo", "Repository"),
            Column("entity", "Entity"),
            Column("commits", "Commits", "count"),
            Column("deploys", "Deploys", "count"),
            Column("deploys_per_week", "Deploys / week", "number"),
            Column("lead_time_hours", "Median lead time (h)", "number"),
        ],
        rows=[
            {
                "repo": repo,
                "entity": names.get(eid, eid),
                "commits": authored.get((eid, repo), 0),
                "deploys": deploys.get((eid, repo), 0),
                "deploys_per_week": mt.per_week(deploys.get((eid, repo), 0), days),
                "lead_time_hours": mt.median_lead_time(by_repo.get((eid, repo), [])),
            }
            for eid, repo in keys
        ],
    )
