"""Memory and CPU of a process tree, and of the machine, read from /proc (Linux)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its live descendants."""
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of ``pid`` and its descendants, in MB."""
    return round(sum(_status_kb(p, "VmRSS") for p in process_tree(pid)) / 1024, 1)


def hwm_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the process itself, in MB."""
    return round(_status_kb(pid, "VmHWM") / 1024, 1)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its live descendants."""
    total = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def nice_of(pid: int) -> int | None:
    """The nice value of ``pid`` (of its main thread), None once it has ended."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
    except (OSError, IndexError, ValueError):
        return None


def autogroup_of(pid: int) -> tuple[str, int] | None:
    """``pid``'s scheduler autogroup (one per session, see sched(7)) and that group's nice."""
    try:
        name, _, nice = Path(f"/proc/{pid}/autogroup").read_text().split()
        return name, int(nice)
    except (OSError, ValueError):
        return None


def nice_other_autogroups(pids: list[int], keep: int, nice: int) -> list[str]:
    """Set to ``nice`` the autogroup of every process in ``pids`` not in ``keep``'s group.

    With autogroups on, the kernel first shares the CPUs between sessions' groups, then by nice
    inside a group: a process nice inherited does not yield to another session's process.
    Chromium starts itself in a new session (Playwright launches it detached), so its group's
    own nice is what lowers it. Returns the groups changed.
    """
    own = autogroup_of(keep)
    changed: list[str] = []
    for pid in pids:
        group = autogroup_of(pid)
        if group is None or own is None or group[0] == own[0] or group[0] in changed:
            continue
        try:
            Path(f"/proc/{pid}/autogroup").write_text(str(nice))
        except OSError:
            continue
        changed.append(group[0])
    return changed


def run_queue_wait_seconds(pid: int) -> float:
    """Seconds the threads of ``pid`` have spent runnable but waiting for a CPU (schedstat)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0
    for tid in tasks:
        try:
            total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def run_niced(nice: int, work: Callable[[], T]) -> T:
    """``work()`` on a new thread whose nice value is set to ``nice``; its result.

    On Linux a nice value belongs to a thread, and the processes and threads it starts inherit
    it: a Playwright driver and the Chromium it launches from that thread all run niced, while
    the rest of this process (and a server started before) keep their priority.
    """
    result: list[T] = []
    error: list[BaseException] = []

    def niced() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
            result.append(work())
        except BaseException as exc:  # re-raised on the caller's thread
            error.append(exc)

    thread = threading.Thread(target=niced, name="niced-clients")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all CPUs, from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / CLK_TCK


class MemorySampler(threading.Thread):
    """Samples a process tree's RSS every ``every`` seconds; keeps the maximum."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self._halt.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._halt.wait(self.every)

    def finish(self) -> float:
        """Stop sampling; the peak RSS in MB."""
        self._halt.set()
        self.join()
        return self.peak
