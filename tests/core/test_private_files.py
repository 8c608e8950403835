"""The data folder is private: folders 0700 and files 0600 (ledger, ops store, their SQLite
-wal/-shm files, outbox mails, local secrets), even under the usual umask of 022."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from core.config import Settings
from core.delivery.message import Outgoing
from core.delivery.senders import OutboxSender
from core.ledger.store import LedgerStore
from core.local_secrets import read_or_create_secret
from core.ops.factory import open_ops
from tests.conftest import BANK, entry


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def modes(folder: Path) -> dict[str, int]:
    """Mode bits of the folder and of everything under it, by relative path."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_everything_the_platform_writes_in_the_data_folder_is_private(tmp_path: Path) -> None:
    settings = Settings(exec_data_dir=tmp_path / "data")
    ledger = LedgerStore(settings.ledger_url)
    ledger.create_all()
    ledger.add_entity(id="a", name="A")
    ledger.post([entry("a", date(2026, 1, 2), "fuel", (BANK, -10), ("Expenses:Fuel", 10))])
    ops = open_ops(settings).service
    ops_db = settings.exec_data_dir / "ops.db"
    with sqlite3.connect(ops_db) as reader:  # an open reader keeps the ops WAL files in place
        reader.execute("SELECT count(*) FROM users").fetchone()
        ops.add_user(email="boss@example.com", name="Boss", role="admin")
        OutboxSender(settings.outbox_dir).send(
            Outgoing(sender="a@example.com", to=["b@example.com"], subject="link", text="x")
        )
        read_or_create_secret(settings.exec_data_dir / ".jwt_secret")
        found = modes(settings.exec_data_dir)
    names = set(found)
    assert {"ledger.db", "ledger.db-wal", "ledger.db-shm", "ops.db-wal", "ops.db-shm"} <= names
    assert {"outbox", "outbox/index.jsonl", ".jwt_secret"} <= names
    assert any(n.endswith(".eml") for n in names)
    folders = {n for n in names if (settings.exec_data_dir / n).is_dir()}
    assert {n: oct(m) for n, m in found.items() if n in folders} == {n: oct(0o700) for n in folders}
    assert {n: oct(m) for n, m in found.items() if n not in folders} == {
        n: oct(0o600) for n in names - folders
    }


def test_a_folder_and_files_made_before_are_tightened_when_opened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    LedgerStore(f"sqlite:///{data}/ledger.db").create_all()
    os.chmod(data / "ledger.db", 0o644)
    os.chmod(data, 0o755)
    LedgerStore(f"sqlite:///{data}/ledger.db")
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "ledger.db").stat().st_mode) == 0o600


def test_the_working_directory_is_never_tightened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.chmod(tmp_path, 0o755)
    monkeypatch.chdir(tmp_path)
    LedgerStore("sqlite:///ledger.db").create_all()
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "ledger.db").stat().st_mode) == 0o600


def test_a_shared_sticky_folder_such_as_tmp_is_never_tightened(tmp_path: Path) -> None:
    # DATABASE_URL=sqlite:////tmp/ledger.db once turned /tmp into 0700 for every other user
    shared = tmp_path / "tmp"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    LedgerStore(f"sqlite:///{shared / 'ledger.db'}").create_all()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "ledger.db").stat().st_mode) == 0o600
