"""Load: concurrent browser sessions on the dashboard's /cfo, and the local API under clients.

Dashboard: a seeded demo ledger in a temp EXEC_DATA_DIR, one owner, `streamlit run app.py`
on loopback. One headless Chromium (Playwright, async) runs N isolated contexts at once; each
signs in through the form, waits at a barrier, then opens CFO from the sidebar and waits until
the page is fully rendered (script finished, running icon gone, KPI tiles and every plotly
chart drawn). Measured: success rate, time from the click to fully rendered (median, p95),
against one session alone in the same run; RSS of the Streamlit server before, during and
after several rounds.

API: DynamoDB Local, `python -m lambda_app.serve` with OPS_BACKEND=dynamodb, crew users with
tokens claimed through /api/auth/claim. C client threads (C in 1, 8, 32) run a mix of reads,
claims and releases for a fixed time; requests/s, p50/p99 and errors per level, C=1 as the
baseline. Every answer is checked: /api/me must name the caller, an event must be the one
asked for, and afterwards the stored claims must be those each client believes it holds.

`python -m bench.bench_load [--sessions 20] [--rounds 3] [--seconds 10] [--quick]`
writes bench/load_results.json and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from devtools.dynamodb_local import free_port, stop, wait_for_http

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("load_results.json")
CHROMIUM = "/usr/bin/chromium"
OWNER = "owner@example.com"
PASSWORD = "bench-load-password-42"
JWT_SECRET = "bench-load-secret-that-is-long-enough-for-hs256!"
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stStatusWidgetRunningIcon"]'
CFO_LABELS = ("Revenue", "Expenses", "Net income", "Cash")
MIN_CHARTS = 4
MIN_KPIS = 8
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- pure helpers (tested)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..1): the smallest value with >= q of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summarize(values: Sequence[float], digits: int = 3) -> dict[str, float | int | None]:
    """Count, min, median, p95, p99 and max of ``values`` (None when empty)."""
    if not values:
        return {"n": 0, "min": None, "median": None, "p95": None, "p99": None, "max": None}

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, digits)

    return {
        "n": len(values),
        "min": r(min(values)),
        "median": r(statistics.median(values)),
        "p95": r(percentile(values, 0.95)),
        "p99": r(percentile(values, 0.99)),
        "max": r(max(values)),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b rounded to 2 places; None when either is missing or b is 0."""
    if a is None or not b:
        return None
    return round(a / b, 2)


def parse_code(link: str) -> str:
    """The login code in a magic link (``...code=XXXX``)."""
    found = re.search(r"code=([A-Za-z0-9]+)", link)
    if not found:
        raise ValueError(f"no code in {link!r}")
    return found.group(1)


# ---------------------------------------------------------------- processes and /proc


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its live descendants."""
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of ``pid`` and its descendants, in MB."""
    return round(sum(_status_kb(p, "VmRSS") for p in process_tree(pid)) / 1024, 1)


def hwm_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the process itself, in MB."""
    return round(_status_kb(pid, "VmHWM") / 1024, 1)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its live descendants."""
    total = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all CPUs, from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / CLK_TCK


