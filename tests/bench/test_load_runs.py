"""The server's script-run figures of a load run, from the lines app.py writes."""

from __future__ import annotations

import json

from bench.load_runs import (
    collection_figures,
    per_session_mb,
    read_collections,
    read_runs,
    run_figures,
    runs_within,
)


def _line(t: float, ms: float, page: str = "cfo", **more: object) -> str:
    record = {"t": t, "ms": ms, "cpu_ms": ms / 2, "ended": "done", "page": page}
    record |= {"session": f"s{t}", "rss_mb": 200.0 + t, **more}
    return json.dumps(record)


def test_read_runs_skips_blank_torn_and_foreign_lines() -> None:
    text = "\n".join([_line(1, 10), "", '{"t": 2, "ms"', '{"other": 1}', "[1]", _line(3, 30)])
    assert [r["t"] for r in read_runs(text)] == [1, 3]


def test_runs_within_keeps_runs_started_inside_a_window() -> None:
    runs = read_runs("\n".join(_line(t, 10) for t in (1, 5, 10, 15, 21)))
    assert [r["t"] for r in runs_within(runs, [(5, 10), (20, 30)])] == [5, 10, 21]
    assert runs_within(runs, []) == []


def test_run_figures_percentiles_in_ms_and_the_page_apart() -> None:
    lines = [_line(t, 100.0 * t) for t in range(1, 20)]  # 19 /cfo runs: 100 .. 1900 ms
    lines.append(_line(20, 5000.0, page="home", ended="RerunException", rss_mb=None))
    figures = run_figures(read_runs("\n".join(lines)), "cfo")
    assert figures["runs_ms"] == {
        "n": 20, "min": 100.0, "median": 1050.0, "p95": 1900.0, "p99": 5000.0, "max": 5000.0
    }  # fmt: skip
    assert figures["page_runs_ms"]["n"] == 19 and figures["page_runs_ms"]["max"] == 1900.0
    assert figures["page_runs_ms"]["p95"] == 1900.0  # nearest rank: the 19th of 19
    assert figures["runs_cpu_ms"]["max"] == 2500.0
    assert figures["ended"] == {"done": 19, "RerunException": 1}
    assert figures["by_page"] == {"cfo": 19, "home": 1}
    assert figures["sessions"] == 20
    assert figures["max_rss_mb"] == 219.0
    assert figures["page_runs_start_spread_s"] == 18  # /cfo runs started at t = 1 .. 19


def test_run_figures_of_no_runs() -> None:
    figures = run_figures([], "cfo")
    assert figures["runs_ms"]["n"] == 0 and figures["runs_ms"]["p95"] is None
    assert figures["max_rss_mb"] is None
    assert figures["page_runs_start_spread_s"] is None


def test_per_session_mb() -> None:
    assert per_session_mb(70.0, 270.0, 20) == 10.0
    assert per_session_mb(70.0, 270.0, 0) is None


def test_full_collections_are_read_apart_from_runs_and_summed() -> None:
    text = "\n".join(
        [_line(1, 10), '{"t": 2, "gc_ms": 300.0, "collected": 5}', '{"t": 3, "gc_ms": 100.0}']
    )
    assert [r["t"] for r in read_runs(text)] == [1]
    collections = read_collections(text)
    assert [c["gc_ms"] for c in collections] == [300.0, 100.0]
    figures = collection_figures(collections, wall_s=2.0)
    assert figures["gc_ms"]["n"] == 2 and figures["gc_ms"]["max"] == 300.0
    assert figures["total_s"] == 0.4 and figures["share_of_wall"] == 0.2
    assert collection_figures([], 0)["share_of_wall"] is None


def test_the_start_spread_counts_each_sessions_first_run_on_the_page() -> None:
    lines = [_line(t, 10, session="a") for t in (1, 2, 30)]  # a later rerun of session a
    lines += [_line(t, 10, session="b") for t in (3, 40)]
    assert run_figures(read_runs("\n".join(lines)), "cfo")["page_runs_start_spread_s"] == 2
