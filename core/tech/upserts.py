"""Idempotent writes of the tech tables for the real sources, inside the caller's transaction.

Each function takes an open connection (``with store.engine.begin() as conn``) so a source
writes everything of one sync or nothing. Running the same sync twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from core.errors import Invalid
from core.ledger.models_tech import CloudCost, Deploy, GitCommit, SecurityFinding, TechService
from core.metrics.tech import CostRow

_CHUNK = 1000


def _insert(conn: Connection, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(model), list(rows[start : start + _CHUNK]))


# -- costs ----------------------------------------------------------------------------------------
def replace_cost_window(
    conn: Connection,
    entity_id: str,
    first: int,
    last: int,
    rows: Sequence[CostRow],
    *,
    source: str,
) -> int:
    """Make ``rows`` the source's only cost lines of the entity for months first..last."""
    c = CloudCost
    if any(r.entity_id != entity_id or not first <= r.month <= last for r in rows):
        raise ValueError("every cost row must belong to the entity and the window")
    # the whole window is replaced: a service that dropped to nothing loses its stale line
    conn.execute(
        delete(c).where(
            c.entity_id == entity_id, c.source == source, c.month >= first, c.month <= last
        )
    )
    _insert(
        conn,
        c,
        [
            {
                "entity_id": r.entity_id,
                "month": r.month,
                "service": r.service,
                "cost_cents": r.cents,
                "source": source,
            }
            for r in rows
        ],
    )
    return len(rows)


# -- services -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Changes:
    """How many rows a sync added, changed and retired (or fixed)."""

    added: int = 0
    updated: int = 0
    retired: int = 0

    @property
    def total(self) -> int:
        """Every row written."""
        return self.added + self.updated + self.retired


def sync_services(
    conn: Connection,
    entity_id: str,
    services: Sequence[dict[str, Any]],
    *,
    source: str,
    today: date,
) -> Changes:
    """Upsert the entity's services seen by ``source``; its services not seen are retired today.

    Each dict has name, kind, runtime, owner and launched_on. A row of the same name from
    another source (e.g. the demo's) is taken over, since the names are unique per entity.
    """
    t = TechService
    existing = {
        r.name: r
        for r in conn.execute(
            select(
                t.id, t.name, t.kind, t.runtime, t.owner, t.launched_on, t.retired_on, t.source
            ).where(t.entity_id == entity_id)
        )
    }
    added: list[dict[str, Any]] = []
    updated = 0
    for s in services:
        row = existing.get(s["name"])
        if row is None:
            added.append({**s, "entity_id": entity_id, "source": source, "retired_on": None})
            continue
        # a launch date only moves when the row is taken over: LastModified moves on every deploy
        launched = row.launched_on if row.source == source else s["launched_on"]
        want = {
            "kind": s["kind"],
            "runtime": s["runtime"],
            "owner": s["owner"],
            "launched_on": launched,
            "retired_on": None,
            "source": source,
        }
        have = {k: getattr(row, k) for k in want}
        if want != have:
            conn.execute(update(t).where(t.id == row.id).values(**want))
            updated += 1
    _insert(conn, t, added)
    seen = {s["name"] for s in services}
    gone = [
        r.id
        for r in existing.values()
        if r.source == source and r.retired_on is None and r.name not in seen
    ]
    if gone:
        conn.execute(update(t).where(t.id.in_(gone)).values(retired_on=today))
    return Changes(len(added), updated, len(gone))


