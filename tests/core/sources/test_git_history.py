"""Git history sync on real temporary repositories: commits, tags as deploys, lead time."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.errors import Invalid
from core.ledger.models_tech import Deploy, GitCommit
from core.ledger.store import LedgerStore
from core.reports.model import Report, Table
from core.reports.registry import build_scoped
from core.reports.scope import resolve_scope
from core.sources.git_history import sync_git
from core.sources.runs import latest_runs
from core.tech.store import insert_rows

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 15, 10, tzinfo=LA)


class Repo:
    """A throwaway git repository driven with fixed author, committer and tagger dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir()
        self.git("init", "-q", "-b", "main")

    def git(
        self,
        *args: str,
        when: str = "2026-01-01T00:00:00Z",
        authored: str = "",
        who: str = "Ann Lee",
    ) -> str:
        """Run git here; ``when`` is the committer (and tagger) date, ``authored`` the author's."""
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,  # the machine's settings must not leak in
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": who,
            "GIT_AUTHOR_EMAIL": "dev@example.com",
            "GIT_COMMITTER_NAME": "Release Bot",
            "GIT_COMMITTER_EMAIL": "bot@example.com",
            "GIT_AUTHOR_DATE": authored or when,
            "GIT_COMMITTER_DATE": when,
        }
        done = subprocess.run(
            ["git", "-C", str(self.path), *args], env=env, capture_output=True, check=True
        )
        return done.stdout.decode().strip()

    def commit(self, name: str, authored: str, *, who: str = "Ann Lee", committed: str = "") -> str:
        (self.path / f"{name}.txt").write_text(name)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", name, when=committed or authored, authored=authored, who=who)
        return self.git("rev-parse", "HEAD")

    def annotated(self, tag: str, ref: str, tagged: str) -> None:
        self.git("tag", "-a", tag, "-m", f"release {tag}", ref, when=tagged)

    def lightweight(self, tag: str, ref: str) -> None:
        self.git("tag", tag, ref)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """main: c1 (Ann) <- c2 (Bob) <- c3 (Ann) <- c4 (Ann); feature: c5 (Zoë) off c3.

    rc1 annotated on c1 (tagged Oct 5 20:00Z), v1 annotated on c2 (Oct 7 10:00Z),
    v2 lightweight on c3 (ships at c3's commit date, Oct 12 16:00Z); c4 and c5 unshipped.
    """
    r = Repo(tmp_path / "shop-api")
    c1 = r.commit("c1", "2026-10-05T10:00:00Z")
    c2 = r.commit("c2", "2026-10-06T10:00:00Z", who="Bob Stone")
    c3 = r.commit("c3", "2026-10-12T10:00:00Z", committed="2026-10-12T16:00:00Z")
    r.annotated("v1", c2, "2026-10-07T10:00:00Z")
    r.annotated("rc1", c1, "2026-10-05T20:00:00Z")  # made later, dated earlier: ships c1
    r.lightweight("v2", c3)
    r.commit("c4", "2026-10-20T10:00:00Z")
    r.git("checkout", "-q", "-b", "feature", c3)
    r.commit("c5", "2026-10-21T10:00:00Z", who="Zoë Park")
    r.git("checkout", "-q", "main")
    return r


def commits(store: LedgerStore) -> dict[str, tuple[Any, ...]]:
    c = GitCommit
    q = select(c.sha, c.entity_id, c.repo, c.author, c.authored_at, c.deploy_tag, c.source)
    with store.engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(q)}


def deploys(store: LedgerStore) -> dict[str, tuple[Any, ...]]:
    d = Deploy
    q = select(d.tag, d.entity_id, d.repo, d.deployed_at, d.commit_count, d.source)
    with store.engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(q)}


def by_message(r: Repo) -> dict[str, str]:
    out = r.git("log", "--all", "--format=%s %H")
    return dict(line.split(" ") for line in out.splitlines())


def table(report: Report, table_id: str) -> list[dict[str, Any]]:
    found = next(i for s in report.sections for i in s.items if getattr(i, "id", "") == table_id)
    assert isinstance(found, Table)
    return found.rows


def test_commits_tags_and_first_containing_tag(acme: LedgerStore, repo: Repo) -> None:
    summary = sync_git(acme, "A", repo.path)
    sha = by_message(repo)
    rows = commits(acme)
    assert {rows[sha[n]][4] for n in sha} == {"rc1", "v1", "v2", None}
    assert {n: rows[sha[n]][2:5] for n in sha} == {
        "c1": ("Ann Lee", utc(2026, 10, 5, 10), "rc1"),
        "c2": ("Bob Stone", utc(2026, 10, 6, 10), "v1"),
        "c3": ("Ann Lee", utc(2026, 10, 12, 10), "v2"),
        "c4": ("Ann Lee", utc(2026, 10, 20, 10), None),
        "c5": ("Zoë Park", utc(2026, 10, 21, 10), None),  # another branch: --all
    }
    assert all(r[:2] == ("A", "shop-api") and r[5] == "git" for r in rows.values())
    assert deploys(acme) == {
        "rc1": ("A", "shop-api", utc(2026, 10, 5, 20), 1, "git"),  # tagger date
        "v1": ("A", "shop-api", utc(2026, 10, 7, 10), 1, "git"),
        "v2": ("A", "shop-api", utc(2026, 10, 12, 16), 1, "git"),  # the commit's date
    }
    assert summary == "shop-api: 5 commits, 3 tags (8 new, 0 updated, 0 removed)"
    (run,) = latest_runs(acme, ["A"])
    assert (run.source, run.status, run.items) == ("git", "ok", 8)


