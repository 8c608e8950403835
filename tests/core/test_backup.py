"""`backup` / `restore`: a round trip gives back every report, a backup taken under writes is
consistent, a backup that does not match its manifest or a data folder in use is refused."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from core.backup import check_backup, data_in_use, stores
from core.cli.main import main
from core.config import Settings, get_settings
from core.errors import Invalid
from core.ledger.store import open_ledger
from core.reports.registry import BUILDERS
from tests.conftest import BANK, entry

PERIOD = date.today().strftime("%Y-%m")  # the demo's latest month


def run(*args: str) -> int:
    return main(list(args))


def every_report(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """Each report's JSON for the whole portfolio, as `report NAME --format json` prints it
    (but its build time)."""
    capsys.readouterr()
    out = {}
    for name in sorted(BUILDERS):
        args = ["report", name, "--entity", "all", "--period", PERIOD, "--format", "json"]
        assert run(*args) == 0, name
        out[name] = json.loads(capsys.readouterr().out)
        out[name].pop("as_of")  # the instant it was built, not something the data holds
    return out


def test_seed_back_up_delete_restore_and_every_report_is_the_same(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("seed-demo", "--months", "14") == 0
    before = every_report(capsys)
    dest = tmp_path_factory.mktemp("backups") / "monday"
    assert run("backup", str(dest)) == 0
    said = capsys.readouterr().out
    assert f"backed up to {dest}" in said and "ledger.db" in said and "ops.db" in said
    manifest = json.loads((dest / "manifest.json").read_text())
    assert set(manifest["files"]) >= {"ledger.db", "ops.db"}
    assert manifest["files"]["ledger.db"]["tables"]["journal_lines"] > 1000
    assert manifest["files"]["ops.db"]["tables"]  # the demo's charter events came along
    assert (dest.stat().st_mode & 0o777, (dest / "ledger.db").stat().st_mode & 0o777) == (
        0o700,
        0o600,
    )

    shutil.rmtree(data_dir)
    get_settings.cache_clear()
    assert run("restore", str(dest)) == 0
    assert "restored ledger.db" in capsys.readouterr().out
    assert every_report(capsys) == before


def _trial_balance(path: Path) -> tuple[int, int]:
    """(entries, sum of every line) of a ledger file: the sum is 0 when consistent."""
    with sqlite3.connect(path) as conn:
        entries = conn.execute("SELECT count(*) FROM journal_entries").fetchone()[0]
        total = conn.execute("SELECT coalesce(sum(amount_cents), 0) FROM journal_lines").fetchone()
    return entries, total[0]


def test_a_backup_taken_while_entries_are_written_balances(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = open_ledger(get_settings().ledger_url)
    store.add_entity(id="Acme", name="Acme Boats")
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        writing = open_ledger(get_settings().ledger_url)
        while not stop.is_set():
            lines = [(BANK, 5), ("Income:Charters", -3), ("Income:Tips", -2)]  # one entry, 3 lines
            writing.post([entry("Acme", date(2026, 11, 3), "charter", *lines)])
            written[0] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        folder = tmp_path_factory.mktemp("under-load")
        seen = []
        for i in range(5):
            while written[0] < 10 * (i + 1):  # let writes land between backups
                stop.wait(0.01)
            assert run("backup", str(folder / f"b{i}")) == 0
            check_backup(folder / f"b{i}")
            seen.append(_trial_balance(folder / f"b{i}" / "ledger.db"))
    finally:
        stop.set()
        thread.join()
    assert [total for _, total in seen] == [0] * 5
    counts = [n for n, _ in seen]
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0


def acme_then_later(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup holding entity Acme, and a ledger that has gained "Later" since: the
    backup's folder."""
    store = open_ledger(get_settings().ledger_url)
    store.add_entity(id="Acme", name="Acme Boats")
    dest = tmp_path_factory.mktemp("backups") / "b"
    assert run("backup", str(dest)) == 0
    store.add_entity(id="Later", name="Added after the backup")
    return dest


def test_a_backup_that_does_not_match_its_manifest_is_refused(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = acme_then_later(tmp_path_factory)
    with (dest / "ledger.db").open("r+b") as f:  # one flipped byte in the copy
        f.seek(200)
        byte = f.read(1)
        f.seek(200)
        f.write(bytes([byte[0] ^ 0xFF]))
    capsys.readouterr()
    assert run("restore", str(dest)) == 2
    assert "ledger.db: size or checksum differs from the manifest" in capsys.readouterr().err
    assert {e.id for e in open_ledger(get_settings().ledger_url).list_entities()} == {
        "Acme",
        "Later",
    }
    assert run("restore", str(dest.parent)) == 2  # no manifest: not a backup
    assert "not a backup" in capsys.readouterr().err


def test_backup_refuses_a_folder_with_files_in_it(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    open_ledger(get_settings().ledger_url).add_entity(id="Acme", name="Acme")
    busy = tmp_path_factory.mktemp("busy")
    (busy / "notes.txt").write_text("mine")
    assert run("backup", str(busy)) == 2
    assert "not empty" in capsys.readouterr().err


HOLDER = """
import sys, time
from pathlib import Path
from core.backup import hold_data_lock
hold_data_lock(Path(sys.argv[1]))
print("holding", flush=True)
time.sleep(60)
"""


def test_restore_refuses_the_files_of_a_running_dashboard_unless_forced(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = acme_then_later(tmp_path_factory)
    # what app.py does in the dashboard's process, in a process of its own
    dashboard = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert dashboard.stdout is not None and dashboard.stdout.readline() == "holding\n"
        assert data_in_use(data_dir) == f"a running dashboard (pid {dashboard.pid})"
        capsys.readouterr()
        assert run("restore", str(dest)) == 2
        assert f"a running dashboard (pid {dashboard.pid}) uses" in capsys.readouterr().err
        assert len(open_ledger(get_settings().ledger_url).list_entities()) == 2
        assert run("restore", str(dest), "--force") == 0
        assert [e.id for e in open_ledger(get_settings().ledger_url).list_entities()] == ["Acme"]
    finally:
        dashboard.kill()
        dashboard.wait()
    assert data_in_use(data_dir) is None  # the kernel dropped the lock with the process
    assert run("restore", str(dest)) == 0


def test_server_stores_are_named_not_copied(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "EXEC_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgresql+psycopg://u:p@db.example.com/ledger",
            "OPS_BACKEND": "dynamodb",
        }
    )
    files, skipped = stores(settings)
    assert files == {}
    assert "pg_dump" in skipped["ledger"] and "point-in-time" in skipped["ops"]
    with pytest.raises(Invalid, match="no embedded store"):
        from core.backup import backup

        backup(settings, tmp_path / "b")


def test_make_run_says_where_the_data_lives_and_how_to_back_it_up(tmp_path: Path) -> None:
    from core.backup import where

    said = where(Settings.from_env({"EXEC_DATA_DIR": str(tmp_path)}))
    assert f"Your data lives in {tmp_path.resolve()}" in said
    assert f"ledger.db: {tmp_path.resolve() / 'ledger.db'}" in said
    assert "python -m core backup FOLDER" in said and "python -m core restore FOLDER" in said
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "print(where(get_settings()))" in run_target