def sync_findings(
    conn: Connection,
    entity_id: str,
    findings: Sequence[dict[str, Any]],
    *,
    source: str,
    today: date,
) -> Changes:
    """Open the source's findings not yet recorded; mark fixed the ones it no longer reports.

    Each dict has fingerprint, service, title, fix and severity. A finding seen again keeps its
    status and opening day (someone may be working on it); one that was fixed is reopened.
    ``Changes.retired`` counts the findings marked fixed.
    """
    f = SecurityFinding
    existing = {
        r.fingerprint: r
        for r in conn.execute(
            select(f.id, f.fingerprint, f.title, f.fix, f.severity, f.status).where(
                f.entity_id == entity_id, f.source == source
            )
        )
    }
    added: list[dict[str, Any]] = []
    updated = 0
    for item in findings:
        row = existing.get(item["fingerprint"])
        if row is None:
            added.append(
                {
                    **item,
                    "entity_id": entity_id,
                    "status": "open",
                    "opened_on": today,
                    "fixed_on": None,
                    "source": source,
                }
            )
            continue
        want: dict[str, Any] = {k: item[k] for k in ("title", "fix", "severity")}
        if row.status == "fixed":
            want |= {"status": "open", "fixed_on": None}
        if any(getattr(row, k) != v for k, v in want.items() if k != "fixed_on"):
            conn.execute(update(f).where(f.id == row.id).values(**want))
            updated += 1
    _insert(conn, f, added)
    seen = {item["fingerprint"] for item in findings}
    fixed = [r.id for r in existing.values() if r.fingerprint not in seen and r.status != "fixed"]
    if fixed:
        conn.execute(update(f).where(f.id.in_(fixed)).values(status="fixed", fixed_on=today))
    return Changes(len(added), updated, len(fixed))


# -- git ------------------------------------------------------------------------------------------
def _owner_check(conn: Connection, entity_id: str, repo: str, source: str) -> None:
    owners = set()
    for model in (GitCommit, Deploy):
        q = select(model.entity_id, model.source).where(model.repo == repo).distinct()
        owners |= {tuple(r) for r in conn.execute(q)}
    others = sorted(o for o in owners if o != (entity_id, source))
    if others:
        who = ", ".join(f"{e} ({s})" for e, s in others)
        raise Invalid(
            f"repository name {repo!r} already holds history of {who}; "
            "sync it under another repository name"
        )


def sync_git_rows(
    conn: Connection,
    entity_id: str,
    repo: str,
    commits: Sequence[dict[str, Any]],
    deploys: Sequence[dict[str, Any]],
    *,
    source: str,
) -> Changes:
    """Upsert a repository's commits (by sha) and deploys (by tag); drop deploys whose tag is gone.

    Commits: dicts of sha, author, authored_at, deploy_tag. Deploys: tag, deployed_at,
    commit_count. Commits no longer reachable stay: they were made. ``Changes.retired``
    counts removed deploys.
    """
    _owner_check(conn, entity_id, repo, source)
    c, d = GitCommit, Deploy
    have_c = {
        sha: tag for sha, tag in conn.execute(select(c.sha, c.deploy_tag).where(c.repo == repo))
    }
    have_d = {
        r.tag: r
        for r in conn.execute(
            select(d.id, d.tag, d.deployed_at, d.commit_count).where(d.repo == repo)
        )
    }
    base = {"entity_id": entity_id, "repo": repo, "source": source}
    new_c = [{**base, **x} for x in commits if x["sha"] not in have_c]
    moved = [
        {"b_sha": x["sha"], "b_tag": x["deploy_tag"]}
        for x in commits
        if x["sha"] in have_c and have_c[x["sha"]] != x["deploy_tag"]
    ]
    new_d = [{**base, **x} for x in deploys if x["tag"] not in have_d]
    changed_d = [
        {"b_id": have_d[x["tag"]].id, "b_at": x["deployed_at"], "b_n": x["commit_count"]}
        for x in deploys
        if x["tag"] in have_d
        and (
            not _same_instant(have_d[x["tag"]].deployed_at, x["deployed_at"])
            or have_d[x["tag"]].commit_count != x["commit_count"]
        )
    ]
    tags = {x["tag"] for x in deploys}
    gone = [r.id for tag, r in have_d.items() if tag not in tags]
    _insert(conn, c, new_c)
    _insert(conn, d, new_d)
    if moved:
        conn.execute(
            update(c)
            .where(c.repo == repo, c.sha == bindparam("b_sha"))
            .values(deploy_tag=bindparam("b_tag")),
            moved,
        )
    if changed_d:
        conn.execute(
            update(d)
            .where(d.id == bindparam("b_id"))
            .values(deployed_at=bindparam("b_at"), commit_count=bindparam("b_n")),
            changed_d,
        )
    if gone:
        conn.execute(delete(d).where(d.id.in_(gone)))
    return Changes(len(new_c) + len(new_d), len(moved) + len(changed_d), len(gone))


def _same_instant(a: datetime, b: datetime) -> bool:
    return a.timestamp() == b.timestamp()