def cli(
    data_dir: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> str:
    """Run ``python -m core ...`` against ``data_dir``; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "EXEC_DATA_DIR": str(data_dir)},
        input=stdin,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"python -m core {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def wait_http(url: str, proc: subprocess.Popen[Any], log: Path, seconds: float = 60) -> None:
    """Poll ``url`` until it answers 200, or fail with the server's log."""
    if not wait_for_http(url, timeout=seconds, starting=lambda: proc.poll() is None):
        raise RuntimeError(f"{url} never came up:\n{log.read_text()[-3000:]}")


@contextmanager
def server_process(cmd: list[str], env: dict[str, str], log: Path, health: str) -> Iterator[int]:
    """Start ``cmd`` (output to ``log``), wait for ``health``; yields the pid; stops it after."""
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_http(health, proc, log)
            yield proc.pid
        finally:
            stop(proc)


# ---------------------------------------------------------------- dashboard


@dataclass
class Session:
    """One browser session's outcome."""

    ok: bool = False
    sign_in_s: float | None = None
    cfo_s: float | None = None
    error: str | None = None
    exception_boxes: int = 0
    charts: int = 0
    kpis: int = 0


async def _settle(page: Any, timeout_ms: int) -> None:
    await page.wait_for_selector(DONE, timeout=timeout_ms)
    await page.wait_for_selector(RUNNING, state="detached", timeout=timeout_ms)


SIGN_INS_AT_ONCE = 2  # staggered sign-ins; the /cfo loads are all at once

RENDERED_JS = """([minCharts, minKpis]) => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter(c => c.querySelector('.main-svg')).length;
  const kpis = document.querySelectorAll('[data-testid="stMetric"]').length;
  return charts >= minCharts && kpis >= minKpis;
}"""


async def browser_session(
    browser: Any,
    url: str,
    gate: asyncio.Barrier | None,
    timeout_ms: int,
    sign_ins: asyncio.Semaphore | None = None,
) -> Session:
    """Sign in as the owner, (wait for the others,) open CFO from the sidebar, time the render.

    Sign-ins are staggered (``sign_ins`` lets a few run at once): 20 Chromium renderers signing
    in together on this 2-core machine measure the client, not the server. The timed part is
    the one the bench is about: every session opening /cfo at the same moment.
    """
    from playwright.async_api import expect

    result = Session()
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    signed_in = False
    try:
        try:
            if sign_ins is not None:
                await sign_ins.acquire()
            t0 = time.perf_counter()
            await page.goto(url + "/", timeout=timeout_ms)
            await _settle(page, timeout_ms)
            await page.get_by_role("textbox", name="Email").fill(OWNER, timeout=timeout_ms)
            await page.get_by_role("textbox", name="Password").fill(PASSWORD, timeout=timeout_ms)
            await page.get_by_role("button", name="Sign in").click(timeout=timeout_ms)
            await page.wait_for_function(
                "document.cookie.includes('exec_platform_session')", timeout=timeout_ms
            )
            await expect(page.get_by_role("heading", name="CEO report")).to_be_visible(
                timeout=timeout_ms
            )
            await _settle(page, timeout_ms)
            result.sign_in_s = round(time.perf_counter() - t0, 3)
            signed_in = True
        except Exception as exc:  # recorded; the load goes on
            result.error = f"sign-in: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        finally:
            if sign_ins is not None:
                sign_ins.release()
        if gate is not None:
            await gate.wait()  # every session opens /cfo at the same moment
        if not signed_in:
            return result
        try:
            t1 = time.perf_counter()
            await page.get_by_role("link", name="CFO").click(timeout=timeout_ms)
            await expect(page.get_by_role("heading", name="CFO report")).to_be_visible(
                timeout=timeout_ms
            )
            await _settle(page, timeout_ms)
            await page.wait_for_function(
                RENDERED_JS, arg=[MIN_CHARTS, MIN_KPIS], timeout=timeout_ms
            )
            result.cfo_s = round(time.perf_counter() - t1, 3)
        except Exception as exc:  # recorded
            result.error = f"cfo: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        result.exception_boxes = await page.locator('[data-testid="stException"]').count()
        result.charts = await page.locator('[data-testid="stPlotlyChart"] .main-svg').count()
        result.kpis = await page.locator('[data-testid="stMetric"]').count()
        labels = set(await page.locator('[data-testid="stMetricLabel"]').all_inner_texts())
        missing = [x for x in CFO_LABELS if x not in {s.strip() for s in labels}]
        if result.exception_boxes and not result.error:
            text = await page.locator('[data-testid="stException"]').first.inner_text()
            result.error = f"exception box: {text.splitlines()[0][:200]}"
        elif missing and not result.error:
            result.error = f"missing KPI tiles: {', '.join(missing)}"
        result.ok = result.error is None
        return result
    finally:
        await context.close()


async def _round(browser: Any, url: str, sessions: int, timeout_ms: int) -> list[Session]:
    gate = asyncio.Barrier(sessions) if sessions > 1 else None
    sign_ins = asyncio.Semaphore(SIGN_INS_AT_ONCE)
    tasks = [browser_session(browser, url, gate, timeout_ms, sign_ins) for _ in range(sessions)]
    return list(await asyncio.gather(*tasks))


class MemorySampler(threading.Thread):
    """Samples a process tree's RSS every ``every`` seconds; keeps the maximum."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self._halt.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._halt.wait(self.every)

    def finish(self) -> float:
        """Stop sampling; the peak RSS in MB."""
        self._halt.set()
        self.join()
        return self.peak


async def _drive(pid: int, url: str, sessions: int, rounds: int, singles: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    timeout_ms = 180_000
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            # warm: the first session of a fresh server registers the pages and fills caches
            warm = await _round(browser, url, 1, timeout_ms)
            print(f"   warm-up session: ok={warm[0].ok} {warm[0].error or ''}", flush=True)
            single = []
            for _ in range(singles):
                single.extend(await _round(browser, url, 1, timeout_ms))
            await asyncio.sleep(2)
            memory: dict[str, Any] = {"before_mb": rss_mb(pid), "after_round_mb": []}
            cpu0 = cpu_seconds(pid)
            me = os.getpid()
            client0 = cpu_seconds(me) - cpu0  # this process, the Playwright driver, Chromium
            busy0, wall0 = machine_busy_seconds(), time.perf_counter()
            loads: list[list[Session]] = []
            walls: list[float] = []
            sampler = MemorySampler(pid)
            sampler.start()
            try:
                for n in range(rounds):
                    t = time.perf_counter()
                    loads.append(await _round(browser, url, sessions, timeout_ms))
                    walls.append(round(time.perf_counter() - t, 2))
                    await asyncio.sleep(2)
                    memory["after_round_mb"].append(rss_mb(pid))
                    ok = sum(s.ok for s in loads[-1])
                    print(
                        f"   round {n + 1}/{rounds}: {ok}/{sessions} ok in {walls[-1]} s, "
                        f"server RSS {memory['after_round_mb'][-1]} MB",
                        flush=True,
                    )
            finally:
                memory["peak_during_mb"] = sampler.finish()
            wall = time.perf_counter() - wall0
            server_cpu = cpu_seconds(pid) - cpu0
            client_cpu = cpu_seconds(me) - cpu_seconds(pid) - client0
            busy = machine_busy_seconds() - busy0
            memory["server_cpu_s_during_load"] = round(server_cpu, 1)
            cpu = {
                "streamlit server": round(server_cpu / wall, 2),
                "browsers (chromium + playwright)": round(client_cpu / wall, 2),
                "rest of the machine": round(max(0.0, busy - server_cpu - client_cpu) / wall, 2),
                "cpus": os.cpu_count(),
            }
        finally:
            await browser.close()
    return {
        "warm": warm,
        "single": single,
        "loads": loads,
        "walls": walls,
        "memory": memory,
        "cpu": cpu,
    }


def _session_json(s: Session) -> dict[str, Any]:
    return dict(s.__dict__)


def run_dashboard(sessions: int, rounds: int, singles: int) -> dict[str, Any]:
    """Seed, start Streamlit, drive the browsers; the dashboard figures."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make chromium`")
    with tempfile.TemporaryDirectory(prefix="bench-load-ui-") as tmp:
        data = Path(tmp)
        t = time.perf_counter()
        cli(data, "seed-demo")
        cli(data, "dashboard-user", "add", OWNER, "--role", "owner", "--password-stdin",
            stdin=PASSWORD + "\n")  # fmt: skip
        print(f"   seeded the demo ledger in {time.perf_counter() - t:.1f} s", flush=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = data / "streamlit.log"
        cmd = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true", "--server.address", "127.0.0.1",
            "--server.port", str(port), "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        env = {**os.environ, "EXEC_DATA_DIR": str(data)}
        with server_process(cmd, env, log, f"{url}/_stcore/health") as pid:
            started_mb = rss_mb(pid)
            raw = asyncio.run(_drive(pid, url, sessions, rounds, singles))
            memory = raw["memory"]
            memory["started_mb"] = started_mb
            memory["hwm_mb"] = hwm_mb(pid)
            memory["processes"] = len(process_tree(pid))
        server_log = log.read_text()
    loads: list[list[Session]] = raw["loads"]
    flat = [s for r in loads for s in r]
    single_times = [s.cfo_s for s in raw["single"] if s.cfo_s is not None]
    load_times = [s.cfo_s for s in flat if s.ok and s.cfo_s is not None]
    sign_in_times = [s.sign_in_s for s in flat if s.sign_in_s is not None]
    single_median = statistics.median(single_times) if single_times else None
    after = memory["after_round_mb"]
    memory["growth_mb"] = round(after[-1] - memory["before_mb"], 1) if after else None
    memory["growth_after_first_round_mb"] = round(after[-1] - after[0], 1) if after else None
    errors = Counter(s.error for s in flat if s.error)
    log_errors = [
        line for line in server_log.splitlines() if re.search(r"Traceback|Error|Exception", line)
    ]
    return {
        "sessions": sessions,
        "rounds": rounds,
        "success": sum(s.ok for s in flat),
        "attempts": len(flat),
        "success_rate": round(sum(s.ok for s in flat) / len(flat), 3) if flat else None,
        "single_session_cfo_s": summarize(single_times),
        "load_cfo_s": summarize(load_times),
        "load_cfo_s_per_round": [
            summarize([s.cfo_s for s in r if s.ok and s.cfo_s is not None]) for r in loads
        ],
        "load_sign_in_s": summarize(sign_in_times),
        "single_sign_in_s": summarize(
            [s.sign_in_s for s in raw["single"] if s.sign_in_s is not None]
        ),
        "p95_over_single_median": ratio(percentile(load_times, 0.95), single_median),
        "median_over_single_median": ratio(
            statistics.median(load_times) if load_times else None, single_median
        ),
        "round_wall_s": raw["walls"],
        "cpu_cores_used_during_load": raw["cpu"],
        "memory": memory,
        "errors": dict(errors),
        "server_log_error_lines": log_errors[:20],
        "sessions_detail": [[_session_json(s) for s in r] for r in loads],
    }


# ---------------------------------------------------------------- API


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


# ---------------------------------------------------------------- report


def print_dashboard(d: dict[str, Any]) -> None:
    """A readable summary of the dashboard figures."""
    s, ld, m = d["single_session_cfo_s"], d["load_cfo_s"], d["memory"]
    print(f"\nDashboard /cfo: {d['sessions']} concurrent sessions x {d['rounds']} rounds")
    print(f"  success            {d['success']}/{d['attempts']} ({d['success_rate']:.0%})")
    print(f"  single session     median {s['median']} s (n={s['n']})")
    print(
        f"  under load         median {ld['median']} s, p95 {ld['p95']} s, max {ld['max']} s "
        f"-> p95 = {d['p95_over_single_median']}x single"
    )
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
    for err, n in d["errors"].items():
        print(f"  failure x{n}: {err}")


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


def main(argv: list[str] | None = None) -> int:
    """Run the dashboard and API load; print and write bench/load_results.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of concurrent sessions")
    parser.add_argument("--singles", type=int, default=3, help="single-session baseline runs")
    parser.add_argument("--clients", default="1,8,32", help="API concurrency levels")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each API level")
    parser.add_argument("--parts", default="dashboard,api", help="dashboard, api or both")
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
        print(f"-- dashboard: {args.sessions} sessions x {args.rounds} rounds ...", flush=True)
        results["dashboard"] = run_dashboard(args.sessions, args.rounds, args.singles)
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
