"""The close bench on a tiny ledger: it seeds, times `close status --entity all` and reports."""

from __future__ import annotations

from bench.bench_close import bench_size


def test_a_quick_run_times_every_entity_s_checks() -> None:
    result = bench_size("quick", 3, 1, 2)
    assert result["entities"] == 6 and result["checks"] == 6 * 7
    assert result["lines"] > 500  # type: ignore[operator]
    assert 0 < result["warm_cpu_median_ms"] <= result["warm_p90_ms"] * 2 + 50  # type: ignore[operator]
