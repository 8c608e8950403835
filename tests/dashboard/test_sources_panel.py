"""AppTest of /data's Sources: not set up -> steps in words and no button; Test without syncing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ledger.store import open_ledger
from core.sources.runs import latest_runs
from devtools.fake_stripe import FakeStripe
from tests.dashboard.test_data_page import open_data, stripe_server  # noqa: F401  (fixture)


@pytest.fixture
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS credentials anywhere the dashboard looks."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))


def _button(at: AppTest, key: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.key == key)


def test_sources_not_set_up_cannot_be_clicked_and_say_what_to_set(
    ledger_dir: Path, no_aws: None
) -> None:
    at = open_data()
    for source in ("stripe", "aws-costs", "aws-lambda", "git", "secret-scan"):
        assert _button(at, f"sync_{source}").disabled, source
        assert _button(at, f"test_{source}").disabled, source
    captions = " ".join(c.value for c in at.caption)
    assert "AWS_ACCESS_KEY_ID" in captions and "ce:GetCostAndUsage" in captions
    assert "STRIPE_SECRET_ARN" in captions and "GIT_REPOS" in captions
    assert "Keys are never stored in the database" in captions
    assert sum("**Not set up.**" in m.value for m in at.markdown) == 5


def test_aws_with_keys_in_the_environment_is_clickable(
    ledger_dir: Path, no_aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    at = open_data()
    assert not _button(at, "sync_aws-costs").disabled
    assert not _button(at, "test_aws-lambda").disabled


def test_stripe_test_connects_and_syncs_nothing(stripe_server: FakeStripe) -> None:  # noqa: F811
    at = open_data()
    entity = at.selectbox(key="data_entity").value
    _button(at, "test_stripe").click().run()
    assert not at.exception, at.exception
    assert any("Stripe: connected" in s.value for s in at.success)
    store = open_ledger(get_settings().ledger_url)
    assert not [r for r in latest_runs(store, [entity]) if r.source == "stripe"]


def test_git_test_says_a_configured_path_is_not_a_repository(
    ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_data()
    entity = at.selectbox(key="data_entity").value
    plain, repo = tmp_path / "plain", tmp_path / "site"
    plain.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.setenv("GIT_REPOS", f"{entity}={plain}")
    get_settings.cache_clear()
    at.run()
    _button(at, "test_git").click().run()
    assert any("not a git repository" in e.value for e in at.error)
    monkeypatch.setenv("GIT_REPOS", f"{entity}={repo}")
    get_settings.cache_clear()
    _button(at, "test_git").click().run()
    assert any("1 repository found (site)" in s.value for s in at.success)
