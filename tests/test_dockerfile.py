"""The dashboard's Dockerfile: read as Docker would, and its exact command run outside Docker.

There is no Docker daemon on the test machines, so the image is never built; what can be
checked is checked: the instructions, the build context, and that the entrypoint and command
the image runs start a healthy dashboard on a fresh data directory (tables and first owner,
no demo data).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools.dynamodb_local import free_port, stop, wait_for_http

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
FIRST_PARTY = {"app", "bench", "core", "dashboard", "devtools", "lambda_app", "tests", "views"}


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword and the rest of its (joined) line."""

    keyword: str
    args: str


def instructions(path: Path = DOCKERFILE) -> list[Instruction]:
    """The instructions, with comments dropped and backslash continuations joined."""
    out: list[Instruction] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        out.append(Instruction(keyword.upper(), args.strip()))
    return out


def only(keyword: str) -> Instruction:
    """The one instruction with ``keyword`` (exactly one is expected)."""
    found = [i for i in instructions() if i.keyword == keyword]
    assert len(found) == 1, f"expected one {keyword}, found {len(found)}"
    return found[0]


def exec_form(args: str) -> list[str]:
    """A JSON (exec form) argument list; shell form would put /bin/sh between Docker's stop
    signal and the server."""
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(a, str) for a in value), args
    return value


def split_flags(args: str) -> tuple[dict[str, str], str]:
    """Leading ``--flag=value`` options of COPY/HEALTHCHECK, and the rest."""
    flags: dict[str, str] = {}
    rest = args
    while rest.startswith("--"):
        token, _, rest = rest.partition(" ")
        name, _, value = token[2:].partition("=")
        flags[name] = value
        rest = rest.lstrip()
    return flags, rest


def env_of_image() -> dict[str, str]:
    """Every ENV the Dockerfile sets (KEY=VALUE form)."""
    env: dict[str, str] = {}
    for ins in instructions():
        if ins.keyword == "ENV":
            for pair in shlex.split(ins.args):
                key, sep, value = pair.partition("=")
                assert sep, f"ENV {pair!r}: use KEY=VALUE"
                env[key] = value
    return env


def copies() -> list[tuple[list[str], str]]:
    """(sources, destination) of every COPY."""
    out = []
    for ins in instructions():
        if ins.keyword == "COPY":
            _, rest = split_flags(ins.args)
            *sources, dest = shlex.split(rest)
            out.append((sources, dest))
    return out


def test_base_is_a_slim_python_image() -> None:
    first = next(i for i in instructions() if i.keyword == "FROM")
    assert re.fullmatch(r"python:3\.\d+-slim(-[a-z]+)?", first.args.split()[0]), first.args
    # one Python everywhere: the Lambda runtime (`make lambda-zip --python`) and the dashboard
    lambda_python = re.search(r"--python\s+(\S+)", (ROOT / "Makefile").read_text())
    assert lambda_python and f"python:{lambda_python.group(1)}-slim" in first.args


def test_runs_as_an_unprivileged_user_set_before_the_command() -> None:
    ins = instructions()
    users = [n for n, i in enumerate(ins) if i.keyword == "USER"]
    assert users, "no USER: the server would run as root"
    user = ins[users[-1]].args.split(":")[0]
    assert user not in {"root", "0"}
    created = [i.args for i in ins[: users[-1]] if i.keyword == "RUN" and "useradd" in i.args]
    assert created and re.search(rf"\buseradd\b.*\b{user}\b", created[0])
    for keyword in ("CMD", "ENTRYPOINT"):
        position = next(n for n, i in enumerate(ins) if i.keyword == keyword)
        assert users[-1] < position, f"USER must come before {keyword}"


def test_healthcheck_asks_streamlit_with_python() -> None:
    flags, rest = split_flags(only("HEALTHCHECK").args)
    assert {"interval", "timeout", "start-period"} <= flags.keys()
    assert rest.startswith("CMD ")
    probe = exec_form(rest[4:])
    assert probe[0] == "python"  # slim images have no curl or wget
    assert "http://127.0.0.1:8501/_stcore/health" in probe[-1]
    assert only("EXPOSE").args == "8501"
    command = exec_form(only("CMD").args)
    assert "--server.port=8501" in command and "--server.address=0.0.0.0" in command
    assert "--server.headless=true" in command
    assert "--browser.gatherUsageStats=false" in command


