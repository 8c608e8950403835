"""The report bench's timer: wall time of each call, and its CPU time when asked."""

from __future__ import annotations

import time

from bench.bench_cfo import timed


def test_timed_gives_wall_and_cpu_time_of_each_call() -> None:
    cpu: list[float] = []

    def busy() -> None:
        t = time.process_time()
        while time.process_time() - t < 0.005:
            pass

    wall = timed(busy, 3, cpu)
    assert len(wall) == len(cpu) == 3
    assert all(c >= 4.5 for c in cpu) and all(w >= c * 0.5 for w, c in zip(wall, cpu, strict=True))
    assert all(w >= 9.0 for w in timed(lambda: time.sleep(0.01), 2))  # sleep: wall time only
