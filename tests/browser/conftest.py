"""A real Streamlit server on a free loopback port, and headless Chromium driving it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools.dynamodb_local import free_port, stop, wait_for_http
from devtools.fake_stripe import FakeStripe, balance_transaction, fake_stripe

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"
USERS = {
    "owner@example.com": ("owner", "all"),
    "dump@example.com": ("cfo", "QuickDumpNow"),
    "cto@example.com": ("cto", "all"),
}
SHOTS = Path(__file__).with_name("screenshots")


@dataclass(frozen=True)
class Server:
    """The running dashboard and the data directory behind it."""

    url: str
    data_dir: Path

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """Run `python -m core ...` against this server's ledger."""
        env = {**os.environ, "EXEC_DATA_DIR": str(self.data_dir)}
        done = subprocess.run(
            [sys.executable, "-m", "core", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def cfo_json(self, entity: str, period: str) -> dict[str, dict]:
        """The core's CFO KPIs by id."""
        data = json.loads(
            self.cli("report", "cfo", "--entity", entity, "--period", period, "--format", "json")
        )
        return {k["id"]: k for k in data["kpis"]}


STRIPE_KEY = "sk_" + "test_" + "browser" * 4  # built at runtime: the secret scan reads tests


@pytest.fixture(scope="session")
def stripe_server() -> Iterator[FakeStripe]:
    """A Stripe-shaped server holding a week of charges and a payout, for /data's sync."""
    start = int(time.time()) - 7 * 86400
    with fake_stripe(STRIPE_KEY) as fake:
        fake.add(
            *[
                balance_transaction(f"txn_b{i}", start + 3600 * i, 25_000, fee=755)
                for i in range(11)
            ],
            balance_transaction("txn_bpayout", start + 3600 * 12, -100_000, type="payout"),
        )
        yield fake


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, stripe_server: FakeStripe) -> Iterator[Server]:
    """Seeded ledger, three users, and `streamlit run app.py` until the session ends."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    srv = Server(url="", data_dir=data_dir)
    srv.cli("seed-demo", "--months", "24")
    for email, (role, entities) in USERS.items():
        srv.cli(
            "dashboard-user",
            "add",
            email,
            "--role",
            role,
            "--entities",
            entities,
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
    env = {"STRIPE_API_KEY": STRIPE_KEY, "STRIPE_API_BASE": stripe_server.base}
    with streamlit_server(data_dir, env) as url:
        yield Server(url=url, data_dir=data_dir)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[Server]:
    """A server over an empty data folder with one owner and nothing else."""
    data_dir = tmp_path_factory.mktemp("first-run")
    Server(url="", data_dir=data_dir).cli(
        "dashboard-user",
        "add",
        "owner@example.com",
        "--role",
        "owner",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    with streamlit_server(data_dir) as url:
        # the first session of a server can lose a deep link: open one before the tests
        warm = browser.new_context()  # type: ignore[attr-defined]
        page = warm.new_page()
        page.goto(url + "/businesses")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        warm.close()
        yield Server(url=url, data_dir=data_dir)


@contextmanager
def demo_server_of_its_own(
    tmp_path_factory: pytest.TempPathFactory, browser: object, name: str, months: int, warm: str
) -> Iterator[Server]:
    """A server of its own (its emails and locks are counted apart from the shared one): the
    demo over ``months``, an owner and a CFO scoped to QuickDumpNow, warmed on ``warm``."""
    data_dir = tmp_path_factory.mktemp(name)
    srv = Server(url="", data_dir=data_dir)
    srv.cli("seed-demo", "--months", str(months))
    for email in ("owner@example.com", "dump@example.com"):
        role, entities = USERS[email]
        srv.cli("dashboard-user", "add", email, "--role", role, "--entities", entities,
                "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    with streamlit_server(data_dir) as url:
        # the first session of a server can lose a deep link: open one before the tests
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(url + warm)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        context.close()
        yield Server(url=url, data_dir=data_dir)


@contextmanager
def streamlit_server(data_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` over ``data_dir`` on a free port; yields its URL."""
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
        env={**os.environ, "EXEC_DATA_DIR": str(data_dir), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        health = f"{url}/_stcore/health"
        if not wait_for_http(health, starting=lambda: proc.poll() is None, body=b"ok"):
            pytest.fail("Streamlit never came up:\n" + (data_dir / "streamlit.log").read_text())
        yield url
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (make test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


_WARMED: set[str] = set()


@pytest.fixture(autouse=True)
def warm_server(request: pytest.FixtureRequest) -> None:
    """Open the app once before the tests: the first session a fresh Streamlit server serves
    can lose a deep link's page (it registers the pages on that first run), which real users
    meet once per restart and tests would meet at random."""
    if "server" not in request.fixturenames:
        return
    server: Server = request.getfixturevalue("server")
    if server.url in _WARMED:
        return
    _WARMED.add(server.url)
    browser = request.getfixturevalue("browser")
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server.url + "/cfo")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    context.close()
