"""Crew claims under concurrent load on each ops store: claims/s, p50/p99, double claims.

Each store gets events with several crew slots and more crew than slots; worker threads
claim at random (and release a share of what they got) as fast as they can. Afterwards the
stored claims are audited: a slot with two holders, a person twice on one event, or an event
over capacity counts as a double claim (must be 0). DynamoDB runs on DynamoDB Local started
by the bench (same machine, loopback), so its latencies include a local HTTP round trip.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core.errors import Conflict, NotFound
from core.ops.models import OpsUser
from core.ops.service import OpsService
from core.ops.store import OpsStore

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


def _service(store: OpsStore) -> OpsService:
    store.init()
    return OpsService(store, tz=LA, lat=32.7157, lon=-117.1611, clock=lambda: NOW)


def run_load(
    ops: OpsService, *, events: int, crew_slots: int, people: int, threads: int, seconds: float
) -> dict[str, object]:
    """Hammer claims and releases for ``seconds``; measure and audit."""
    admin = ops.add_user(email="admin@example.com", name="Admin", role="admin")
    evs = [
        ops.create_event(
            admin,
            {
                "entity": "Bench",
                "title": f"Trip {i}",
                "starts_at": (NOW + timedelta(days=3 + i)).isoformat(),
                "duration_minutes": 120,
                "slots": {"captain": 0, "crew": crew_slots},
                "guests_max": 0,
            },
        )
        for i in range(events)
    ]
    crew = [
        ops.add_user(email=f"c{i}@example.com", name=f"C{i}", role="crew") for i in range(people)
    ]
    latencies: list[float] = []
    outcomes = {"won": 0, "refused": 0, "released": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        local_lat: list[float] = []
        won = refused = released = 0
        mine: list[tuple[OpsUser, str]] = []
        while time.monotonic() < deadline:
            user, event = rng.choice(crew), rng.choice(evs)
            t = time.perf_counter()
            try:
                ops.claim(user, event.id, "crew")
                won += 1
                mine.append((user, event.id))
            except Conflict:
                refused += 1
            local_lat.append((time.perf_counter() - t) * 1000)
            if mine and rng.random() < 0.3:
                u, e = mine.pop(rng.randrange(len(mine)))
                try:
                    ops.release(u, e)
                    released += 1
                except NotFound:
                    pass
        with lock:
            latencies.extend(local_lat)
            outcomes["won"] += won
            outcomes["refused"] += refused
            outcomes["released"] += released

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start

    doubles = 0
    held_total = 0
    for e in evs:
        claims = ops.view(admin, e.id).claims  # as stored, after the load
        held_total += len(claims)
        slots = [(c.role, c.slot_no) for c in claims]
        holders = [c.user_id for c in claims]
        doubles += len(slots) - len(set(slots)) + len(holders) - len(set(holders))
        doubles += max(0, len(claims) - crew_slots)
    # every successful claim not released must be stored exactly once
    doubles += abs(held_total - (outcomes["won"] - outcomes["released"]))
    attempts = len(latencies)
    lat = sorted(latencies)
    return {
        "attempts": attempts,
        "claims_won": outcomes["won"],
        "refused": outcomes["refused"],
        "released": outcomes["released"],
        "attempts_per_second": round(attempts / elapsed, 1),
        "p50_ms": round(statistics.median(lat), 2),
        "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))], 2),
        "double_claims": doubles,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the load on each store; print and write bench/ops_results.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--stores", default="sqlite,dynamodb")
    args = parser.parse_args(argv)
    shape = {"events": 6, "crew_slots": 3, "people": 40}
    results = {}
    for backend in args.stores.split(","):
        print(f"-- {backend}: {args.threads} threads for {args.seconds:.0f} s ...", flush=True)
        if backend == "sqlite":
            from core.ops.sqlite import SqliteOpsStore

            with tempfile.TemporaryDirectory() as tmp:
                ops = _service(SqliteOpsStore(Path(tmp) / "ops.db"))
                results[backend] = run_load(
                    ops, threads=args.threads, seconds=args.seconds, **shape
                )
        else:
            from core.ops.dynamodb import DynamoOpsStore
            from devtools.dynamodb_local import client, dynamodb_local

            with dynamodb_local() as endpoint:
                store = DynamoOpsStore(f"bench-{uuid.uuid4().hex[:8]}", client=client(endpoint))
                results[backend] = run_load(
                    _service(store), threads=args.threads, seconds=args.seconds, **shape
                )
    heads = ("store", "attempts", "won", "att/s", "p50 ms", "p99 ms", "doubles")
    print(" ".join(f"{h:>{w}}" for h, w in zip(heads, (9, 9, 6, 8, 8, 8, 8), strict=True)))
    for name, r in results.items():
        print(
            f"{name:>9} {r['attempts']:>9} {r['claims_won']:>6} {r['attempts_per_second']:>8} "
            f"{r['p50_ms']:>8} {r['p99_ms']:>8} {r['double_claims']:>8}"
        )
    out = Path(__file__).with_name("ops_results.json")
    out.write_text(
        json.dumps({"shape": shape, "threads": args.threads, "results": results}, indent=2)
    )
    print(f"wrote {out}")
    return 0 if all(r["double_claims"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
