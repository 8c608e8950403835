"""Screenshots of every dashboard page on a laptop and a phone, and what each first screen shows.

    python -m devtools.screenshots OUT_DIR [--pages ceo,cfo] [--sizes 1440x900,390x844]

Seeds the demo into a temporary data folder, starts the dashboard on a free loopback port,
signs in as the owner and, for each page and viewport, saves ``<page>-<w>x<h>.png`` (the first
screen) and ``<page>-<w>x<h>-full.png`` (the whole page), then writes ``first-screens.md``: the
text of every element visible without scrolling, the list a release note quotes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.dynamodb_local import free_port, stop, wait_for_http

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "owner@example.com"
PASSWORD = "correct-horse-battery"
PAGES = (
    *("ceo", "cfo", "forecast", "accounting", "cmo", "cto", "rental", "yacht-delivery"),
    *("client-billing", "operations", "reports", "alerts", "data", "records", "close"),
    *("users", "businesses"),
)
SIZES = ((1440, 900), (390, 844))
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stStatusWidgetRunningIcon"]'
NO_SKELETON = "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"
# the text of each element of the main area that is on the first screen, in page order
FIRST_SCREEN_JS = """() => {
  const out = [];
  const h = window.innerHeight;
  for (const el of document.querySelectorAll(
      '[data-testid="stMain"] [data-testid="stElementContainer"]')) {
    const r = el.getBoundingClientRect();
    if (r.height === 0 || r.top >= h || r.bottom <= 0) continue;
    if (el.querySelector('[data-testid="stElementContainer"]')) continue;  // leaves only
    const text = el.innerText.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text.slice(0, 120));
  }
  return out;
}"""


def _cli(data_dir: Path, *args: str, stdin: str | None = None) -> None:
    env = {**os.environ, "EXEC_DATA_DIR": str(data_dir)}
    subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, env=env, input=stdin, check=True, text=True
    )


@contextmanager
def demo_dashboard(data_dir: Path) -> Iterator[str]:
    """The demo ledger with one owner, served by ``streamlit run app.py``; yields its URL."""
    _cli(data_dir, "seed-demo", "--months", "24")
    _cli(
        data_dir,
        "dashboard-user",
        "add",
        EMAIL,
        "--role",
        "owner",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    port = free_port()
    log = (data_dir / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "EXEC_DATA_DIR": str(data_dir)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_http(f"{url}/_stcore/health", starting=lambda: proc.poll() is None):
            raise SystemExit("the dashboard never came up: " + str(data_dir / "streamlit.log"))
        yield url
    finally:
        stop(proc)
        log.close()


def _settle(page: object) -> None:
    page.wait_for_timeout(400)  # type: ignore[attr-defined]
    page.wait_for_selector(IDLE, timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_selector(RUNNING, state="detached", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_function(NO_SKELETON, timeout=30_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(800)  # type: ignore[attr-defined]  # charts draw after the run


def shoot(url: str, out: Path, pages: list[str], sizes: list[tuple[int, int]]) -> str:
    """Screenshot ``pages`` at ``sizes`` into ``out``; returns the first-screens Markdown."""
    from playwright.sync_api import sync_playwright

    lines = ["# What each page shows on its first screen", ""]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        for width, height in sizes:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(url + "/ceo")
            _settle(page)
            page.get_by_role("textbox", name="Email").fill(EMAIL)
            page.get_by_role("textbox", name="Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            _settle(page)  # signed in once the stay-signed-in cookie is written
            page.wait_for_function("document.cookie.includes('exec_platform_session')")
            for name in pages:
                page.goto(f"{url}/{name}")
                _settle(page)
                stem = out / f"{name}-{width}x{height}"
                page.screenshot(path=f"{stem}.png")
                page.screenshot(path=f"{stem}-full.png", full_page=True)
                shown = page.evaluate(FIRST_SCREEN_JS)
                lines += [f"## /{name} at {width}x{height}", ""]
                lines += [f"- {text}" for text in shown] or ["- (nothing)"]
                lines.append("")
            context.close()
        browser.close()
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run the demo dashboard and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES))
    args = parser.parse_args(argv)
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, demo_dashboard(Path(tmp)) as url:
        text = shoot(url, args.out, args.pages.split(","), sizes)  # type: ignore[arg-type]
    (args.out / "first-screens.md").write_text(text + "\n")
    print(f"wrote {args.out}/first-screens.md")


if __name__ == "__main__":
    main()
