"""Load on the dashboard from protocol clients: N tabs without a browser, as users click.

Each client (bench/load_protocol.py) loads the app, signs in through the form (its widget values
sent as one rerun, as a browser submits it), waits for the others, then, timed: opens CFO from
the sidebar, switches "Compare with" to the next option, and opens CEO. Every answer is checked
as a user would see it: the page's heading, its KPI tiles and charts, no exception box. The
clients cost a few percent of a core, so the server's script runs are timed on the CPUs the
server has, not on what Chromium leaves it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.load_meter import LoadMeter, timed_rounds
from bench.load_protocol import ProtocolSession, Screen
from bench.load_runs import Window
from bench.load_session import CFO_LABELS, MIN_CHARTS, MIN_KPIS, OWNER, PASSWORD, Session
from bench.proc_sampler import cpu_seconds

SIGN_INS_AT_ONCE = 2  # a sign-in hashes a password on the server: untimed, kept apart
CEO_LABELS = ("Revenue", "Net income", "Cash")


def check(screen: Screen, heading: str, labels: tuple[str, ...], charts: int, kpis: int) -> str:
    """What is wrong with a page as drawn ("" when it is whole)."""
    if screen.exceptions:
        return f"exception box: {screen.exceptions[0]}"
    if screen.page_not_found:
        return "page not found"
    if heading not in screen.headings:
        return f"no '{heading}' heading (saw {screen.headings[:3]})"
    missing = [x for x in labels if x not in screen.metric_labels]
    if missing:
        return f"missing KPI tiles: {', '.join(missing)}"
    if screen.charts < charts or len(screen.metric_labels) < kpis:
        return f"{screen.charts} charts and {len(screen.metric_labels)} KPI tiles drawn"
    return ""


async def _sign_in(client: ProtocolSession) -> str:
    """Load "/" and submit the sign-in form; "" when the CEO report opened."""
    form = await client.load("")
    fields = form.widgets
    if not {"Email", "Password", "Sign in"} <= fields.keys():
        return f"no sign-in form (saw {list(fields)[:5]})"
    values = {fields["Email"]: OWNER, fields["Password"]: PASSWORD}
    home = await client.submit(values, fields["Sign in"])
    return check(home, "CEO report", CEO_LABELS, 1, 3)


async def _timed(result: Session, name: str, step: Any) -> Screen:
    t0 = time.perf_counter()
    screen: Screen = await step
    setattr(result, name, round(time.perf_counter() - t0, 3))
    return screen


async def protocol_session(
    url: str, gate: asyncio.Barrier | None, sign_ins: asyncio.Semaphore, timeout_s: float
) -> Session:
    """One user: sign in, (wait for the others,) open CFO, change the comparison, open CEO."""
    result = Session()
    client = ProtocolSession(url, timeout_s)
    signed_in = False
    try:
        try:
            async with sign_ins:
                t0 = time.perf_counter()
                await client.open()
                problem = await _sign_in(client)
                result.sign_in_s = round(time.perf_counter() - t0, 3)
            signed_in = not problem
            result.error = f"sign-in: {problem}" if problem else None
        except Exception as exc:  # recorded; the load goes on
            result.error = f"sign-in: {type(exc).__name__}: {str(exc)[:200]}"
        if gate is not None:
            await gate.wait()  # every session opens /cfo at the same moment
        if not signed_in:
            return result
        try:
            result.clicked_at = time.time()
            cfo = await _timed(result, "cfo_s", client.open_page("cfo"))
            result.charts, result.kpis = cfo.charts, len(cfo.metric_labels)
            result.exception_boxes = len(cfo.exceptions)
            problem = check(cfo, "CFO report", CFO_LABELS, MIN_CHARTS, MIN_KPIS)
            if not problem:
                compare = cfo.widgets["Compare with"]
                step = client.set_widget(compare, compare.options[1])
                problem = check(
                    await _timed(result, "compare_s", step), "CFO report", CFO_LABELS, 1, 4
                )
            if not problem:
                ceo = await _timed(result, "ceo_s", client.open_page("ceo"))
                problem = check(ceo, "CEO report", CEO_LABELS, 1, 3)
            result.error = problem or None
        except Exception as exc:  # recorded
            result.error = f"cfo: {type(exc).__name__}: {str(exc)[:200]}"
        result.ok = result.error is None
        return result
    finally:
        await client.close()


async def _round(
    url: str,
    sessions: int,
    timeout_s: float,
    windows: list[Window] | None = None,
    server_cpu: tuple[int, list[float]] | None = None,
) -> list[Session]:
    """One round of ``sessions`` users; appends its span from the first CFO click to its end.

    With ``server_cpu`` (the server's pid, a list): appends the server's CPU seconds from the
    moment the sessions are let go to the end of the round, the timed part's work.
    """
    gate = asyncio.Barrier(sessions + 1) if sessions > 1 else None  # the round waits there too
    sign_ins = asyncio.Semaphore(SIGN_INS_AT_ONCE)
    users = asyncio.gather(
        *(protocol_session(url, gate, sign_ins, timeout_s) for _ in range(sessions))
    )
    if gate is not None:
        await gate.wait()
    cpu0 = cpu_seconds(server_cpu[0]) if server_cpu is not None else 0.0
    done = list(await users)
    if server_cpu is not None:
        server_cpu[1].append(round(cpu_seconds(server_cpu[0]) - cpu0, 2))
    clicks = [s.clicked_at for s in done if s.clicked_at is not None]
    if windows is not None and clicks:
        windows.append((min(clicks), time.time()))
    return done


async def drive_protocol(
    pid: int, url: str, sessions: int, rounds: int, singles: int
) -> dict[str, Any]:
    """Warm-up, single sessions, then ``rounds`` of ``sessions`` at once; the raw outcome."""
    timeout_s = 180.0
    warm = await _round(url, 1, timeout_s)
    print(f"   warm-up session: ok={warm[0].ok} {warm[0].error or ''}", flush=True)
    windows: dict[str, list[Window]] = {"single": [], "load": []}
    single: list[Session] = []
    for _ in range(singles):
        single.extend(await _round(url, 1, timeout_s, windows["single"]))
    await asyncio.sleep(2)
    meter = LoadMeter(pid, "protocol clients (this process)")
    meter.start()
    timed_cpu: list[float] = []
    try:
        loads, walls = await timed_rounds(
            meter,
            rounds,
            lambda: _round(url, sessions, timeout_s, windows["load"], (pid, timed_cpu)),
        )
    finally:
        cpu = meter.finish()
    return {
        "warm": warm,
        "single": single,
        "loads": loads,
        "walls": walls,
        "memory": meter.memory,
        "cpu": cpu,
        "windows": windows,
        "server_cpu_s_timed": timed_cpu,
    }