def test_rerunning_adds_nothing_and_new_history_is_incremental(
    acme: LedgerStore, repo: Repo
) -> None:
    sync_git(acme, "A", repo.path)
    before = (commits(acme), deploys(acme))
    assert sync_git(acme, "A", repo.path).endswith("(0 new, 0 updated, 0 removed)")
    assert (commits(acme), deploys(acme)) == before
    assert latest_runs(acme, ["A"])[0].items == 0

    c6 = repo.commit("c6", "2026-10-22T10:00:00Z")
    repo.annotated("v3", c6, "2026-10-23T10:00:00Z")  # ships c4 and c6
    repo.git("tag", "-d", "rc1")  # c1 now first ships with v1
    summary = sync_git(acme, "A", repo.path)
    assert summary == "shop-api: 6 commits, 3 tags (2 new, 3 updated, 1 removed)"
    sha = by_message(repo)
    rows = commits(acme)
    assert [rows[sha[n]][4] for n in ("c1", "c2", "c3", "c4", "c5", "c6")] == [
        "v1",
        "v1",
        "v2",
        "v3",
        None,
        "v3",
    ]
    assert {t: d[3] for t, d in deploys(acme).items()} == {"v1": 2, "v2": 1, "v3": 2}


def test_the_cto_report_shows_the_git_dev_cycle_instead_of_the_demo(
    acme: LedgerStore, repo: Repo
) -> None:
    demo_at = utc(2026, 10, 14, 18)
    insert_rows(  # the demo story of entity A: hidden once real history exists
        acme,
        GitCommit,
        [
            {
                "entity_id": "A",
                "repo": "acme/demo",
                "sha": "d1",
                "authored_at": demo_at,
                "author": "Demo Dev",
                "deploy_tag": "d-v1",
            }
        ],
    )
    insert_rows(
        acme,
        Deploy,
        [{"entity_id": "A", "repo": "acme/demo", "tag": "d-v1", "deployed_at": demo_at}],
    )
    sync_git(acme, "A", repo.path)
    report = build_scoped(
        "cto", acme, resolve_scope(acme, entity="A", period=202610), tz=LA, now=NOW
    )
    # deploys rc1, v1, v2 in October; lead times c1 10 h, c2 24 h, c3 6 h
    assert report.kpi("deploys_per_week").value == round(3 * 7 / 31, 2)
    assert report.kpi("lead_time_hours").value == 10.0
    weekly = next(
        i
        for s in report.sections
        for i in s.items
        if getattr(i, "id", "") == "commits_deploys_weekly"
    )
    assert weekly.x[8] == "Oct 5"
    assert weekly.series[0].values[8:] == [2, 1, 2, 0]  # commits per week
    assert weekly.series[1].values[8:] == [2, 1, 0, 0]  # deploys per week
    assert table(report, "authors") == [
        {"author": "Ann Lee", "commits": 3, "repos": "shop-api", "last_commit": "2026-10-20"},
        {"author": "Bob Stone", "commits": 1, "repos": "shop-api", "last_commit": "2026-10-06"},
        {"author": "Zoë Park", "commits": 1, "repos": "shop-api", "last_commit": "2026-10-21"},
    ]
    assert table(report, "repos") == [
        {
            "repo": "shop-api",
            "entity": "Acme",
            "commits": 5,
            "deploys": 3,
            "deploys_per_week": round(3 * 7 / 31, 2),
            "lead_time_hours": 10.0,
        }
    ]


def test_not_a_repository_is_invalid_and_writes_nothing(
    acme: LedgerStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never find a parent repo
    with pytest.raises(Invalid) as caught:
        sync_git(acme, "A", plain)
    assert str(caught.value).startswith(f"not a git repository: {plain} (fatal: not a git repo")
    with pytest.raises(Invalid, match="is not a directory"):
        sync_git(acme, "A", tmp_path / "missing")
    assert commits(acme) == {} and deploys(acme) == {}
    assert latest_runs(acme, ["A"])[0].status == "error"


def test_a_repository_name_belongs_to_one_entity(acme: LedgerStore, repo: Repo) -> None:
    sync_git(acme, "A", repo.path)
    with pytest.raises(Invalid, match="already holds history of A"):
        sync_git(acme, "B", repo.path)
    sync_git(acme, "B", repo.path, repo_name="beta/shop-api")  # another name is fine
    c = GitCommit
    with acme.engine.connect() as conn:
        q = select(c.entity_id, c.repo, func.count()).group_by(c.entity_id, c.repo)
        assert sorted(tuple(r) for r in conn.execute(q)) == [
            ("A", "shop-api", 5),
            ("B", "beta/shop-api", 5),
        ]


def test_an_empty_repository_and_a_subdirectory(acme: LedgerStore, tmp_path: Path) -> None:
    empty = Repo(tmp_path / "empty")
    assert (
        sync_git(acme, "A", empty.path) == "empty: 0 commits, 0 tags (0 new, 0 updated, 0 removed)"
    )
    empty.commit("first", "2026-10-01T00:00:00Z")
    (empty.path / "sub").mkdir()
    summary = sync_git(acme, "A", empty.path / "sub")  # named after the repository, not "sub"
    assert summary.startswith("empty: 1 commits, 0 tags")
    assert [r[3] for r in commits(acme).values()] == [datetime(2026, 10, 1, tzinfo=UTC)]
    assert date(2026, 10, 1) == next(iter(commits(acme).values()))[3].date()
