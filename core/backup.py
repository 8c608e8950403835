"""Back up and restore the embedded stores: the SQLite ledger and the SQLite ops store.

``backup`` copies each database with SQLite's online backup API (a consistent snapshot even
while the dashboard writes) into a new folder, with ``manifest.json``: when, and per file its
size, SHA-256 and the row count of every table. ``restore`` checks a backup against its
manifest (sizes, checksums, integrity, row counts) before it writes anything, refuses a data
folder a running dashboard holds (``hold_data_lock``) unless forced, and copies the databases
back with the same API (so a leftover ``-wal`` file can never be replayed onto them).

PostgreSQL and DynamoDB are not copied here: pg_dump / the provider's point-in-time recovery
and DynamoDB's point-in-time recovery do that (docs/backup.md); the manifest says they were
skipped.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from core.config import Settings
from core.errors import Conflict, Invalid
from core.private_files import private_dir, private_sqlite, write_private

MANIFEST = "manifest.json"
FORMAT = 1
LOCK_FILE = "dashboard.lock"
SECRET_FILES = (".jwt_secret",)  # the local JWT key: crew sign-ins survive a restore
_held: dict[Path, IO[str]] = {}  # data folder -> the open lock file this process holds


@dataclass(frozen=True)
class BackupResult:
    """What a backup or a restore did: the folder, its manifest and what was skipped."""

    folder: Path
    manifest: dict[str, Any]
    skipped: dict[str, str] = field(default_factory=dict)


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL; None for any other database."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


def stores(settings: Settings) -> tuple[dict[str, Path], dict[str, str]]:
    """(name -> SQLite file to copy, name -> why it is not copied here)."""
    files: dict[str, Path] = {}
    skipped: dict[str, str] = {}
    ledger = sqlite_path(settings.ledger_url)
    if ledger is None:
        skipped["ledger"] = "PostgreSQL: back it up with pg_dump or point-in-time recovery"
    else:
        files["ledger.db"] = ledger
    if settings.ops_backend == "dynamodb":
        skipped["ops"] = "DynamoDB: the table's point-in-time recovery keeps it"
    else:
        files["ops.db"] = settings.exec_data_dir / "ops.db"
    return files, skipped


def where(settings: Settings) -> str:
    """Where the data lives and how to back it up, for `make run` to print."""
    files, skipped = stores(settings)
    lines = [f"Your data lives in {settings.exec_data_dir.resolve()}"]
    lines += [f"  {name}: {path.resolve()}" for name, path in files.items()]
    lines += [f"  {name}: {why}" for name, why in skipped.items()]
    if files:
        lines.append(
            "Back it up (safe while the dashboard runs): python -m core backup FOLDER; "
            "restore: python -m core restore FOLDER (docs/backup.md)"
        )
    return "\n".join(lines)


def sha256(path: Path) -> str:
    """The file's SHA-256 in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table of a SQLite file (read-only)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def _copy_database(source: Path, target: Path, *, standalone: bool) -> None:
    """Copy with the online backup API: one step, under one read transaction, so the copy
    is the database as it was at one instant whatever other connections write meanwhile.
    ``standalone``: leave the copy in rollback-journal mode, one file with nothing beside it."""
    private_sqlite(target)  # 0600 before SQLite creates it (and its -wal, -shm)
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        if standalone:
            dst.execute("PRAGMA journal_mode=DELETE")


