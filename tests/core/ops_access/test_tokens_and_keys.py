"""JWT issue/verify, and where the key comes from (env, dev file, Secrets Manager)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import Invalid, Unauthorized
from core.ops_access.codes import ALPHABET, code_hash, new_code
from core.ops_access.jwt_key import JwtKey
from core.ops_access.tokens import BAD_TOKEN, issue, verify
from tests.conftest import aws

KEY = "k" * 40
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_tokens_round_trip_and_expire() -> None:
    token, expires = issue(
        user_id="u1", role="crew", version=3, secret=KEY, now=NOW, ttl=timedelta(hours=12)
    )
    claims = verify(token, secret=KEY, now=NOW + timedelta(hours=11))
    assert (claims.user_id, claims.role, claims.version) == ("u1", "crew", 3)
    assert expires == NOW + timedelta(hours=12)
    with pytest.raises(Unauthorized):
        verify(token, secret="x" * 40, now=NOW)


def test_codes_avoid_ambiguous_characters_and_hash_normalized() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) >= 8 and set(c) <= set(ALPHABET) for c in codes)
    assert not set(ALPHABET) & set("0O1I")
    assert code_hash("abcd-2345") == code_hash("ABCD2345") != code_hash("ABCD2346")


def test_key_from_env_or_a_generated_dev_file(tmp_path: Path) -> None:
    assert JwtKey(Settings.from_env({"JWT_SECRET": KEY})).get() == KEY
    dev = JwtKey(Settings.from_env({"EXEC_DATA_DIR": str(tmp_path)}))
    first = dev.get()
    assert len(first) >= 32 and dev.get() == first
    assert (tmp_path / ".jwt_secret").stat().st_mode & 0o777 == 0o600


def test_key_from_secrets_manager_is_cached(moto_endpoint: str) -> None:
    client = aws("secretsmanager", moto_endpoint)
    arn = client.create_secret(Name=f"jwt-{NOW.timestamp()}", SecretString="s" * 48)["ARN"]
    calls = []

    class Counting:
        def get_secret_value(self, **kw: str) -> dict[str, str]:
            calls.append(kw)
            return client.get_secret_value(**kw)

    key = JwtKey(Settings.from_env({"JWT_SECRET_ARN": arn}), client=Counting())
    assert key.get() == "s" * 48 and key.get() == "s" * 48
    assert len(calls) == 1
    short = client.create_secret(Name=f"short-{NOW.timestamp()}", SecretString="tiny")["ARN"]
    with pytest.raises(Invalid):
        JwtKey(Settings.from_env({"JWT_SECRET_ARN": short}), client=client).get()


def test_expiry_follows_the_given_clock_not_the_machines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A token is judged at ``now``: valid before its exp, refused at and after it."""
    caplog.set_level(logging.INFO, logger="core.ops_access.tokens")
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    token, _ = issue(
        user_id="u1", role="crew", version=0, secret=KEY, now=long_ago, ttl=timedelta(hours=1)
    )
    assert verify(token, secret=KEY, now=long_ago + timedelta(minutes=59)).user_id == "u1"
    for later in (timedelta(hours=1), timedelta(days=3)):
        with pytest.raises(Unauthorized) as refused:
            verify(token, secret=KEY, now=long_ago + later)
        assert refused.value.message == BAD_TOKEN  # the client learns nothing more
        assert caplog.records[-1].getMessage().endswith("expired")  # the log does
    with pytest.raises(Unauthorized) as refused:
        verify(token, secret=KEY, now=long_ago - timedelta(hours=1))
    assert refused.value.message == BAD_TOKEN
    assert caplog.records[-1].getMessage().endswith("issued in the future")
