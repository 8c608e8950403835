"""Offer-and-take on each ops store: p50/p99 of offering a slot and of taking it, sequential
pairs (a plain claim of the same slot measured alongside, as the baseline of the same run);
then one race of takers for a single offer (exactly one must win).

Each pair is a fresh offerer and taker on a trip of its own (a day apart), so every take does
the same work: the taker's schedule holds no other trip. DynamoDB runs on DynamoDB Local
started by the bench (same machine, loopback): its latencies include a local HTTP round trip.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from bench.bench_ops import NOW, _service
from core.errors import Conflict
from core.ops.models import OpsUser
from core.ops.service import OpsService


def _trip(i: int, crew: int = 1) -> dict[str, object]:
    return {
        "entity": "Bench",
        "title": f"Trip {i}",
        "starts_at": (NOW + timedelta(days=3 + i)).isoformat(),
        "duration_minutes": 120,
        "slots": {"captain": 0, "crew": crew},
        "guests_max": 0,
    }


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2)


def run_pairs(ops: OpsService, admin: OpsUser, pairs: int) -> dict[str, object]:
    """``pairs`` sequential offer+take pairs; latencies of each step."""
    offer_ms: list[float] = []
    take_ms: list[float] = []
    claim_ms: list[float] = []
    moved = 0
    for i in range(pairs):
        event = ops.create_event(admin, _trip(i))
        giver = ops.add_user(email=f"g{i}@example.com", name=f"G{i}", role="crew")
        taker = ops.add_user(email=f"t{i}@example.com", name=f"T{i}", role="crew")
        t = time.perf_counter()
        ops.claim(giver, event.id, "crew")  # the baseline: a plain claim of the same slot
        claim_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        offer = ops.offer_slot(giver, event.id, "crew")
        offer_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        ops.take_offer(taker, offer.id)
        take_ms.append((time.perf_counter() - t) * 1000)
        moved += [c.user_id for c in ops.view(admin, event.id).claims] == [taker.id]
    return {
        "pairs": pairs,
        "moved": moved,
        "offer_p50_ms": round(statistics.median(offer_ms), 2),
        "offer_p99_ms": _p(offer_ms, 0.99),
        "take_p50_ms": round(statistics.median(take_ms), 2),
        "take_p99_ms": _p(take_ms, 0.99),
        "claim_p50_ms": round(statistics.median(claim_ms), 2),
        "claim_p99_ms": _p(claim_ms, 0.99),
    }


def run_race(ops: OpsService, admin: OpsUser, takers: int) -> dict[str, object]:
    """``takers`` threads take one offer at once."""
    event = ops.create_event(admin, _trip(10_000))
    giver = ops.add_user(email="race-g@example.com", name="RG", role="crew")
    people = [
        ops.add_user(email=f"race{i}@example.com", name=f"R{i}", role="crew") for i in range(takers)
    ]
    ops.claim(giver, event.id, "crew")
    offer = ops.offer_slot(giver, event.id, "crew")
    barrier = threading.Barrier(takers)
    outcomes: list[tuple[str, float]] = []
    lock = threading.Lock()

    def attempt(user: OpsUser) -> None:
        barrier.wait()
        t = time.perf_counter()
        try:
            ops.take_offer(user, offer.id)
            result = "won"
        except Conflict as exc:
            result = exc.code
        with lock:
            outcomes.append((result, (time.perf_counter() - t) * 1000))

    threads = [threading.Thread(target=attempt, args=(u,)) for u in people]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    held = [c.user_id for c in ops.view(admin, event.id).claims]
    codes = [o for o, _ in outcomes]
    return {
        "takers": takers,
        "won": codes.count("won"),
        "offer_taken": codes.count("offer_taken"),
        "other": len(codes) - codes.count("won") - codes.count("offer_taken"),
        "holders_after": len(held),
        "slowest_ms": round(max(ms for _, ms in outcomes), 2),
    }


def run_store(ops: OpsService, pairs: int, takers: int) -> dict[str, object]:
    """Pairs, then the race, on one store."""
    admin = ops.add_user(email="admin@example.com", name="Admin", role="admin")
    return {"pairs": run_pairs(ops, admin, pairs), "race": run_race(ops, admin, takers)}


def main(argv: list[str] | None = None) -> int:
    """Run on each store; print and write bench/offers_results.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--takers", type=int, default=10)
    parser.add_argument("--stores", default="sqlite,dynamodb")
    args = parser.parse_args(argv)
    results = {}
    for backend in args.stores.split(","):
        print(f"-- {backend}: {args.pairs} offer+take pairs, a race of {args.takers}", flush=True)
        if backend == "sqlite":
            from core.ops.sqlite import SqliteOpsStore

            with tempfile.TemporaryDirectory() as tmp:
                ops = _service(SqliteOpsStore(Path(tmp) / "ops.db"))
                results[backend] = run_store(ops, args.pairs, args.takers)
        else:
            from core.ops.dynamodb import DynamoOpsStore
            from devtools.dynamodb_local import client, dynamodb_local

            with dynamodb_local() as endpoint:
                store = DynamoOpsStore(f"bench-{uuid.uuid4().hex[:8]}", client=client(endpoint))
                results[backend] = run_store(_service(store), args.pairs, args.takers)
    for name, r in results.items():
        p, race = r["pairs"], r["race"]
        print(
            f"{name:>9}: offer p50 {p['offer_p50_ms']} ms p99 {p['offer_p99_ms']} ms; "  # type: ignore[index]
            f"take p50 {p['take_p50_ms']} ms p99 {p['take_p99_ms']} ms "  # type: ignore[index]
            f"(claim p50 {p['claim_p50_ms']} ms p99 {p['claim_p99_ms']} ms); "  # type: ignore[index]
            f"race: {race['won']} won, {race['offer_taken']} offer_taken, "  # type: ignore[index]
            f"{race['other']} other, slowest {race['slowest_ms']} ms"  # type: ignore[index]
        )
    out = Path(__file__).with_name("offers_results.json")
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
    ok = all(
        r["race"]["won"] == 1
        and r["race"]["holders_after"] == 1  # type: ignore[index]
        and r["pairs"]["moved"] == r["pairs"]["pairs"]  # type: ignore[index]
        for r in results.values()
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
