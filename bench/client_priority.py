"""The load bench's clients yield the CPUs to the server while the timed part runs.

Playwright starts Chromium in a scheduler autogroup of its own, and Chromium resets its
renderers' nice values, so the whole client autogroup is lowered, only while timed.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.proc_sampler import autogroup_of, nice_of, nice_other_autogroups, process_tree


@dataclass
class ClientPriority:
    """The clients' priority: lowered for the timed part of a round (every session opening
    /cfo), back to normal for the sign-ins, which are not measured and would otherwise crawl
    on a busy machine."""

    server_pid: int
    nice: int
    seen: dict[str, Any] = field(default_factory=dict)  # the priorities while timed

    def timed(self) -> None:
        """Lower Chromium's autogroup (it runs in a session of its own) to ``nice``."""
        nice_other_autogroups(_clients(self.server_pid), keep=self.server_pid, nice=self.nice)
        self.seen = client_priorities(self.server_pid)

    def untimed(self) -> None:
        """Chromium's autogroup back to nice 0."""
        nice_other_autogroups(_clients(self.server_pid), keep=self.server_pid, nice=0)


def _clients(server_pid: int) -> list[int]:
    """This process's descendants outside the server: Playwright's driver and Chromium."""
    server = set(process_tree(server_pid))
    return [p for p in process_tree(os.getpid())[1:] if p not in server]


def client_priorities(server_pid: int) -> dict[str, Any]:
    """Nice values and autogroups (with their nice) of the server and of the clients."""

    def group(pid: int) -> str:
        found = autogroup_of(pid)
        return f"{found[0]} nice {found[1]}" if found else "none"

    clients = _clients(server_pid)
    return {
        "server": nice_of(server_pid),
        "clients": dict(Counter(str(nice_of(p)) for p in clients)),
        "server autogroup": group(server_pid),
        "client autogroups": dict(Counter(group(p) for p in clients)),
    }
