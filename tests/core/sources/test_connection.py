"""test_connection per source: not set up, set up and failing, ok (fake Stripe, moto, git)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import Forbidden
from core.sources import connection
from core.sources.connection import aws_credentials_source, setup_steps
from core.sources.service import check_source, setups
from devtools.fake_stripe import FakeStripe, balance_transaction, fake_stripe
from tests.core.sources.moto_helpers import access_denied_keys, client, dead_endpoint

KEY = "sk_" + "test_" + "c" * 24  # built at runtime: the project's secret scan reads this file
TODAY = date(2026, 11, 24)


@pytest.fixture
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS credentials anywhere this process looks."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))


@pytest.fixture
def aws_keys(no_aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS keys in the environment (the clients passed in point at moto)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")


@pytest.fixture
def server() -> Iterator[FakeStripe]:
    """A fake Stripe with the test key and one transaction."""
    with fake_stripe(KEY) as s:
        s.add(balance_transaction("txn_1", 1_790_000_000, 10_000, fee=320))
        yield s


def _stripe(server: FakeStripe, key: str = KEY) -> Settings:
    return Settings(stripe_api_key=key, stripe_api_base=server.base)


def _check(settings: Settings, source: str, **clients: object) -> connection.ConnectionCheck:
    return connection.test_connection(settings, source, "a", today=TODAY, **clients)


# -- Stripe --------------------------------------------------------------------------------
def test_stripe_not_set_up_says_which_variable_to_set() -> None:
    check = _check(Settings(), "stripe")
    assert not check.ok
    assert "not set up" in check.message
    assert "STRIPE_API_KEY" in check.message and "STRIPE_SECRET_ARN" in check.message


def test_stripe_with_a_refused_key_says_so(server: FakeStripe) -> None:
    check = _check(_stripe(server, key="sk_" + "test_" + "x" * 24), "stripe")
    assert not check.ok
    assert "refused the API key" in check.message


def test_stripe_ok_reads_one_transaction_and_posts_nothing(server: FakeStripe) -> None:
    check = _check(_stripe(server), "stripe")
    assert check.ok, check.message
    assert "connected" in check.message
    assert [r.get("limit") for r in server.requests] == ["1"]


def test_stripe_unreachable_is_a_problem_in_words() -> None:
    settings = Settings(stripe_api_key=KEY, stripe_api_base=dead_endpoint())
    check = _check(settings, "stripe")
    assert not check.ok
    assert "could not reach Stripe" in check.message


# -- AWS -----------------------------------------------------------------------------------
def test_aws_not_set_up_names_the_variables(no_aws: None) -> None:
    assert aws_credentials_source() is None
    for source, right in (("aws-costs", "ce:GetCostAndUsage"), ("aws-lambda", "lambda:List")):
        check = _check(Settings(), source)
        assert not check.ok
        assert "not set up" in check.message
        assert "AWS_ACCESS_KEY_ID" in check.message and right in check.message


def test_aws_profile_in_the_credentials_file_counts(
    no_aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    creds = tmp_path / "credentials"
    creds.write_text("[books]\naws_access_key_id = x\naws_secret_access_key = y\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    assert aws_credentials_source() is None  # the default profile is not there
    monkeypatch.setenv("AWS_PROFILE", "books")
    assert aws_credentials_source() == f"the profile 'books' in {creds}"


def test_aws_ok_against_moto(aws_keys: None, moto: str) -> None:
    costs = _check(Settings(), "aws-costs", sts=client("sts", moto), aws_reader=client("ce", moto))
    assert costs.ok, costs.message
    assert "123456789012" in costs.message
    lam = _check(
        Settings(), "aws-lambda", sts=client("sts", moto), aws_reader=client("lambda", moto)
    )
    assert lam.ok, lam.message


def test_aws_refused_and_unreachable_are_problems_in_words(aws_keys: None, moto: str) -> None:
    with access_denied_keys(moto) as keys:
        check = _check(
            Settings(),
            "aws-lambda",
            sts=client("sts", moto, **keys),
            aws_reader=client("lambda", moto, **keys),
        )
    assert not check.ok
    assert check.message.startswith("AWS Lambda inventory refused the request")
    dead = dead_endpoint()
    check = _check(Settings(), "aws-costs", sts=client("sts", dead), aws_reader=client("ce", dead))
    assert not check.ok
    assert "could not be reached" in check.message


# -- git -----------------------------------------------------------------------------------
def test_git_not_set_up_missing_not_a_repo_and_ok(tmp_path: Path) -> None:
    check = _check(Settings(), "git")
    assert not check.ok and "GIT_REPOS" in check.message
    missing = tmp_path / "gone"
    check = _check(Settings(git_repos=(("a", missing),)), "git")
    assert not check.ok and "does not exist" in check.message
    plain = tmp_path / "plain"
    plain.mkdir()
    check = _check(Settings(git_repos=(("a", plain),)), "secret-scan")
    assert not check.ok and "not a git repository" in check.message
    repo = tmp_path / "books-site"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    check = _check(Settings(git_repos=(("a", repo),)), "git")
    assert check.ok, check.message
    assert "1 repository found (books-site)" in check.message


# -- the service: scope first, and readiness that matches ------------------------------------
def test_check_source_refuses_outside_the_scope_and_roles() -> None:
    with pytest.raises(Forbidden):
        check_source("git", "a", role="owner", allowed=frozenset({"b"}), settings=Settings())
    with pytest.raises(Forbidden):
        check_source("git", "a", role="cto", allowed=None, settings=Settings())
    check = check_source("git", "a", role="cfo", allowed=frozenset({"a"}), settings=Settings())
    assert not check.ok


def test_setups_show_aws_not_ready_without_credentials(no_aws: None) -> None:
    ready = {s.source: (s.ready, s.hint) for s in setups(Settings(), "a")}
    assert not ready["aws-costs"][0] and not ready["aws-lambda"][0]
    assert ready["aws-costs"][1] == setup_steps("aws-costs")
