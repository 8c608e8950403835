"""Load on the dashboard: concurrent sessions opening /cfo, against one session alone.

A seeded demo ledger in a temp EXEC_DATA_DIR, one owner, `streamlit run app.py` on loopback
(bench/load_servers.py), the server logging each script run (BENCH_RUN_LOG). Two kinds of
client:

- "protocol" (the default): browserless clients speaking Streamlit's websocket protocol
  (bench/load_clients.py), after one Chromium session that checks the pages really render.
  They cost ~1% of a core, so the server's script runs are timed on the CPUs it has.
- "browser": one headless Chromium (Playwright, async) with N isolated contexts; each signs in
  through the form, waits at a barrier, then opens CFO from the sidebar and waits until the
  page is fully rendered (script finished, running icon gone, KPI tiles and every plotly chart
  drawn). The clients (this driver, Playwright's node process and every Chromium process) run
  at nice ``CLIENT_NICE``, yet 20 renderers still take most of the 2 cores.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.client_priority import ClientPriority
from bench.load_clients import drive_protocol
from bench.load_meter import LoadMeter, timed_rounds
from bench.load_runs import (
    Window,
    collection_figures,
    per_session_mb,
    read_collections,
    read_runs,
    run_figures,
    runs_within,
)
from bench.load_servers import demo_dashboard
from bench.load_session import CFO_LABELS, MIN_CHARTS, MIN_KPIS, OWNER, PASSWORD, Session
from bench.load_stats import percentile, ratio, summarize
from bench.proc_sampler import (
    hwm_mb,
    process_tree,
    rss_mb,
    run_niced,
)

CHROMIUM = "/usr/bin/chromium"
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stStatusWidgetRunningIcon"]'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLIENT_NICE = 10  # the browsers yield the CPUs to the server (nice 0) whenever it can run


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


@dataclass
class Clicks:
    """Counts the sessions whose CFO click went out; calls ``all_out`` after the last one.

    The clicks leave at the clients' normal priority, so they reach the server together; the
    clients step back while the server runs the pages and the browsers draw them.
    """

    sessions: int
    all_out: Callable[[], None]
    out: int = 0

    def done(self) -> None:
        """One more session clicked (or will not click)."""
        self.out += 1
        if self.out == self.sessions:
            self.all_out()


async def browser_session(
    browser: Any,
    url: str,
    gate: asyncio.Barrier | None,
    timeout_ms: int,
    sign_ins: asyncio.Semaphore | None = None,
    clicks: Clicks | None = None,
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
            if clicks is not None:
                clicks.done()
            return result
        try:
            t1 = time.perf_counter()
            result.clicked_at = time.time()
            try:
                await page.get_by_role("link", name="CFO").click(timeout=timeout_ms)
            finally:
                if clicks is not None:
                    clicks.done()  # the last click out: the clients step back
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


async def _round(
    browser: Any,
    url: str,
    sessions: int,
    timeout_ms: int,
    windows: list[Window] | None = None,
    priority: ClientPriority | None = None,
) -> list[Session]:
    """One round; appends to ``windows`` its span from the first CFO click to its end."""
    gate = asyncio.Barrier(sessions) if sessions > 1 else None
    sign_ins = asyncio.Semaphore(SIGN_INS_AT_ONCE)
    clicks = Clicks(sessions, priority.timed) if priority is not None else None
    tasks = [
        browser_session(browser, url, gate, timeout_ms, sign_ins, clicks) for _ in range(sessions)
    ]
    try:
        done = list(await asyncio.gather(*tasks))
    finally:
        if priority is not None:
            priority.untimed()
    clicks = [s.clicked_at for s in done if s.clicked_at is not None]
    if windows is not None and clicks:
        windows.append((min(clicks), time.time()))
    return done


async def _drive(
    pid: int, url: str, sessions: int, rounds: int, singles: int, client_nice: int
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    timeout_ms = 180_000
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        priority = ClientPriority(pid, client_nice)
        try:
            # warm: the first session of a fresh server registers the pages and fills caches
            warm = await _round(browser, url, 1, timeout_ms)
            print(f"   warm-up session: ok={warm[0].ok} {warm[0].error or ''}", flush=True)
            single: list[Session] = []
            windows: dict[str, list[Window]] = {"single": [], "load": []}
            for _ in range(singles):
                single.extend(
                    await _round(browser, url, 1, timeout_ms, windows["single"], priority)
                )
            await asyncio.sleep(2)
            meter = LoadMeter(pid, "browsers (chromium + playwright)")
            meter.start()
            try:
                loads, walls = await timed_rounds(
                    meter,
                    rounds,
                    lambda: _round(browser, url, sessions, timeout_ms, windows["load"], priority),
                )
            finally:
                cpu = meter.finish(priority.seen)
            memory = meter.memory
        finally:
            await browser.close()
    return {
        "warm": warm,
        "single": single,
        "loads": loads,
        "walls": walls,
        "memory": memory,
        "cpu": cpu,
        "windows": windows,
    }


def _session_json(s: Session) -> dict[str, Any]:
    return dict(s.__dict__)


async def browser_smoke(url: str) -> dict[str, Any]:
    """One Chromium session (sign in, open CFO) before the load: the pages really render."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            session = (await _round(browser, url, 1, 180_000))[0]
        finally:
            await browser.close()
    print(f"   Chromium smoke check: ok={session.ok} {session.error or ''}", flush=True)
    return _session_json(session)


