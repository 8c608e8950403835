"""Server-side timing of each script run, for the load bench (off unless BENCH_RUN_LOG is set).

With ``BENCH_RUN_LOG=path`` in the server's environment, app.py appends one JSON line per
script run to ``path``: when it started (epoch s), the page's URL path, the wall and CPU
milliseconds from the top of app.py to the end of the page script, how the run ended
("done", or the exception that ended it: StopException for st.stop, RerunException for
st.rerun and st.switch_page), a hash of the session id and the server's RSS. Without the
variable the wrapper is ``nullcontext()``: no clock read, no file.

Streamlit's own work around a run is not inside it (``runner.postScriptGC`` runs a full garbage
collection after every run, holding the GIL): with the variable set, each full collection is
logged too, as a line with ``gc_ms`` (its wall milliseconds) and the objects it freed. With
``BENCH_RUN_PROFILE=folder`` as well, each run is profiled (cProfile, the run's own thread) into
``folder/<start>-<page>-<ended>.prof`` (read them with ``pstats``).
"""

from __future__ import annotations

import cProfile
import gc
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from streamlit.runtime.scriptrunner import get_script_run_ctx

ENV = "BENCH_RUN_LOG"
PROFILE_ENV = "BENCH_RUN_PROFILE"  # a folder: each run's cProfile stats, one .prof file a run
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
# script runs of different sessions run on their own threads; reentrant: a collection (and its
# callback, which writes too) can start in a thread that is writing a line
_write = threading.RLock()
_gc_watched: set[Path] = set()


def script_run() -> AbstractContextManager[None]:
    """Wrap one script run: logs its timing when BENCH_RUN_LOG names a file, else does nothing."""
    path = os.environ.get(ENV)
    if not path:
        return nullcontext()
    watch_full_collections(Path(path))
    return _timed(Path(path))


def watch_full_collections(path: Path) -> None:
    """Log every full (generation 2) garbage collection of this process to ``path``, once."""
    with _write:
        if path in _gc_watched:
            return
        _gc_watched.add(path)
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2 or os.environ.get(ENV) != str(path):
            return
        if phase == "start":
            started[:] = [time.time(), time.perf_counter()]
            return
        if not started:
            return
        record = {
            "t": round(started[0], 3),
            "gc_ms": round((time.perf_counter() - started[1]) * 1000, 2),
            "collected": info.get("collected", 0),
        }
        _append(path, record)

    gc.callbacks.append(on_gc)


def _append(path: Path, record: dict[str, Any]) -> None:
    with _write, path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


@contextmanager
def _timed(path: Path) -> Iterator[None]:
    profile_dir = os.environ.get(PROFILE_ENV)
    profiler = cProfile.Profile() if profile_dir else None
    started, wall, cpu = time.perf_counter(), time.time(), time.thread_time()
    ended = "done"
    try:
        if profiler is not None:
            profiler.enable()  # this thread only: the run's own calls
        yield
    except BaseException as exc:  # st.stop / st.rerun end a run by raising: record, re-raise
        ended = type(exc).__name__
        raise
    finally:
        record = {
            "t": round(wall, 3),
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "cpu_ms": round((time.thread_time() - cpu) * 1000, 2),
            "ended": ended,
            **_page_and_session(),
            "rss_mb": _rss_mb(),
        }
        _append(path, record)
        if profiler is not None and profile_dir:
            profiler.disable()
            name = f"{record['t']:.3f}-{record['page'] or 'none'}-{ended}.prof"
            profiler.dump_stats(Path(profile_dir) / name)


def _page_and_session() -> dict[str, Any]:
    """The URL path of the page this run ran and a short hash of its session id."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return {"page": None, "session": None}
    info = ctx.pages_manager.get_pages().get(ctx.page_script_hash, {})
    session = hashlib.sha256(ctx.session_id.encode()).hexdigest()[:12]
    return {"page": info.get("url_pathname"), "session": session}


def _rss_mb() -> float | None:
    """This process's resident memory in MB (Linux /proc; None elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return round(pages * _PAGE_BYTES / 2**20, 1)