def _describe(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": sha256(path)}


def backup(settings: Settings, dest: Path, *, now: datetime | None = None) -> BackupResult:
    """Copy the embedded stores into ``dest`` (new or empty) with a manifest."""
    files, skipped = stores(settings)
    for name, path in list(files.items()):
        if not path.exists():  # e.g. no charter operations yet: nothing of it to keep
            skipped[name.removesuffix(".db")] = f"{path} does not exist yet"
            del files[name]
    if not files:
        raise Invalid("no embedded store to back up", problems=list(skipped.values()))
    if dest.exists() and any(dest.iterdir()):
        raise Invalid(f"{dest} is not empty: back up into a new folder")
    private_dir(dest)
    entries: dict[str, Any] = {}
    for name, source in files.items():
        _copy_database(source, dest / name, standalone=True)
        entries[name] = {**_describe(dest / name), "tables": row_counts(dest / name)}
    for name in SECRET_FILES:
        source = settings.exec_data_dir / name
        if source.exists():
            write_private(dest / name, source.read_bytes())
            entries[name] = _describe(dest / name)
    manifest = {
        "format": FORMAT,
        "created_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "source": str(settings.exec_data_dir.resolve()),
        "files": entries,
        "skipped": skipped,
    }
    write_private(dest / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    return BackupResult(dest, manifest, skipped)


def check_backup(src: Path) -> dict[str, Any]:
    """The backup's manifest once every file matches it; Invalid listing every mismatch."""
    try:
        manifest = json.loads((src / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise Invalid(f"{src} has no readable {MANIFEST}: not a backup") from exc
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise Invalid(f"{src / MANIFEST} is not a backup manifest this version reads")
    problems = []
    for name, entry in manifest["files"].items():
        path = src / name
        if Path(name).name != name or not path.is_file():
            problems.append(f"{name}: missing")
            continue
        if path.stat().st_size != entry.get("bytes") or sha256(path) != entry.get("sha256"):
            problems.append(f"{name}: size or checksum differs from the manifest")
            continue
        if "tables" in entry:
            if _integrity(path) != "ok":
                problems.append(f"{name}: SQLite integrity check failed")
            elif row_counts(path) != entry["tables"]:
                problems.append(f"{name}: row counts differ from the manifest")
    if problems:
        raise Invalid(
            "the backup does not match its manifest; nothing was restored", problems=problems
        )
    return manifest


def hold_data_lock(data_dir: Path) -> None:
    """Mark ``data_dir`` as in use by this process (the dashboard calls it): a shared lock
    the kernel drops when the process ends, so a crashed dashboard never leaves it behind."""
    data_dir = Path(data_dir).resolve()
    if data_dir in _held:
        return
    private_dir(data_dir)
    handle = (data_dir / LOCK_FILE).open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:  # a restore holds it exclusively right now: the next run tries again
        handle.close()
        return
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    _held[data_dir] = handle


def data_in_use(data_dir: Path) -> str | None:
    """Who holds ``data_dir`` (e.g. "a running dashboard (pid 123)"), or None when free."""
    path = Path(data_dir) / LOCK_FILE
    if not path.exists():
        return None
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            pid = handle.read().strip()
            return f"a running dashboard (pid {pid or 'unknown'})"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def restore(settings: Settings, src: Path, *, force: bool = False) -> BackupResult:
    """Check ``src`` against its manifest, then copy it over the configured data folder."""
    manifest = check_backup(src)
    files, skipped = stores(settings)
    targets = {**files, **{n: settings.exec_data_dir / n for n in SECRET_FILES}}
    unknown = [n for n in manifest["files"] if n not in targets]
    if unknown:
        raise Invalid(
            "this setup has no place for some files of the backup",
            problems=[
                f"{n}: {skipped.get(n.removesuffix('.db'), 'not stored here')}" for n in unknown
            ],
        )
    holder = data_in_use(settings.exec_data_dir)
    if holder and not force:
        raise Conflict(
            f"{holder} uses {settings.exec_data_dir}: stop it first, or pass --force "
            "(its open pages may then show the old data until reloaded)"
        )
    private_dir(settings.exec_data_dir)
    for name in manifest["files"]:
        target = targets[name]
        if "tables" in manifest["files"][name]:
            _copy_database(src / name, target, standalone=False)
        else:
            write_private(target, (src / name).read_bytes())
    return BackupResult(settings.exec_data_dir, manifest, skipped)