def run_dashboard(
    sessions: int,
    rounds: int,
    singles: int,
    client_nice: int = CLIENT_NICE,
    client: str = "protocol",
) -> dict[str, Any]:
    """Seed, start Streamlit, drive the clients; the figures.

    ``client`` "protocol": browserless clients (bench/load_clients.py) after one Chromium
    session that checks the pages really render (skipped without Chromium); "browser": every
    session a Chromium context at nice ``client_nice``.
    """
    if client not in ("protocol", "browser"):
        raise ValueError(f"client must be protocol or browser, not {client!r}")
    if client == "browser" and not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make chromium`")
    with tempfile.TemporaryDirectory(prefix="bench-load-ui-") as tmp:
        data = Path(tmp)
        log, run_log = data / "streamlit.log", data / "runs.jsonl"
        with demo_dashboard(data, log, run_log) as (pid, url):
            started_mb = rss_mb(pid)
            if client == "protocol":
                smoke = asyncio.run(browser_smoke(url)) if Path(CHROMIUM).exists() else None
                raw = asyncio.run(drive_protocol(pid, url, sessions, rounds, singles))
                raw["browser_smoke"] = smoke
            else:
                # the clients start from a thread at client_nice: they and Chromium inherit it
                raw = run_niced(
                    client_nice,
                    lambda: asyncio.run(_drive(pid, url, sessions, rounds, singles, client_nice)),
                )
            memory = raw["memory"]
            memory["started_mb"] = started_mb
            memory["hwm_mb"] = hwm_mb(pid)
            memory["processes"] = len(process_tree(pid))
        server_log = log.read_text()
        logged = run_log.read_text() if run_log.exists() else ""
        runs, collections = read_runs(logged), read_collections(logged)
    loads: list[list[Session]] = raw["loads"]
    flat = [s for r in loads for s in r]
    single_times = [s.cfo_s for s in raw["single"] if s.cfo_s is not None]
    load_times = [s.cfo_s for s in flat if s.ok and s.cfo_s is not None]
    sign_in_times = [s.sign_in_s for s in flat if s.sign_in_s is not None]
    single_median = statistics.median(single_times) if single_times else None
    after = memory["after_round_mb"]
    memory["growth_mb"] = round(after[-1] - memory["before_mb"], 1) if after else None
    memory["growth_after_first_round_mb"] = round(after[-1] - after[0], 1) if after else None
    # what the sessions add to a warm server (the app's imports and caches are in before_mb)
    memory["per_session_mb"] = per_session_mb(
        memory["before_mb"], memory["peak_during_mb"], sessions
    )
    memory["per_session_with_warm_up_mb"] = per_session_mb(
        memory["started_mb"], memory["peak_during_mb"], sessions
    )
    errors = Counter(s.error for s in flat if s.error)
    log_errors = [
        line for line in server_log.splitlines() if re.search(r"Traceback|Error|Exception", line)
    ]
    return {
        "sessions": sessions,
        "rounds": rounds,
        "client": client,
        # Streamlit settings given to the server beyond .streamlit/config.toml (A/B runs)
        "server_env": {k: v for k, v in os.environ.items() if k.startswith("STREAMLIT_")},
        "client_nice": client_nice if client == "browser" else None,
        "browser_smoke": raw.get("browser_smoke"),
        "success": sum(s.ok for s in flat),
        "attempts": len(flat),
        "success_rate": round(sum(s.ok for s in flat) / len(flat), 3) if flat else None,
        "single_session_cfo_s": summarize(single_times),
        "load_cfo_s": summarize(load_times),
        "load_cfo_s_per_round": [
            summarize([s.cfo_s for s in r if s.ok and s.cfo_s is not None]) for r in loads
        ],
        "load_compare_s": summarize([s.compare_s for s in flat if s.ok and s.compare_s]),
        "load_ceo_s": summarize([s.ceo_s for s in flat if s.ok and s.ceo_s]),
        "load_sign_in_s": summarize(sign_in_times),
        "single_sign_in_s": summarize(
            [s.sign_in_s for s in raw["single"] if s.sign_in_s is not None]
        ),
        "p95_over_single_median": ratio(percentile(load_times, 0.95), single_median),
        "median_over_single_median": ratio(
            statistics.median(load_times) if load_times else None, single_median
        ),
        "server_runs_single": run_figures(runs_within(runs, raw["windows"]["single"]), "cfo"),
        "server_runs_load": run_figures(runs_within(runs, raw["windows"]["load"]), "cfo"),
        "server_runs_load_ceo": run_figures(runs_within(runs, raw["windows"]["load"]), "ceo"),
        "server_full_gc_load": collection_figures(
            runs_within(collections, raw["windows"]["load"]),
            sum(end - start for start, end in raw["windows"]["load"]),
        ),
        "server_runs_load_per_round": [
            run_figures(runs_within(runs, [w]), "cfo") for w in raw["windows"]["load"]
        ],
        "round_wall_s": raw["walls"],
        # protocol clients: the server's CPU from the barrier to the end of each round, all the
        # timed answers' work (3 a session); on one free core p95 cannot be much below it
        "server_cpu_s_timed_per_round": raw.get("server_cpu_s_timed"),
        "cpu_cores_used_during_load": raw["cpu"],
        "memory": memory,
        "errors": dict(errors),
        "server_log_error_lines": log_errors[:20],
        "sessions_detail": [[_session_json(s) for s in r] for r in loads],
    }
