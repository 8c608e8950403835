"""A local git repository -> GitCommit and Deploy rows (source "git"), through the git CLI.

Commits come from ``git log --all`` (stash and notes left out), authors as ``.mailmap`` names,
instants in UTC. Every tag is a deploy: an annotated tag deploys at its tagger date, a
lightweight one at its commit's committer date. A commit's ``deploy_tag`` is the first tag
(by that instant) containing it; a deploy's ``commit_count`` is how many commits it shipped
first. Rows are upserted on (repo, sha) and (repo, tag), so a re-run adds nothing.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.errors import Invalid, Unavailable
from core.ledger.store import LedgerStore
from core.sources.runs import Progress, no_progress, sync_run
from core.tech.upserts import sync_git_rows

SOURCE = "git"
SEP = "\x1f"  # unit separator between fields; NUL between records
TIMEOUT_S = 600
# no prompts, no pager, English messages, no GPG noise in the log output
GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}


class GitFailed(Invalid):
    """git refused: ``said`` is its last line on stderr (e.g. "fatal: not a git repository")."""

    def __init__(self, message: str, said: str) -> None:
        super().__init__(message)
        self.said = said


@dataclass(frozen=True)
class Tag:
    """A tag as a deploy: its name, the commit it points at and when it shipped."""

    name: str
    sha: str
    at: datetime


def git(path: Path, *args: str, stdin: str | None = None) -> str:
    """Run ``git -C path args`` (never through a shell); Invalid with git's own words on failure."""
    cmd = ["git", "-c", "log.showSignature=false", "-C", str(path), *args]
    try:
        done = subprocess.run(
            cmd,
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            timeout=TIMEOUT_S,
            env={**os.environ, **GIT_ENV},
            check=False,
        )
    except FileNotFoundError as exc:
        raise Unavailable("git is not installed (no `git` on PATH)") from exc
    except subprocess.TimeoutExpired as exc:
        raise Unavailable(f"git {args[0]} took over {TIMEOUT_S} s in {path}") from exc
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip().splitlines()
        said = err[-1] if err else "no message"
        raise GitFailed(f"git {args[0]} failed in {path}: {said}", said)
    return done.stdout.decode(errors="replace")


def repo_root(path: Path) -> tuple[Path, str]:
    """(the repository's directory, its default name); Invalid when ``path`` is not one."""
    if not path.is_dir():
        raise Invalid(f"not a git repository: {path} is not a directory")
    try:
        bare, git_dir = git(path, "rev-parse", "--is-bare-repository", "--absolute-git-dir").split()
    except GitFailed as exc:  # git's words matter: "dubious ownership" needs safe.directory
        raise Invalid(f"not a git repository: {path} ({exc.said})") from exc
    if bare == "true":
        return Path(git_dir), Path(git_dir).name.removesuffix(".git")
    top = Path(git(path, "rev-parse", "--show-toplevel").strip())
    return top, top.name


def read_commits(path: Path) -> list[tuple[str, str, datetime]]:
    """(sha, author, authored_at UTC) of every commit reachable from a branch, tag or HEAD."""
    out = git(
        path,
        "log",
        "--exclude=refs/stash",
        "--exclude=refs/notes/*",
        "--all",
        "-z",
        f"--format=%H{SEP}%aN{SEP}%at",
    )
    commits = []
    for record in filter(None, out.split("\0")):
        sha, rest = record.strip("\n").split(SEP, 1)
        author, stamp = rest.rsplit(SEP, 1)
        commits.append((sha, author.strip() or "unknown", _instant(stamp)))
    return commits


def read_tags(path: Path) -> list[Tag]:
    """Every tag that reaches a commit, oldest deploy first (ties by name)."""
    fields = [
        "%(refname:strip=2)",
        "%(objecttype)",
        "%(objectname)",
        "%(taggerdate:unix)",
        "%(committerdate:unix)",
        "%(*objecttype)",
        "%(*objectname)",
        "%(*committerdate:unix)",
    ]
    out = git(path, "for-each-ref", "--format=" + "%1f".join(fields), "refs/tags")
    tags = []
    for line in filter(None, out.splitlines()):  # ref names cannot hold control characters
        name, kind, sha, tagged, committed, peeled_kind, peeled, peeled_committed = line.split(SEP)
        if kind == "commit":  # lightweight: ships when its commit was made
            tags.append(Tag(name, sha, _instant(committed)))
        elif kind == "tag":
            if peeled_kind != "commit":  # a tag of a tag: peel all the way, if it is a commit
                peeled = _peel(path, name)
                if peeled is None:
                    continue
                peeled_committed = git(path, "log", "-1", "--format=%ct", peeled).strip()
            tags.append(Tag(name, peeled, _instant(tagged or peeled_committed)))
    return sorted(tags, key=lambda t: (t.at, t.name))


def first_tags(path: Path, tags: list[Tag], progress: Progress) -> dict[str, str]:
    """sha -> the first tag (in ``tags`` order) that contains the commit."""
    shipped: dict[str, str] = {}
    before: list[str] = []
    for i, tag in enumerate(tags):
        progress(0.4 + 0.4 * i / len(tags), f"commits of {tag.name}")
        # commits in this tag and in no earlier one; --stdin keeps long lists off argv
        lines = "\n".join([tag.sha, *(f"^{sha}" for sha in before)]) + "\n"
        for sha in git(path, "rev-list", "--stdin", stdin=lines).split():
            shipped.setdefault(sha, tag.name)
        before.append(tag.sha)
    return shipped


def sync_git(
    store: LedgerStore,
    entity_id: str,
    repo_path: Path,
    *,
    repo_name: str | None = None,
    progress: Progress | None = None,
) -> str:
    """Read a local repository's commits and tags into the entity's dev cycle; a summary."""
    report = progress or no_progress
    path = Path(repo_path).expanduser()
    with sync_run(store, entity_id, SOURCE) as run:
        report(0.02, f"opening {path}")
        root, default_name = repo_root(path)
        name = (repo_name or "").strip() or default_name
        report(0.1, f"reading the commits of {name}")
        commits = read_commits(root)
        report(0.3, f"reading the tags of {name}")
        tags = read_tags(root)
        shipped = first_tags(root, tags, report)
        counts: dict[str, int] = {}
        for tag in shipped.values():
            counts[tag] = counts.get(tag, 0) + 1
        commit_rows = [
            {"sha": sha, "author": author, "authored_at": at, "deploy_tag": shipped.get(sha)}
            for sha, author, at in commits
        ]
        deploy_rows = [
            {"tag": t.name, "deployed_at": t.at, "commit_count": counts.get(t.name, 0)}
            for t in tags
        ]
        report(0.85, f"writing {len(commits)} commits and {len(tags)} deploys")
        with store.engine.begin() as conn:
            changes = sync_git_rows(conn, entity_id, name, commit_rows, deploy_rows, source=SOURCE)
        run.items = changes.total
        run.message = (
            f"{name}: {len(commits)} commits, {len(tags)} tags "
            f"({changes.added} new, {changes.updated} updated, {changes.retired} removed)"
        )
        report(1.0, run.message)
    return run.message


def _peel(path: Path, tag: str) -> str | None:
    try:
        return git(path, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}").strip()
    except GitFailed:
        return None


def _instant(unix: str) -> datetime:
    return datetime.fromtimestamp(int(unix), UTC)
