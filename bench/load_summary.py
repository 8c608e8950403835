"""The load bench's dashboard figures as a readable summary."""

from __future__ import annotations

from typing import Any


def print_dashboard(d: dict[str, Any]) -> None:
    """A readable summary of the dashboard figures."""
    s, ld, m = d["single_session_cfo_s"], d["load_cfo_s"], d["memory"]
    client = d.get("client", "browser")
    print(
        f"\nDashboard /cfo: {d['sessions']} concurrent sessions x {d['rounds']} rounds "
        f"({client} clients)"
    )
    smoke = d.get("browser_smoke")
    if smoke is not None:
        print(f"  Chromium smoke     ok={smoke['ok']} /cfo in {smoke['cfo_s']} s "
              f"{smoke['error'] or ''}")  # fmt: skip
    print(f"  success            {d['success']}/{d['attempts']} ({d['success_rate']:.0%})")
    print("  /cfo at the client (the click to the page drawn, or to script_finished)")
    print(f"  single session     median {s['median']} s (n={s['n']})")
    print(
        f"  under load         median {ld['median']} s, p95 {ld['p95']} s, max {ld['max']} s "
        f"-> p95 = {d['p95_over_single_median']}x single"
    )
    for label, key in (("then compare", "load_compare_s"), ("then /ceo", "load_ceo_s")):
        if d.get(key, {}).get("n"):
            print(f"  {label:<18} median {d[key]['median']} s, p95 {d[key]['p95']} s")
    print(f"  sign-in under load median {d['load_sign_in_s']['median']} s, p95 "
          f"{d['load_sign_in_s']['p95']} s")  # fmt: skip
    print(
        f"  server RSS         started {m['started_mb']} MB, before load {m['before_mb']} MB, "
        f"after rounds {m['after_round_mb']} MB, peak {m['peak_during_mb']} MB"
    )
    print(
        f"  RSS growth         {m['growth_mb']} MB over the load, "
        f"{m['growth_after_first_round_mb']} MB after the first round"
    )
    print(f"  CPU cores busy     {d['cpu_cores_used_during_load']}")
    timed = d.get("server_cpu_s_timed_per_round")
    if timed:
        print(f"  server CPU, timed  {timed} s a round (the barrier to the round's end: "
              f"{3 * d['sessions']} answers)")  # fmt: skip
    for label, key in (
        ("single session", "server_runs_single"),
        ("under load", "server_runs_load"),
        ("under load", "server_runs_load_ceo"),
    ):
        r = d.get(key)
        if r is None or (key == "server_runs_load_ceo" and not r["page_runs_ms"]["n"]):
            continue  # the browser clients open no CEO page in the timed part
        w, c, pw = r["runs_ms"], r["runs_cpu_ms"], r["page_runs_ms"]
        print(
            f"  server runs, {label:<14} {w['n']} runs: wall p50 {w['median']} / p95 {w['p95']} / "
            f"max {w['max']} ms, CPU p50 {c['median']} / p95 {c['p95']} ms; "
            f"/{r['page']} runs ({pw['n']}) p95 {pw['p95']} ms, started within "
            f"{r['page_runs_start_spread_s']} s"
        )
    spreads = [r["page_runs_start_spread_s"] for r in d.get("server_runs_load_per_round", [])]
    print(f"  /cfo runs of a round started within {spreads} s (first to last)")
    g = d.get("server_full_gc_load")
    if g is not None:
        print(
            f"  server full GCs    {g['gc_ms']['n']} under load: p50 {g['gc_ms']['median']} / "
            f"p95 {g['gc_ms']['p95']} ms, {g['total_s']} s in all = {g['share_of_wall']:.0%} "
            "of the load's wall time (GIL held)"
        )
    print(
        f"  server memory      warm {m['before_mb']} MB, peak {m['peak_during_mb']} MB, "
        f"per session (peak - warm) / {d['sessions']} = {m['per_session_mb']} MB"
    )
    for err, n in d["errors"].items():
        print(f"  failure x{n}: {err}")
