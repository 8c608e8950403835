"""Load on the local API: DynamoDB Local, `python -m lambda_app.serve`, C client threads.

Crew users with tokens claimed through /api/auth/claim run a mix of reads, claims and releases
for a fixed time per level; every answer is checked, and afterwards the stored claims must be
those each client believes it holds.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.load_servers import cli, server_process
from bench.load_stats import ratio, summarize
from bench.proc_sampler import cpu_seconds
from devtools.dynamodb_local import free_port

JWT_SECRET = "bench-load-secret-that-is-long-enough-for-hs256!"


def parse_code(link: str) -> str:
    """The login code in a magic link (``...code=XXXX``)."""
    found = re.search(r"code=([A-Za-z0-9]+)", link)
    if not found:
        raise ValueError(f"no code in {link!r}")
    return found.group(1)


@dataclass
class Client:
    """One simulated crew member: a token and what the client believes it holds."""

    user_id: str
    token: str
    held: set[str] = field(default_factory=set)


class Api:
    """A keep-alive HTTP client (reconnects when the server closes the connection)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(
        self, method: str, path: str, token: str | None = None, body: Any = None
    ) -> tuple[int, Any]:
        """One request; (status, decoded JSON or None)."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body)
        try:
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        if resp.will_close:
            self.conn.close()
        try:
            return resp.status, json.loads(raw) if raw else None
        except ValueError:
            return resp.status, raw.decode(errors="replace")


MIX = (("list", 0.35), ("get", 0.30), ("me", 0.15), ("claim", 0.10), ("release", 0.10))


def _pick(rng: random.Random) -> str:
    x, acc = rng.random(), 0.0
    for name, weight in MIX:
        acc += weight
        if x < acc:
            return name
    return MIX[-1][0]


def api_worker(
    port: int, client: Client, events: list[str], deadline: float, seed: int
) -> dict[str, Any]:
    """Run the mix until ``deadline``; latencies by operation and what went wrong."""
    rng = random.Random(seed)
    api = Api(port)
    lat: dict[str, list[float]] = {name: [] for name, _ in MIX}
    statuses: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    while time.monotonic() < deadline:
        op = _pick(rng)
        if op == "release" and not client.held:
            op = "claim"
        eid = rng.choice(events)
        if op == "release":
            eid = rng.choice(sorted(client.held))
        method, path, body, ok = {
            "list": ("GET", "/api/events", None, {200}),
            "get": ("GET", f"/api/events/{eid}", None, {200}),
            "me": ("GET", "/api/me", None, {200}),
            "claim": ("POST", f"/api/events/{eid}/claims", {"role": "crew"}, {201, 409}),
            "release": ("DELETE", f"/api/events/{eid}/claims/me", None, {204}),
        }[op]
        t = time.perf_counter()
        try:
            status, answer = api.call(method, path, client.token, body)
        except (OSError, http.client.HTTPException) as exc:
            lat[op].append((time.perf_counter() - t) * 1000)
            problems[f"{op}: {type(exc).__name__}"] += 1
            continue
        lat[op].append((time.perf_counter() - t) * 1000)
        statuses[f"{op} {status}"] += 1
        if status not in ok:
            code = answer.get("error") if isinstance(answer, dict) else None
            problems[f"{op}: HTTP {status} {code or ''}".strip()] += 1
        elif op == "me" and (not isinstance(answer, dict) or answer.get("id") != client.user_id):
            problems["me: answered with another user's identity"] += 1
        elif op == "get" and (not isinstance(answer, dict) or answer.get("id") != eid):
            problems["get: answered with another event"] += 1
        elif op == "claim" and status == 201:
            client.held.add(eid)
        elif op == "release":
            client.held.discard(eid)
    return {"lat": lat, "statuses": statuses, "problems": problems}


def _audit(api: Api, admin: str, clients: list[Client], events: list[str]) -> int:
    """Claims stored differently from what clients saw (each stored or believed claim off)."""
    stored: set[tuple[str, str]] = set()
    for eid in events:
        _, ev = api.call("GET", f"/api/events/{eid}", admin)
        stored |= {(eid, c["user_id"]) for c in ev["claims"]}
    believed = {(eid, c.user_id) for c in clients for eid in c.held}
    return len(stored ^ believed)


def _reset(api: Api, admin: str, clients: list[Client], events: list[str]) -> None:
    for eid in events:
        _, ev = api.call("GET", f"/api/events/{eid}", admin)
        for c in ev["claims"]:
            api.call("DELETE", f"/api/events/{eid}/claims/{c['user_id']}", admin)
    for c in clients:
        c.held.clear()


def api_level(
    port: int,
    pids: dict[str, int],
    admin: str,
    clients: list[Client],
    events: list[str],
    seconds: float,
) -> dict[str, Any]:
    """One concurrency level: len(clients) threads for ``seconds``."""
    api = Api(port)
    _reset(api, admin, clients, events)
    cpu0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
    self0 = os.times()
    results: list[dict[str, Any]] = [{} for _ in clients]
    deadline = time.monotonic() + seconds

    def run(i: int) -> None:
        results[i] = api_worker(port, clients[i], events, deadline, seed=i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    self1 = os.times()
    cpu = {name: round((cpu_seconds(pid) - cpu0[name]) / elapsed, 2) for name, pid in pids.items()}
    cpu["bench client"] = round(
        (self1.user + self1.system - self0.user - self0.system) / elapsed, 2
    )
    mismatches = _audit(api, admin, clients, events)
    all_lat: list[float] = []
    by_op: dict[str, Any] = {}
    statuses: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    for r in results:
        statuses.update(r["statuses"])
        problems.update(r["problems"])
    for name, _ in MIX:
        xs = [x for r in results for x in r["lat"][name]]
        all_lat.extend(xs)
        by_op[name] = summarize(xs, 1)
    if mismatches:
        problems["stored claims differ from what clients were told"] = mismatches
    total = len(all_lat)
    overall = summarize(all_lat, 1)
    return {
        "clients": len(clients),
        "seconds": round(elapsed, 2),
        "requests": total,
        "rps": round(total / elapsed, 1),
        "ok_rps": round((total - sum(problems.values()) + mismatches) / elapsed, 1),
        "p50_ms": overall["median"],
        "p99_ms": overall["p99"],
        "max_ms": overall["max"],
        "errors": sum(problems.values()),
        "problems": dict(problems),
        "statuses": dict(sorted(statuses.items())),
        "by_operation_ms": by_op,
        "cpu_cores_used": cpu,
    }


def run_api(levels: list[int], seconds: float, n_events: int) -> dict[str, Any]:
    """DynamoDB Local + the local API; every concurrency level in turn."""
    from devtools.dynamodb_local import dynamodb_local

    users = max(levels)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-load-api-")))
        endpoint = stack.enter_context(dynamodb_local())
        env = {
            **os.environ,
            "EXEC_DATA_DIR": str(tmp),
            "OPS_BACKEND": "dynamodb",
            "OPS_TABLE": "bench-load",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "JWT_SECRET": JWT_SECRET,
            "MAIL_BACKEND": "outbox",
        }
        cli(tmp, "ops-init", env=env)
        link = cli(tmp, "ops-admin", "bench-admin@example.com", env=env).strip().splitlines()[-1]
        port = free_port()
        cmd = [sys.executable, "-m", "lambda_app.serve", "--host", "127.0.0.1", "--port", str(port)]
        pid = stack.enter_context(
            server_process(cmd, env, tmp / "serve.log", f"http://127.0.0.1:{port}/api/health")
        )
        ddb_pid = _listener_pid(int(endpoint.rsplit(":", 1)[1]))
        api = Api(port)
        status, claimed = api.call("POST", "/api/auth/claim", body={"code": parse_code(link)})
        if status != 200:
            raise RuntimeError(f"admin claim failed: {status} {claimed}")
        admin = claimed["token"]
        start = datetime.now(UTC) + timedelta(days=10)
        events = []
        for i in range(n_events):
            status, ev = api.call(
                "POST",
                "/api/events",
                admin,
                {
                    "entity": "JADA",
                    "title": f"Bench trip {i}",
                    "starts_at": (start + timedelta(days=2 * i)).isoformat(),
                    "duration_minutes": 180,
                    "slots": {"captain": 1, "crew": 4},
                    "guests_max": 6,
                },
            )
            if status != 201:
                raise RuntimeError(f"create event failed: {status} {ev}")
            events.append(ev["id"])
        clients = []
        for i in range(users):
            email = f"crew{i}@example.com"
            status, inv = api.call(
                "POST",
                "/api/auth/invite",
                admin,
                {"email": email, "name": f"Crew {i}", "role": "crew"},
            )
            if status != 201:
                raise RuntimeError(f"invite failed: {status} {inv}")
            status, got = api.call("POST", "/api/auth/claim", body={"code": inv["code"]})
            if status != 200:
                raise RuntimeError(f"crew claim failed: {status} {got}")
            clients.append(Client(user_id=got["user"]["id"], token=got["token"]))
        pids = {"api server": pid}
        if ddb_pid:
            pids["dynamodb local"] = ddb_pid
        api_level(port, pids, admin, clients[:1], events, min(seconds, 3.0))  # warm the JVM
        out = []
        log = tmp / "serve.log"
        for c in levels:
            print(f"   {c} client(s) for {seconds:.0f} s ...", flush=True)
            offset = log.stat().st_size
            level = api_level(port, pids, admin, clients[:c], events, seconds)
            with log.open(errors="replace") as f:
                f.seek(offset)
                level["server_exceptions"] = server_exceptions(f.read())
            out.append(level)
        serve_log = log.read_text()
    base = out[0]["rps"] if out else None
    for r in out:
        r["rps_over_c1"] = ratio(r["rps"], base)
    return {
        "events": n_events,
        "mix": dict(MIX),
        "server": "lambda_app.serve: http.server.ThreadingHTTPServer (a thread per connection, "
        "HTTP/1.0 so one request per connection), one Python process",
        "levels": out,
        "server_exceptions_total": sum(server_exceptions(serve_log).values()),
    }


def server_exceptions(log: str) -> dict[str, int]:
    """Exceptions a server log reports (the last line of each traceback), counted."""
    found = re.findall(r"^([A-Za-z_.]*(?:Error|Exception)): (.*)$", log, flags=re.MULTILINE)
    return dict(Counter(f"{name}: {text[:100]}" for name, text in found).most_common())


def _listener_pid(port: int) -> int | None:
    """The pid of the process listening on a loopback TCP port (DynamoDB Local's java)."""
    hexport = f"{port:04X}"
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[1].endswith(":" + hexport) and parts[3] == "0A":
                inodes.add(parts[9])
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{entry}/fd"):
                link = os.readlink(f"/proc/{entry}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(entry)
        except OSError:
            continue
    return None


def print_api(a: dict[str, Any]) -> None:
    """A readable table of the API figures."""
    print(f"\nLocal API on DynamoDB Local ({a['server']})")
    heads = ("clients", "requests", "req/s", "ok/s", "x C=1", "p50 ms", "p99 ms", "errors",
             "cpu srv/ddb/cli")  # fmt: skip
    widths = (7, 9, 8, 8, 6, 8, 8, 7, 16)
    print(" ".join(f"{h:>{w}}" for h, w in zip(heads, widths, strict=True)))
    for r in a["levels"]:
        cpu = r["cpu_cores_used"]
        cpus = "/".join(
            str(cpu.get(k, "-")) for k in ("api server", "dynamodb local", "bench client")
        )
        row = (r["clients"], r["requests"], r["rps"], r["ok_rps"], r["rps_over_c1"],
               r["p50_ms"], r["p99_ms"], r["errors"], cpus)  # fmt: skip
        print(" ".join(f"{v!s:>{w}}" for v, w in zip(row, widths, strict=True)))
        for problem, n in r["problems"].items():
            print(f"{'':>8} x{n} {problem}")
        for exc, n in r.get("server_exceptions", {}).items():
            print(f"{'':>8} x{n} in the server log: {exc}")
