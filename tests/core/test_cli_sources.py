"""`python -m core sync-aws` and `sync-git`: summaries, exit 2 on bad input with nothing
written, exit 1 when AWS fails."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.cli import main
from core.config import get_settings
from core.ledger.models_sources import SourceSync
from core.ledger.models_tech import CloudCost, GitCommit, TechService
from core.ledger.store import LedgerStore, open_ledger
from tests.core.sources.moto_helpers import client, dead_endpoint, queue_cost_results, reset


def _store() -> LedgerStore:
    # the data dir's ledger, without settings: some tests leave GIT_REPOS unparseable
    return open_ledger(f"sqlite:///{os.environ['EXEC_DATA_DIR']}/ledger.db")


def _count(model: type) -> int:
    with _store().engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def _git_repo(path: Path, *messages: str) -> Path:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ann Lee",
        "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "Ann Lee",
        "GIT_COMMITTER_EMAIL": "ann@example.com",
        "GIT_AUTHOR_DATE": "2026-10-01T10:00:00Z",
        "GIT_COMMITTER_DATE": "2026-10-01T10:00:00Z",
    }
    path.mkdir()
    subprocess.run(["git", "-C", str(path), "init", "-q"], env=env, check=True)
    for message in messages:
        (path / message).write_text(message)
        subprocess.run(["git", "-C", str(path), "add", "-A"], env=env, check=True)
        subprocess.run(["git", "-C", str(path), "commit", "-qm", message], env=env, check=True)
    subprocess.run(["git", "-C", str(path), "tag", "v1"], env=env, check=True)
    return path


@pytest.fixture
def entities(data_dir: Path) -> Path:
    assert main(["entity", "add", "A", "--name", "Acme"]) == 0
    assert main(["entity", "add", "B", "--name", "Beta"]) == 0
    return data_dir


def test_sync_git_one_repo_then_again(entities: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _git_repo(entities / "shop", "one", "two")
    assert main(["sync-git", "--entity", "A", "--repo", str(repo)]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("A: shop: 2 commits, 1 tags (3 new, 0 updated, 0 removed)")
    assert main(["sync-git", "--entity", "A", "--repo", str(repo)]) == 0
    assert "(0 new, 0 updated, 0 removed)" in capsys.readouterr().out
    assert _count(GitCommit) == 2


def test_sync_git_every_configured_repo(
    entities: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _git_repo(entities / "a-site", "one")
    b = _git_repo(entities / "b-api", "one", "two", "three")
    monkeypatch.setenv("GIT_REPOS", f"A={a},B={b}")
    get_settings.cache_clear()
    assert main(["sync-git"]) == 0
    out = capsys.readouterr().out
    assert "A: a-site: 1 commits" in out and "B: b-api: 3 commits" in out
    assert main(["sync-git", "--entity", "B"]) == 0  # only B's entries
    assert "a-site" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "repos", "message"),
    [
        (["--repo", "{good}"], "", "--repo needs --entity"),
        (["--entity", "Nope", "--repo", "{good}"], "", "unknown entity 'Nope'"),
        (["--entity", "A", "--repo", "{plain}"], "", "not a git repository"),
        ([], "", "no git repository configured"),
        (["--entity", "B"], "A={good}", "no git repository configured for B"),
        ([], "A={good},Nope={good}", "unknown entity 'Nope'"),  # the good one is not synced
        ([], "A={good},A={plain}", "not a git repository"),
        ([], "A", "GIT_REPOS item 'A' must look like ENTITY_ID=/path"),
    ],
)
def test_sync_git_bad_input_exits_2_and_writes_nothing(
    entities: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    repos: str,
    message: str,
) -> None:
    good = _git_repo(entities / "good", "one")
    plain = entities / "plain"
    plain.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(entities))
    monkeypatch.setenv("GIT_REPOS", repos.format(good=good, plain=plain))
    get_settings.cache_clear()
    argv = [a.format(good=good, plain=plain) for a in args]
    assert main(["sync-git", *argv]) == 2
    assert message in capsys.readouterr().err
    assert _count(GitCommit) == 0 and _count(SourceSync) == 0


@pytest.fixture
def aws_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """boto3's standard variables pointed at an emptied moto."""
    reset(moto_endpoint)
    for name, value in {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return moto_endpoint


def test_sync_aws_runs_costs_and_lambda(
    entities: Path, aws_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    queue_cost_results(
        aws_env,
        {
            "ResultsByTime": [
                {
                    "TimePeriod": {"Start": "2026-10-01", "End": "2026-11-01"},
                    "Groups": [
                        {
                            "Keys": ["Amazon EC2"],
                            "Metrics": {"UnblendedCost": {"Amount": "12.5", "Unit": "USD"}},
                        }
                    ],
                }
            ]
        },
    )
    role = client("iam", aws_env).create_role(
        RoleName="fn", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"})
    )["Role"]["Arn"]
    client("lambda", aws_env).create_function(
        FunctionName="api",
        PackageType="Image",
        Role=role,
        Code={"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1"},
    )
    assert main(["sync-aws", "--entity", "A", "--months", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("AWS costs: 1 cost lines of 1 services") and "$12.50" in out[0]
    assert out[1].startswith("Lambda inventory: 1 Lambda functions (1 new")
    assert _count(CloudCost) == 1 and _count(TechService) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--entity", "Nope"], "unknown entity 'Nope'"),
        (["--entity", "A", "--months", "40"], "months must be between 0 and 37"),
    ],
)
def test_sync_aws_bad_input_exits_2_and_writes_nothing(
    entities: Path,
    aws_env: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert main(["sync-aws", *args]) == 2
    assert message in capsys.readouterr().err
    assert _count(SourceSync) == 0 and _count(CloudCost) == 0


def test_sync_aws_service_failure_exits_1(
    entities: Path,
    aws_env: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", dead_endpoint())
    assert main(["sync-aws", "--entity", "A"]) == 1
    err = capsys.readouterr().err
    assert "failed: AWS costs: Cost Explorer could not be reached" in err
    assert "failed: Lambda inventory: Lambda ListFunctions could not be reached" in err
    assert _count(CloudCost) == 0 and _count(TechService) == 0
    with _store().engine.connect() as conn:
        statuses = conn.execute(select(SourceSync.source, SourceSync.status)).all()
    assert sorted(statuses) == [("aws-costs", "error"), ("aws-lambda", "error")]


def test_sync_aws_without_credentials_is_bad_config(
    entities: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance role to find either
    monkeypatch.setenv("AWS_ENDPOINT_URL", dead_endpoint())
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    assert main(["sync-aws", "--entity", "A"]) == 2
    assert "no AWS credentials" in capsys.readouterr().err
    assert _count(CloudCost) == 0
