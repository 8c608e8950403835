"""What the AWS adapters share: a lazily built boto3 client and AWS errors as core errors.

Missing credentials or region are configuration the user must fix (``Invalid``, exit 2);
anything AWS or the network refuses is a service failure (``Unavailable``, exit 1).
"""

from __future__ import annotations

import os
from typing import Any

from core.errors import DomainError, Invalid, Unavailable


def client(service: str, *, default_region: str | None = None) -> Any:
    """A boto3 client from the standard environment (AWS_REGION honoured, as CONTRACT says)."""
    import boto3  # lazily: only syncs pay for the import
    from botocore.config import Config

    session = boto3.session.Session()
    region = os.environ.get("AWS_REGION") or session.region_name or default_region
    if region is None:
        raise Invalid(f"no AWS region for {service}: set AWS_REGION (e.g. us-east-1)")
    config = Config(connect_timeout=10, read_timeout=60, retries={"mode": "standard"})
    return session.client(service, region_name=region, config=config)


def as_domain_error(exc: Exception, what: str) -> DomainError:
    """The core error for a boto3/botocore failure of ``what`` (e.g. "Cost Explorer")."""
    from botocore.exceptions import (
        ClientError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
    )

    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return Invalid(f"{what}: no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID)")
    if isinstance(exc, NoRegionError):
        return Invalid(f"{what}: no AWS region: set AWS_REGION (e.g. us-east-1)")
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = err.get("Code", "error")
        message = err.get("Message") or str(exc)
        return Unavailable(f"{what} refused the request ({code}): {message}")
    return Unavailable(f"{what} could not be reached: {exc}")


def aws_errors() -> tuple[type[Exception], ...]:
    """The exception types ``as_domain_error`` translates."""
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)