def test_installs_runtime_requirements_only() -> None:
    runs = [i.args for i in instructions() if i.keyword == "RUN"]
    assert any(re.search(r"pip install (.* )?-r requirements\.txt\b", r) for r in runs)
    assert not any("requirements-dev" in r or "seed-demo" in r for r in runs)
    entrypoint = (ROOT / "devtools" / "docker-entrypoint.sh").read_text()
    assert "seed-demo" not in entrypoint and "ensure-owner" in entrypoint


def _uses(path: Path) -> set[str]:
    """Top-level modules ``path`` imports, and the repository's .py files it names as
    strings (Streamlit pages are run by path, e.g. "views/cfo.py", never imported)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.endswith(".py")
            and (ROOT / node.value).is_file()
        ):
            names.add(node.value.split("/")[0].removesuffix(".py"))
    return names


def test_copies_the_app_and_every_first_party_package_it_imports() -> None:
    copied = {src.rstrip("/").split("/")[0] for sources, _ in copies() for src in sources}
    for banned in (".venv", ".git", "data", "tests", ".env", "dist", "bench"):
        assert banned not in copied, banned
    for sources, _ in copies():
        for src in sources:
            assert (ROOT / src).exists(), f"COPY {src}: no such file in the repository"
    needed: set[str] = {"app"}
    todo = ["app.py"]
    seen: set[Path] = set()
    while todo:  # follow first-party imports from app.py through every package they reach
        target = ROOT / todo.pop()
        files = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for f in files:
            if f in seen:
                continue
            seen.add(f)
            for name in _uses(f) & FIRST_PARTY - needed:
                needed.add(name)
                todo.append(name)
    missing = {"app.py" if n == "app" else n for n in needed} - copied
    assert not missing, f"the dashboard uses {sorted(missing)} but the image lacks them"
    assert ".streamlit" in copied  # the theme and server settings


def test_dockerignore_keeps_local_state_out_of_the_context() -> None:
    lines = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for entry in (".venv", ".git", "data", ".cache", "tests", "dist", ".env", "node_modules"):
        assert entry in lines, entry


def _container_command(port: int) -> list[str]:
    """ENTRYPOINT + CMD as the image runs them, the entrypoint mapped back to its source file
    and only the bind address and port changed (asserting they are where we expect)."""
    [entrypoint, *entry_args] = exec_form(only("ENTRYPOINT").args)
    [source] = [s for sources, dest in copies() if dest == entrypoint for s in sources]
    assert os.access(ROOT / source, os.X_OK), f"{source} is not executable"
    command = exec_form(only("CMD").args)
    swaps = {
        "--server.address=0.0.0.0": "--server.address=127.0.0.1",
        "--server.port=8501": f"--server.port={port}",
    }
    assert set(swaps) <= set(command)
    return [str(ROOT / source), *entry_args, *[swaps.get(a, a) for a in command]]


def _image_env(data_dir: Path) -> dict[str, str]:
    """This environment with the image's ENV on top, data in ``data_dir``, and the venv's
    python and streamlit first on PATH (the image's are on its PATH)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "OPS_"))}
    env.update(env_of_image())
    assert env["EXEC_DATA_DIR"] == "/data"
    env["EXEC_DATA_DIR"] = str(data_dir)
    env["MPLCONFIGDIR"] = str(data_dir / "mpl")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_image_command_starts_a_healthy_dashboard_without_demo_data(tmp_path: Path) -> None:
    port = free_port()
    env = _image_env(tmp_path)
    log_path = tmp_path / "container.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            _container_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            alive = lambda: proc.poll() is None  # noqa: E731
            if not wait_for_http(url, timeout=90, starting=alive, body=b"ok"):
                pytest.fail("the dashboard never became healthy:\n" + log_path.read_text())
        finally:
            stop(proc)  # type: ignore[arg-type]
    first_start = log_path.read_text()
    assert "First dashboard owner created" in first_start
    assert re.search(r"password: \S{12,}", first_start)

    ledger = subprocess.run(
        [sys.executable, "-m", "core", "entity", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ledger.stdout.strip() == "", "the container must not seed the demo portfolio"

    # a restart prints no password again and still runs the command it is given
    again = subprocess.run(
        [_container_command(port)[0], "python", "-c", "print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "password" not in again.stdout and again.stdout.strip().endswith("started")
