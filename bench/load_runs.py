"""The server's own script-run timings of a load run: the BENCH_RUN_LOG lines app.py writes.

Each line (see dashboard/run_log.py) is one Streamlit script run: its start (epoch s), wall and
CPU ms from the top of app.py to the end of the page script, the page, how it ended, a session
hash and the server's RSS. A window is the (start, end) epoch seconds of a part of the bench
(the single sessions, the rounds under load); a run belongs to it when it started inside it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from bench.load_stats import summarize

Window = tuple[float, float]


def _records(text: str, key: str) -> list[dict[str, Any]]:
    """The JSON lines of ``text`` with a ``t`` and ``key``; blank, torn or other lines skipped."""
    found = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and "t" in record and key in record:
            found.append(record)
    return found


def read_runs(text: str) -> list[dict[str, Any]]:
    """The run records of a BENCH_RUN_LOG file's text; blank or torn lines are skipped."""
    return _records(text, "ms")


def read_collections(text: str) -> list[dict[str, Any]]:
    """The full garbage collections of a BENCH_RUN_LOG file's text (lines with ``gc_ms``)."""
    return _records(text, "gc_ms")


def collection_figures(collections: Sequence[dict[str, Any]], wall_s: float) -> dict[str, Any]:
    """Full collections: their ms (median, p95...), the total, and the share of ``wall_s``."""
    total_ms = sum(c["gc_ms"] for c in collections)
    return {
        "gc_ms": summarize([c["gc_ms"] for c in collections], digits=1),
        "total_s": round(total_ms / 1000, 2),
        # the GIL is held throughout: the share of the time no script run could run Python
        "share_of_wall": round(total_ms / 1000 / wall_s, 3) if wall_s > 0 else None,
    }


def runs_within(runs: Iterable[dict[str, Any]], windows: Sequence[Window]) -> list[dict[str, Any]]:
    """The runs that started inside one of ``windows``."""
    return [r for r in runs if any(start <= r["t"] <= end for start, end in windows)]


def run_figures(runs: Sequence[dict[str, Any]], page: str | None = None) -> dict[str, Any]:
    """Wall and CPU ms (count, median, p95, max...) of ``runs``, and of those on ``page``.

    Also how the runs ended, the sessions seen and the highest RSS a run reported.
    """
    on_page = [r for r in runs if r.get("page") == page] if page else []
    rss = [r["rss_mb"] for r in runs if r.get("rss_mb") is not None]
    first: dict[Any, float] = {}  # each session's first run on the page: its click arriving
    for r in on_page:
        key = r.get("session")
        first[key] = min(first.get(key, r["t"]), r["t"])
    starts = list(first.values())
    return {
        "runs_ms": summarize([r["ms"] for r in runs], digits=1),
        "runs_cpu_ms": summarize([r["cpu_ms"] for r in runs if "cpu_ms" in r], digits=1),
        "page": page,
        "page_runs_ms": summarize([r["ms"] for r in on_page], digits=1),
        "page_runs_cpu_ms": summarize([r["cpu_ms"] for r in on_page if "cpu_ms" in r], digits=1),
        # first to last session's first run on the page: how close together the clicks reached the
        # server (a slow client spreads them out, and runs that do not overlap do not queue)
        "page_runs_start_spread_s": round(max(starts) - min(starts), 2) if starts else None,
        "ended": dict(Counter(r.get("ended", "?") for r in runs)),
        "by_page": dict(Counter(str(r.get("page")) for r in runs)),
        "sessions": len({r.get("session") for r in runs}),
        "max_rss_mb": max(rss) if rss else None,
    }


def per_session_mb(started_mb: float, peak_mb: float, sessions: int) -> float | None:
    """(peak - start) / sessions: the server memory one concurrent session costs, in MB."""
    if sessions <= 0:
        return None
    return round((peak_mb - started_mb) / sessions, 1)
