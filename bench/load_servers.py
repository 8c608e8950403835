"""The servers a load run drives: `python -m core` commands and a server process per run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.load_session import OWNER, PASSWORD
from dashboard.run_log import ENV as RUN_LOG_ENV
from devtools.dynamodb_local import free_port, stop, wait_for_http

ROOT = Path(__file__).resolve().parents[1]


def cli(
    data_dir: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> str:
    """Run ``python -m core ...`` against ``data_dir``; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "EXEC_DATA_DIR": str(data_dir)},
        input=stdin,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"python -m core {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def wait_http(url: str, proc: subprocess.Popen[Any], log: Path, seconds: float = 60) -> None:
    """Poll ``url`` until it answers 200, or fail with the server's log."""
    if not wait_for_http(url, timeout=seconds, starting=lambda: proc.poll() is None):
        raise RuntimeError(f"{url} never came up:\n{log.read_text()[-3000:]}")


@contextmanager
def server_process(cmd: list[str], env: dict[str, str], log: Path, health: str) -> Iterator[int]:
    """Start ``cmd`` (output to ``log``), wait for ``health``; yields the pid; stops it after."""
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_http(health, proc, log)
            yield proc.pid
        finally:
            stop(proc)


@contextmanager
def demo_dashboard(data_dir: Path, log: Path, run_log: Path) -> Iterator[tuple[int, str]]:
    """The demo ledger in ``data_dir``, its owner, `streamlit run app.py` on loopback.

    The server logs each script run to ``run_log`` (BENCH_RUN_LOG); yields its pid and URL.
    """
    t = time.perf_counter()
    cli(data_dir, "seed-demo")
    cli(data_dir, "dashboard-user", "add", OWNER, "--role", "owner", "--password-stdin",
        stdin=PASSWORD + "\n")  # fmt: skip
    print(f"   seeded the demo ledger in {time.perf_counter() - t:.1f} s", flush=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    env = {**os.environ, "EXEC_DATA_DIR": str(data_dir), RUN_LOG_ENV: str(run_log)}
    with server_process(cmd, env, log, f"{url}/_stcore/health") as pid:
        yield pid, url
