"""Settings: defaults, `.env` under the environment, every bad variable reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.errors import Invalid


def test_defaults_match_the_contract() -> None:
    s = Settings.from_env({})
    assert (s.exec_data_dir, s.ops_backend, s.ops_table, s.mail_backend) == (
        Path("./data"),
        "sqlite",
        "exec-ops",
        "outbox",
    )
    assert s.ledger_url == "sqlite:///data/ledger.db"
    assert (s.portfolio_tz, s.home_port_lat, s.home_port_lon) == (
        "America/Los_Angeles",
        32.7157,
        -117.1611,
    )
    assert s.app_url == "http://localhost:8787" and s.invite_ttl_hours == 24


def test_dotenv_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("OPS_TABLE=from-dotenv\nMAIL_BACKEND=ses\n")
    monkeypatch.setenv("MAIL_BACKEND", "outbox")
    s = Settings.from_env(dotenv=env_file)
    assert (s.ops_table, s.mail_backend) == ("from-dotenv", "outbox")


def test_every_bad_variable_is_reported() -> None:
    with pytest.raises(Invalid) as err:
        Settings.from_env(
            {
                "OPS_BACKEND": "mongo",
                "PORTFOLIO_TZ": "Mars/Base",
                "HOME_PORT_LAT": "95",
                "JWT_SECRET": "short",
                "DATABASE_URL": "mysql://x",
                "SES_MAX_SEND_RATE": "fast",
            }
        )
    assert len(err.value.problems) == 6


def test_dashboard_url_defaults_to_the_local_dashboard_and_is_checked() -> None:
    assert Settings.from_env({}).dashboard_url == "http://localhost:8501"
    custom = Settings.from_env({"DASHBOARD_URL": "https://exec.example.com/"})
    assert custom.dashboard_url == "https://exec.example.com"  # no "//cfo" in links
    with pytest.raises(Invalid) as err:
        Settings.from_env({"DASHBOARD_URL": "exec.example.com"})
    assert err.value.problems == [
        "DASHBOARD_URL='exec.example.com' must start with http:// or https://"
    ]
