"""Start a throwaway PostgreSQL cluster (Debian's, `make postgres`) on a free loopback port.

PostgreSQL refuses to run as root, so when we are root the cluster is created and run as the
``postgres`` system user (``runuser``) in a temp directory it owns. Trust authentication on
127.0.0.1 only, fsync off: this is for tests and benchmarks, never for data you keep.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.dynamodb_local import free_port, wait_for_port

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SUPERUSER = "postgres"


class NotInstalled(RuntimeError):
    """The PostgreSQL server binaries are missing."""


def bin_dir() -> Path:
    """The newest installed PostgreSQL server's bin directory; NotInstalled if there is none."""
    found = [Path(d) for d in glob.glob(BIN_GLOB) if (Path(d) / "initdb").exists()]
    if not found:
        raise NotInstalled("PostgreSQL is not installed: run `make postgres`")
    return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)


def server_version() -> str:
    """The installed server's version, e.g. ``15.18``."""
    out = subprocess.run(
        [str(bin_dir() / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout  # "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    found = re.search(r"\(PostgreSQL\) (\S+)", out)
    return found.group(1) if found else out.strip()


def _as_owner(cmd: list[str]) -> list[str]:
    """``cmd`` run as the postgres system user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SUPERUSER, "--", *cmd]
    return cmd


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(_as_owner(cmd), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed: {proc.stderr.strip() or proc.stdout}")


@contextmanager
def postgres_server(*, timezone: str = "UTC") -> Iterator[str]:
    """Run a fresh cluster; yields ``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``.

    ``timezone`` is the server's default session time zone (tests pick one that is not UTC).
    """
    bins = bin_dir()
    root = Path(tempfile.mkdtemp(prefix="pg-test-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SUPERUSER)
        root.chmod(0o755)  # the postgres user must reach its data directory
        for path in (root, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = free_port()
    started = False
    try:
        _run(
            [
                str(bins / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        # trust on loopback TCP only (and the private socket directory below)
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            f" -c max_connections=100 -c timezone={timezone}"
        )
        _run(
            [
                str(bins / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        started = True
        if not wait_for_port(port):
            raise RuntimeError("PostgreSQL did not accept connections")
        yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"
    except RuntimeError as exc:
        log = root / "server.log"
        if log.exists() and not started:
            raise RuntimeError(f"{exc}\n{log.read_text()[-2000:]}") from exc
        raise
    finally:
        if started:
            subprocess.run(
                _as_owner([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)
