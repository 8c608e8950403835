"""Helpers for the AWS source tests against the session's moto server."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config

from devtools.dynamodb_local import free_port

ACCOUNT = "123456789012"  # moto's default account


def moto_post(endpoint: str, path: str, body: bytes, content_type: str) -> None:
    """POST to moto's own API (/moto-api/...)."""
    request = urllib.request.Request(
        f"{endpoint}{path}", data=body, headers={"Content-Type": content_type}, method="POST"
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.status in (200, 201)


def reset(endpoint: str) -> None:
    """Forget every resource and queued result of the moto server."""
    moto_post(endpoint, "/moto-api/reset", b"", "text/plain")


def queue_cost_results(endpoint: str, *results: dict[str, Any]) -> None:
    """Queue GetCostAndUsage answers: each new request body takes the next one."""
    body = json.dumps({"results": list(results)}).encode()
    moto_post(endpoint, "/moto-api/static/ce/cost-and-usage-results", body, "application/json")


def cost_requests() -> list[dict[str, Any]]:
    """The GetCostAndUsage requests moto answered (the server runs in this process)."""
    from moto.ce.models import ce_backends

    return [json.loads(body) for body in ce_backends[ACCOUNT]["global"].cost_usage_results]


def client(service: str, endpoint: str, **keys: str) -> Any:
    """A boto3 client for moto that gives up at once (error-path tests stay fast)."""
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=keys.get("key", "test"),
        aws_secret_access_key=keys.get("secret", "test"),
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2),
    )


def dead_endpoint() -> str:
    """A loopback URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


@contextmanager
def access_denied_keys(endpoint: str) -> Iterator[dict[str, str]]:
    """Keys of an IAM user with no policy, with moto enforcing IAM while the block runs."""
    iam = client("iam", endpoint)
    iam.create_user(UserName="no-rights")
    key = iam.create_access_key(UserName="no-rights")["AccessKey"]
    moto_post(endpoint, "/moto-api/reset-auth", b"0", "text/plain")
    try:
        yield {"key": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
    finally:  # the server is shared by the whole session: never leave IAM enforced
        moto_post(endpoint, "/moto-api/reset-auth", b"inf", "text/plain")
