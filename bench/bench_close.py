"""`close status --entity all` at ~1M journal lines: warm build time of every entity's checks.

Seeds the demo portfolio at the 1M size of ``bench_cfo`` (or ``--sizes``), then measures, in
the same run: cold (a fresh process: open the ledger, the status of every entity once; imports
excluded) and warm (repeated ``close_status`` calls on one open store; median, p90 and CPU).
The issue's target: warm <= 500 ms at 1M. Results go to ``bench/close_results.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import tempfile
from pathlib import Path

from bench.bench_cfo import SIZES, TODAY, cold_runs, p90, timed

PERIOD = 202610  # a closed month: every check reads a whole month
TARGET_WARM_MS = 500.0
RESULTS = Path(__file__).with_name("close_results.json")
COLD_SCRIPT = """
import sys, time
from core.auth.dashboard_users import OPERATOR
from core.close.status import close_status
from core.ledger.store import LedgerStore
t = time.perf_counter()
close_status(LedgerStore(sys.argv[1]), OPERATOR, "all", int(sys.argv[2]))
print((time.perf_counter() - t) * 1000)
"""


def bench_size(label: str, months: int, scale: int, repeat: int) -> dict[str, object]:
    """Seed one ledger of this size and time ``close status --entity all`` on it."""
    from core.auth.dashboard_users import OPERATOR
    from core.close.status import close_status
    from core.demo import seed_demo
    from core.ledger.store import LedgerStore

    work = Path(tempfile.mkdtemp(prefix=f"bench-close-{label}-"))
    try:
        url = f"sqlite:///{work}/ledger.db"
        store = LedgerStore(url)
        stats = seed_demo(store, months=months, scale=scale, today=TODAY)
        cold = cold_runs(COLD_SCRIPT, url, PERIOD)
        status = close_status(store, OPERATOR, "all", PERIOD)  # warms the caches
        cpu: list[float] = []
        warm = timed(lambda: close_status(store, OPERATOR, "all", PERIOD), repeat, cpu)
        store.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "size": label,
        "lines": stats.lines,
        "entities": len(status["entities"]),
        "checks": len(status["checks"]),
        "cold_median_ms": round(statistics.median(cold), 1),
        "warm_median_ms": round(statistics.median(warm), 1),
        "warm_p90_ms": round(p90(warm), 1),
        "warm_cpu_median_ms": round(statistics.median(cpu), 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the bench; print a table and write ``bench/close_results.json``."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_close")
    parser.add_argument("--sizes", default="1M", help="e.g. 100k,1M (bench_cfo's sizes)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    args = parser.parse_args(argv)
    sizes = {"quick": (3, 1)} if args.quick else {k: SIZES[k] for k in args.sizes.split(",")}
    results = []
    for label, (months, scale) in sizes.items():
        print(f"-- {label}: seeding {months} months at scale {scale} ...", flush=True)
        results.append(bench_size(label, months, scale, 3 if args.quick else args.repeat))
    print(f"{'size':>6} {'lines':>10} {'cold ms':>8} {'warm ms':>8} {'p90':>7} {'cpu ms':>7}")
    for r in results:
        print(
            f"{r['size']:>6} {r['lines']:>10,} {r['cold_median_ms']:>8} "
            f"{r['warm_median_ms']:>8} {r['warm_p90_ms']:>7} {r['warm_cpu_median_ms']:>7}"
        )
        if not args.quick:
            verdict = "met" if r["warm_median_ms"] <= TARGET_WARM_MS else "MISSED"  # type: ignore[operator]
            print(f"target warm <= {TARGET_WARM_MS:.0f} ms at {r['size']}: {verdict}")
    if not args.quick:
        RESULTS.write_text(
            json.dumps(
                {"python": platform.python_version(), "period": PERIOD, "results": results},
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
