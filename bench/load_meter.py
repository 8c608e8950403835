"""What the machine did while a load ran: server CPU, client CPU, the rest, server memory."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.proc_sampler import (
    MemorySampler,
    cpu_seconds,
    machine_busy_seconds,
    rss_mb,
    run_queue_wait_seconds,
)


@dataclass
class LoadMeter:
    """Started before the timed rounds, finished after: who used the CPUs, the server's RSS.

    The clients are this process and its children outside the server (Chromium, Playwright's
    driver), or only this process for the protocol clients.
    """

    server_pid: int
    client_label: str
    memory: dict[str, Any] = field(default_factory=dict)
    _start: dict[str, float] = field(default_factory=dict)
    _sampler: MemorySampler | None = None

    def start(self) -> None:
        """Read the counters and start sampling the server's RSS."""
        pid = self.server_pid
        self.memory = {"before_mb": rss_mb(pid), "after_round_mb": []}
        server = cpu_seconds(pid)
        self._start = {
            "server": server,
            "client": cpu_seconds(os.getpid()) - server,
            "busy": machine_busy_seconds(),
            "wall": time.perf_counter(),
            "waited": run_queue_wait_seconds(pid),
        }
        self._sampler = MemorySampler(pid)
        self._sampler.start()

    def round_done(self) -> float:
        """The server's RSS after a round (recorded); returned."""
        mb = rss_mb(self.server_pid)
        self.memory["after_round_mb"].append(mb)
        return mb

    def finish(self, nice: Any = None) -> dict[str, Any]:
        """Stop sampling; the CPU shares (cores busy on average) over the timed part."""
        assert self._sampler is not None, "start() first"
        self.memory["peak_during_mb"] = self._sampler.finish()
        pid, s = self.server_pid, self._start
        wall = time.perf_counter() - s["wall"]
        server = cpu_seconds(pid) - s["server"]
        client = cpu_seconds(os.getpid()) - cpu_seconds(pid) - s["client"]
        busy = machine_busy_seconds() - s["busy"]
        waited = run_queue_wait_seconds(pid) - s["waited"]
        self.memory["server_cpu_s_during_load"] = round(server, 1)
        return {
            "streamlit server": round(server / wall, 2),
            self.client_label: round(client / wall, 2),
            "rest of the machine": round(max(0.0, busy - server - client) / wall, 2),
            "cpus": os.cpu_count(),
            # runnable server threads waiting for a CPU, summed over threads, per second
            "server waiting for a CPU": round(waited / wall, 2),
            "nice": nice,
        }


async def timed_rounds(
    meter: LoadMeter, rounds: int, one_round: Callable[[], Awaitable[list[Any]]]
) -> tuple[list[list[Any]], list[float]]:
    """Run ``rounds`` rounds under ``meter``; each round's sessions and wall seconds."""
    loads: list[list[Any]] = []
    walls: list[float] = []
    for n in range(rounds):
        t = time.perf_counter()
        loads.append(await one_round())
        walls.append(round(time.perf_counter() - t, 2))
        await asyncio.sleep(2)
        mb = meter.round_done()
        ok = sum(s.ok for s in loads[-1])
        print(
            f"   round {n + 1}/{rounds}: {ok}/{len(loads[-1])} ok in {walls[-1]} s, "
            f"server RSS {mb} MB",
            flush=True,
        )
    return loads, walls
