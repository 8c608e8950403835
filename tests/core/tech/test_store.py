"""The tech reads the CTO report makes: shipped commits and deploys of instant windows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from core.ledger.models_tech import Deploy, GitCommit
from core.ledger.store import LedgerStore
from core.tech import store as tech_store
from core.tech.store import insert_rows


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _deploy(entity: str, repo: str, tag: str, at: datetime, source: str = "demo") -> dict[str, Any]:
    return {
        "entity_id": entity,
        "repo": repo,
        "tag": tag,
        "deployed_at": at,
        "commit_count": 1,
        "source": source,
    }


def _commit(
    entity: str, repo: str, sha: str, at: datetime, tag: str | None, source: str = "demo"
) -> dict[str, Any]:
    return {
        "entity_id": entity,
        "repo": repo,
        "sha": sha,
        "authored_at": at,
        "author": "Ann Lee",
        "deploy_tag": tag,
        "source": source,
    }


OCT = (utc(2026, 10, 1), utc(2026, 11, 1))
AUG = (utc(2026, 8, 1), utc(2026, 9, 1))


def _seed(store: LedgerStore) -> None:
    for eid in ("A", "B", "C"):
        store.add_entity(id=eid, name=eid)
    insert_rows(
        store,
        Deploy,
        [
            _deploy("A", "a/api", "v1", utc(2026, 10, 6)),
            _deploy("A", "a/api", "v2", utc(2026, 9, 6)),  # in neither window
            _deploy("A", "a/api", "v3", utc(2026, 8, 6)),
            _deploy("B", "b/api", "v1", utc(2026, 10, 7)),
            _deploy("C", "c/api", "r1", utc(2026, 10, 8), source="git"),
        ],
    )
    insert_rows(
        store,
        GitCommit,
        [
            _commit("A", "a/api", "a1", utc(2026, 10, 5), "v1"),
            _commit("A", "a/api", "a2", utc(2026, 10, 4), "v1"),
            _commit("A", "a/api", "a3", utc(2026, 9, 5), "v2"),
            _commit("A", "a/api", "a4", utc(2026, 8, 5), "v3"),
            _commit("A", "a/api", "a5", utc(2026, 10, 9), None),  # not shipped
            # B's commit names A's repo and tag: it was not shipped by A's deploy
            _commit("B", "a/api", "b0", utc(2026, 10, 1), "v1"),
            _commit("B", "b/api", "b1", utc(2026, 10, 6), "v1"),
            # C has real git history: its demo commit no longer counts
            _commit("C", "c/api", "c1", utc(2026, 10, 7), "r1", source="git"),
            _commit("C", "c/api", "c2", utc(2026, 10, 7, 1), "r1"),
        ],
    )


def _shas(store: LedgerStore, ids: list[str], windows: list[tuple[datetime, datetime]]) -> set:
    return {
        (c.entity_id, c.authored_at, c.deployed_at)
        for c in tech_store.shipped_commits(store, ids, windows)
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def tech(request: pytest.FixtureRequest, store: LedgerStore) -> Iterator[LedgerStore]:
    if request.param == "sqlite":
        target = store
    else:
        target = LedgerStore(request.getfixturevalue("postgres_database"))
    _seed(target)
    yield target
    if target is not store:
        target.engine.dispose()


def test_shipped_commits_of_the_windows_with_their_deploy(tech: LedgerStore) -> None:
    assert _shas(tech, ["A"], [OCT]) == {
        ("A", utc(2026, 10, 5), utc(2026, 10, 6)),
        ("A", utc(2026, 10, 4), utc(2026, 10, 6)),
    }
    assert _shas(tech, ["A"], [AUG, OCT]) == _shas(tech, ["A"], [OCT]) | {
        ("A", utc(2026, 8, 5), utc(2026, 8, 6))
    }
    assert _shas(tech, ["A"], []) == set()


def test_shipped_commits_stay_within_their_entity(tech: LedgerStore) -> None:
    assert _shas(tech, ["B"], [OCT]) == {("B", utc(2026, 10, 6), utc(2026, 10, 7))}
    assert _shas(tech, ["A", "B"], [OCT]) == _shas(tech, ["A"], [OCT]) | _shas(tech, ["B"], [OCT])


def test_real_commits_hide_the_demo_ones(tech: LedgerStore) -> None:
    assert _shas(tech, ["C"], [OCT]) == {("C", utc(2026, 10, 7), utc(2026, 10, 8))}


def test_deploys_of_several_windows_in_one_read(tech: LedgerStore) -> None:
    tags = {(d.entity_id, d.tag) for d in tech_store.deploys(tech, ["A", "B"], [AUG, OCT])}
    assert tags == {("A", "v1"), ("A", "v3"), ("B", "v1")}
    assert tech_store.deploys(tech, ["A"], []) == []


def test_shipped_commits_start_from_the_windows_deploys(store: LedgerStore) -> None:
    """On SQLite the read goes from the deploys to their commits by the (repo, tag) index,
    not through every commit of the entities."""
    _seed(store)
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *rest: Any) -> None:
        seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    tech_store.shipped_commits(store, ["A", "B"], [OCT])
    event.remove(store.engine, "before_cursor_execute", capture)
    statement, params = seen[-1]
    raw = store.engine.raw_connection()
    try:
        plan = [row[3] for row in raw.cursor().execute("EXPLAIN QUERY PLAN " + statement, params)]
    finally:
        raw.close()
    searches = [p for p in plan if p.startswith(("SEARCH", "SCAN"))]
    assert searches[0].startswith("SEARCH deploys"), plan
    assert any("git_commits USING INDEX ix_commit_deploy" in p for p in plan), plan


def test_costs_of_given_months(store: LedgerStore) -> None:
    from core.ledger.models_tech import CloudCost

    store.add_entity(id="A", name="A")
    rows = [
        {"entity_id": "A", "month": m, "service": "s", "cost_cents": m % 100, "source": "demo"}
        for m in (202509, 202510, 202511, 202609, 202610)
    ]
    insert_rows(store, CloudCost, rows)
    got = tech_store.costs_in(store, ["A"], [202510, 202609, 202610])
    assert sorted(c.month for c in got) == [202510, 202609, 202610]
    assert sorted(tech_store.costs(store, ["A"], 202510, 202609)) == sorted(
        c for c in tech_store.costs(store, ["A"], 202501, 202612) if 202510 <= c.month <= 202609
    )
