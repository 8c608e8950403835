"""Forecast build time at 100k and 1M journal lines, against a DuckDB baseline of the same run.

- seed: ``seed_demo`` at the sizes of ``bench_cfo`` (36 months; scale 7 and 73);
- warm: repeated ``build_forecast`` (13 weeks, consolidated ``all`` and one entity) and the
  ``forecast`` report on one open store (median, p90; CPU medians beside);
- baseline, same run: what the forecast reads, computed from the raw rows by DuckDB (tables
  loaded once, untimed): opening cash (every cash line up to ``as_of``) and the 13 weeks of
  cash moved by counter-account. The forecast reads the monthly rollup for the opening and the
  13 weeks of lines from their indexes; the ratio shows what that buys.
Target: warm <= 200 ms at 1M lines.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.bench_cfo import SIZES, TODAY, p90, timed

TZ = ZoneInfo("America/Los_Angeles")
TARGET_WARM_MS = 200.0
CASH = "(a.path LIKE 'Assets:Bank%' OR a.path LIKE 'Assets:Cash%')"
BASELINE = f"""
WITH lines AS (
  SELECT l.entry_id, l.amount_cents, a.entity_id, a.path, CAST(e.date AS DATE) AS date,
    {CASH} AS cash
  FROM journal_lines l JOIN accounts a ON a.id = l.account_id
  JOIN journal_entries e ON e.id = l.entry_id
  WHERE NOT l.intercompany
)
SELECT 'opening' AS what, '' AS path, SUM(amount_cents) FROM lines WHERE cash AND date <= $as_of
UNION ALL
SELECT 'moved', entity_id || ' ' || path, -SUM(amount_cents) FROM lines
WHERE NOT cash AND date BETWEEN $first AND $as_of
  AND entry_id IN (SELECT entry_id FROM lines WHERE cash AND date BETWEEN $first AND $as_of)
GROUP BY 1, 2
"""


def bench_size(label: str, months: int, scale: int, repeat: int) -> dict[str, object]:
    """Seed one ledger of this size and time the forecast and the baseline on it."""
    import duckdb
    import pandas as pd
    from sqlalchemy import text

    from core.auth.dashboard_users import OPERATOR
    from core.demo import seed_demo
    from core.forecast.build import build_forecast
    from core.ledger.store import LedgerStore
    from core.reports.registry import build_report
    from core.reports.request import ReportRequest

    work = Path(tempfile.mkdtemp(prefix=f"bench-forecast-{label}-"))
    try:
        store = LedgerStore(f"sqlite:///{work}/ledger.db")
        t = time.perf_counter()
        stats = seed_demo(store, months=months, scale=scale, today=TODAY)
        seed_s = time.perf_counter() - t
        ids = [e.id for e in store.list_entities()]
        entity = "QueenofSanDiego" if "QueenofSanDiego" in ids else ids[0]  # the most lines
        cpu: dict[str, list[float]] = {"all": [], "entity": [], "report": []}
        warm = {
            "all": timed(lambda: build_forecast(store, OPERATOR, "all", TODAY), repeat, cpu["all"]),
            "entity": timed(
                lambda: build_forecast(store, OPERATOR, entity, TODAY), repeat, cpu["entity"]
            ),
        }
        request = ReportRequest(
            reader=OPERATOR, report="forecast", entity="all", period=202611, as_of=TODAY
        )
        warm["report"] = timed(lambda: build_report(store, request, tz=TZ), repeat, cpu["report"])

        db = duckdb.connect()
        with store.engine.connect() as conn:
            for table in ("journal_lines", "journal_entries", "accounts"):
                frame = pd.read_sql(text(f"SELECT * FROM {table}"), conn)
                db.register(f"{table}_df", frame)
                db.execute(f"CREATE TABLE {table} AS SELECT * FROM {table}_df")
        params = {"as_of": TODAY, "first": TODAY - timedelta(days=90)}
        duck = timed(lambda: db.execute(BASELINE, params).fetchall(), repeat)
        db.close()
    finally:
        store.engine.dispose()
        shutil.rmtree(work, ignore_errors=True)
    duck_med = statistics.median(duck)
    medians = {k: round(statistics.median(v), 2) for k, v in warm.items()}
    return {
        "size": label,
        "lines": stats.lines,
        "seed_seconds": round(seed_s, 2),
        "warm_median_ms": medians,
        "warm_p90_ms": {k: round(p90(v), 2) for k, v in warm.items()},
        "warm_cpu_median_ms": {k: round(statistics.median(v), 2) for k, v in cpu.items()},
        "duckdb_baseline_median_ms": round(duck_med, 2),
        "ratio_to_duckdb": {k: round(v / duck_med, 2) for k, v in medians.items()},
        "target_warm_ms_ok": all(v <= TARGET_WARM_MS for v in medians.values()),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sizes, print a table, write bench/forecast_results.json."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M", help="e.g. 100k")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    sizes = {"quick": (3, 1)} if args.quick else {k: SIZES[k] for k in args.sizes.split(",")}
    results = []
    for label, (months, scale) in sizes.items():
        print(f"-- {label}: seeding {months} months at scale {scale} ...", flush=True)
        results.append(bench_size(label, months, scale, 3 if args.quick else args.repeat))
    head = ("size", "lines", "all ms", "entity ms", "report ms", "duckdb ms")
    print(" ".join(f"{h:>10}" for h in head))
    for r in results:
        w = r["warm_median_ms"]
        cells = (r["size"], r["lines"], w["all"], w["entity"], w["report"])  # type: ignore[index]
        print(" ".join(f"{c:>10}" for c in (*cells, r["duckdb_baseline_median_ms"])))
        ok = r["target_warm_ms_ok"]
        print(f"{r['size']:>10} ratio to DuckDB {r['ratio_to_duckdb']}; <= 200 ms: {ok}")
    out = {"as_of": date.isoformat(TODAY), "target_warm_ms": TARGET_WARM_MS, "results": results}
    if not args.quick:
        path = Path(__file__).with_name("forecast_results.json")
        path.write_text(json.dumps(out, indent=2))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
