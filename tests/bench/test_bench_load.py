"""The load bench's pure helpers (the load itself runs in `make bench`, not in CI)."""

from __future__ import annotations

import os

import pytest

from bench.load_api import _pick, parse_code, server_exceptions
from bench.load_stats import percentile, ratio, summarize
from bench.proc_sampler import cpu_seconds, rss_mb


def test_percentile_is_nearest_rank() -> None:
    xs = list(range(1, 21))  # 1..20
    assert percentile(xs, 0.5) == 10
    assert percentile(xs, 0.95) == 19
    assert percentile(xs, 0.99) == 20
    assert percentile(list(reversed(xs)), 0.95) == 19
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) is None


def test_summarize_known_numbers() -> None:
    s = summarize([1.0, 2.0, 3.0, 4.0, 100.0])
    assert s == {"n": 5, "min": 1.0, "median": 3.0, "p95": 100.0, "p99": 100.0, "max": 100.0}
    assert summarize([])["median"] is None


def test_ratio_and_code() -> None:
    assert ratio(6.0, 2.0) == 3.0
    assert ratio(None, 2.0) is None and ratio(1.0, 0) is None
    assert parse_code("http://localhost:8787/#/claim?code=ABCD2345") == "ABCD2345"
    with pytest.raises(ValueError):
        parse_code("http://localhost:8787/")


def test_server_exceptions_counts_traceback_ends() -> None:
    log = "Traceback\nTypeError: f() missing 1\nok\nTypeError: f() missing 1\nKeyError: 'user'\n"
    assert server_exceptions(log) == {"TypeError: f() missing 1": 2, "KeyError: 'user'": 1}


def test_mix_and_proc_readers() -> None:
    import random

    rng = random.Random(1)
    assert {_pick(rng) for _ in range(500)} == {"list", "get", "me", "claim", "release"}
    assert rss_mb(os.getpid()) > 10
    assert cpu_seconds(os.getpid()) > 0


def test_clients_started_by_run_niced_inherit_the_nice_value() -> None:
    import subprocess
    import sys

    from bench.client_priority import client_priorities
    from bench.proc_sampler import nice_of, run_niced

    mine = nice_of(os.getpid())
    assert mine is not None and mine < 15
    sleep = [sys.executable, "-c", "import time; time.sleep(30)"]
    server = subprocess.Popen(sleep)  # started before: keeps this process's priority
    try:

        def start_client() -> subprocess.Popen[bytes]:
            return subprocess.Popen(sleep)

        client = run_niced(15, start_client)
        try:
            assert nice_of(client.pid) == 15
            assert nice_of(server.pid) == mine
            assert nice_of(os.getpid()) == mine  # only the worker thread was niced
            seen = client_priorities(server.pid)
            assert seen["server"] == mine
            assert seen["clients"].get("15", 0) >= 1
        finally:
            client.kill()
            client.wait()
    finally:
        server.kill()
        server.wait()


def test_run_niced_returns_the_result_and_raises_the_error() -> None:
    from bench.proc_sampler import run_niced

    assert run_niced(5, lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        run_niced(5, lambda: 1 / 0)


def test_run_queue_wait_is_read_for_a_live_process() -> None:
    from bench.proc_sampler import run_queue_wait_seconds

    assert run_queue_wait_seconds(os.getpid()) >= 0.0
    assert run_queue_wait_seconds(2**22 + 7) == 0.0  # no such process


def test_a_client_in_its_own_session_gets_its_autogroup_niced() -> None:
    import subprocess
    import sys

    from bench.proc_sampler import autogroup_of, nice_other_autogroups

    if autogroup_of(os.getpid()) is None:
        pytest.skip("no scheduler autogroups on this kernel")
    sleep = [sys.executable, "-c", "import time; time.sleep(30)"]
    detached = subprocess.Popen(sleep, start_new_session=True)  # as Playwright starts Chromium
    attached = subprocess.Popen(sleep)
    try:
        own = autogroup_of(os.getpid())
        changed = nice_other_autogroups([detached.pid, attached.pid], keep=os.getpid(), nice=7)
        assert changed == [autogroup_of(detached.pid)[0]]  # type: ignore[index]
        assert autogroup_of(detached.pid)[1] == 7  # type: ignore[index]
        assert autogroup_of(attached.pid) == own == autogroup_of(os.getpid())
    finally:
        for proc in (detached, attached):
            proc.kill()
            proc.wait()


def test_the_clients_step_back_once_every_click_is_out() -> None:
    from bench.load_dashboard import Clicks

    calls: list[int] = []
    clicks = Clicks(3, lambda: calls.append(clicks.out))
    clicks.done()
    clicks.done()
    assert calls == []
    clicks.done()  # the last one (a session that failed to sign in counts too)
    assert calls == [3]
