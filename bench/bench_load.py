"""Load: concurrent sessions on the dashboard's /cfo, and the local API under clients.

Dashboard: a seeded demo ledger in a temp EXEC_DATA_DIR, one owner, `streamlit run app.py`
on loopback, logging each script run (dashboard/run_log.py). N clients sign in through the form,
wait at a barrier, then all at once open CFO from the sidebar; the protocol clients (default:
Streamlit's own websocket protocol, no browser) then change "Compare with" and open CEO. One
Chromium session first checks that the pages really render (`--client browser`: every session a
Chromium tab, as before). Measured: each server script run's wall and CPU ms (p50/p95/p99), the
full garbage collections between runs, success rate, each answer's time at the client, server
RSS per session, and who used the CPUs.

API: DynamoDB Local, `python -m lambda_app.serve` with OPS_BACKEND=dynamodb, crew users with
tokens claimed through /api/auth/claim. C client threads (C in 1, 8, 32) run a mix of reads,
claims and releases for a fixed time; requests/s, p50/p99 and errors per level, C=1 as the
baseline. Every answer is checked: /api/me must name the caller, an event must be the one
asked for, and afterwards the stored claims must be those each client believes it holds.

`python -m bench.bench_load [--parts dashboard,api] [--sessions 20] [--rounds 3]
[--client protocol|browser] [--seconds 10] [--client-nice 10] [--quick]`
writes bench/load_results.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load_api import print_api, run_api
from bench.load_dashboard import CLIENT_NICE, run_dashboard
from bench.load_servers import ROOT
from bench.load_summary import print_dashboard

OUT = Path(__file__).with_name("load_results.json")


def main(argv: list[str] | None = None) -> int:
    """Run the dashboard and API load; print and write bench/load_results.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent dashboard sessions")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of concurrent sessions")
    parser.add_argument("--singles", type=int, default=3, help="single-session baseline runs")
    parser.add_argument("--clients", default="1,8,32", help="API concurrency levels")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each API level")
    parser.add_argument("--parts", default="dashboard,api", help="dashboard, api or both")
    parser.add_argument(
        "--client-nice",
        type=int,
        default=CLIENT_NICE,
        help="nice value of the browser clients (--client browser; 0: the server's priority)",
    )
    parser.add_argument(
        "--client",
        choices=("protocol", "browser"),
        default="protocol",
        help="dashboard clients: Streamlit's protocol without a browser, or Chromium tabs",
    )
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions, args.rounds, args.singles, args.seconds = 3, 1, 1, 2.0
        args.clients = "1,4"
    parts = set(args.parts.split(","))
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
    }
    if "dashboard" in parts:
        print(
            f"-- dashboard: {args.sessions} {args.client} sessions x {args.rounds} rounds ...",
            flush=True,
        )
        results["dashboard"] = run_dashboard(
            args.sessions, args.rounds, args.singles, args.client_nice, args.client
        )
    if "api" in parts:
        levels = [int(x) for x in args.clients.split(",")]
        print(f"-- API: clients {levels}, {args.seconds:.0f} s each ...", flush=True)
        results["api"] = run_api(levels, args.seconds, n_events=6)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    OUT.write_text(json.dumps(results, indent=2, default=str) + "\n")
    if "dashboard" in results:
        print_dashboard(results["dashboard"])
    if "api" in results:
        print_api(results["api"])
    m = results["machine"]
    print(
        f"load average (1, 5, 15 min) at start {m['load_average_at_start']}, "
        f"at end {m['load_average_at_end']}, on {m['cpus']} CPUs"
    )
    print(f"\nwrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
