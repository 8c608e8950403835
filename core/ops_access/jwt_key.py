"""The JWT signing key: JWT_SECRET, or Secrets Manager (JWT_SECRET_ARN) cached with a max age,
or in development a key generated into the data folder."""

from __future__ import annotations

from typing import Any

from core.config import Settings
from core.errors import Invalid
from core.local_secrets import read_or_create_secret
from core.secret_value import CachedSecret


class JwtKey:
    """Resolves and caches the key; pass a Secrets Manager client in tests."""

    def __init__(self, settings: Settings, *, client: Any | None = None) -> None:
        self.settings = settings
        arn = settings.jwt_secret_arn
        self._stored = CachedSecret(arn, client=client) if arn else None

    def get(self) -> str:
        """The current key (re-read from Secrets Manager after a few minutes)."""
        s = self.settings
        if s.jwt_secret:
            return s.jwt_secret
        if self._stored is None:
            return read_or_create_secret(s.exec_data_dir / ".jwt_secret", nbytes=48)
        value = self._stored.get()
        if len(value.encode()) < 32:
            raise Invalid("the JWT secret in Secrets Manager is shorter than 32 bytes")
        return value
