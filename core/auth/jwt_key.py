"""The JWT signing key: JWT_SECRET, or Secrets Manager (JWT_SECRET_ARN) cached with a max age,
or in development a key generated into the data folder."""

from __future__ import annotations

import threading
import time
from typing import Any

from core.auth.local_secrets import read_or_create_secret
from core.config import Settings
from core.errors import Invalid, Unavailable

MAX_AGE_SECONDS = 300.0


class JwtKey:
    """Resolves and caches the key; pass a Secrets Manager client in tests."""

    def __init__(self, settings: Settings, *, client: Any | None = None) -> None:
        self.settings = settings
        self._client = client
        self._value: str | None = None
        self._fetched = 0.0
        self._lock = threading.Lock()

    def get(self) -> str:
        """The current key (re-read from Secrets Manager after MAX_AGE_SECONDS)."""
        s = self.settings
        if s.jwt_secret:
            return s.jwt_secret
        if not s.jwt_secret_arn:
            return read_or_create_secret(s.exec_data_dir / ".jwt_secret", nbytes=48)
        with self._lock:
            if self._value is None or time.monotonic() - self._fetched > MAX_AGE_SECONDS:
                self._value = self._fetch(s.jwt_secret_arn)
                self._fetched = time.monotonic()
            return self._value

    def _fetch(self, arn: str) -> str:
        if self._client is None:
            import boto3

            self._client = boto3.client("secretsmanager")
        try:
            value = self._client.get_secret_value(SecretId=arn)["SecretString"]
        except Exception as exc:  # botocore errors: the adapter turns them into ours
            raise Unavailable(f"cannot read the JWT secret {arn}: {exc}") from exc
        if len(value.encode()) < 32:
            raise Invalid("the JWT secret in Secrets Manager is shorter than 32 bytes")
        return value
