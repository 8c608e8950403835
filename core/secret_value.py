"""A secret read from AWS Secrets Manager by ARN, cached for a few minutes (rotation-friendly)."""

from __future__ import annotations

import threading
import time
from typing import Any

from core.errors import Unavailable

MAX_AGE_SECONDS = 300.0


class CachedSecret:
    """``get()`` returns the secret's string, re-read after ``max_age`` seconds."""

    def __init__(self, arn: str, *, client: Any | None = None, max_age: float = MAX_AGE_SECONDS):
        self.arn = arn
        self._client = client
        self._max_age = max_age
        self._value: str | None = None
        self._fetched = 0.0
        self._lock = threading.Lock()

    def get(self) -> str:
        """The current value (Unavailable if Secrets Manager cannot be read)."""
        with self._lock:
            if self._value is None or time.monotonic() - self._fetched > self._max_age:
                if self._client is None:
                    import boto3

                    self._client = boto3.client("secretsmanager")
                try:
                    self._value = self._client.get_secret_value(SecretId=self.arn)[
                        "SecretString"
                    ].strip()
                except Exception as exc:  # botocore errors become ours
                    raise Unavailable(f"cannot read the secret {self.arn}") from exc
                self._fetched = time.monotonic()
            return self._value
