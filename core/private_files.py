"""The data folder is private to the user the platform runs as: folders 0700, files 0600.

It holds the ledger, the ops store, outbox mails carrying live login links and the local
secrets, so nothing in it is created with the process umask's usual 0755/0644. SQLite gives a
database's ``-wal``, ``-shm`` and ``-journal`` files the mode of the database file itself, so
creating that file 0600 before SQLite opens it keeps its companions private as well. Folders and
files made before this rule existed are tightened when the platform next opens them.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def tighten(path: Path, mode: int) -> None:
    """Set ``mode`` on an existing path we own when it grants more (never widens, never fails
    on a path owned by someone else)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & ~mode == 0:
        return
    os.chmod(path, stat.S_IMODE(info.st_mode) & mode)


def _shared(folder: Path) -> bool:
    """A sticky folder (/tmp, /var/tmp) is shared by every user: never ours to tighten."""
    try:
        return bool(folder.stat().st_mode & stat.S_ISVTX)
    except FileNotFoundError:
        return False


def private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents with mode 0700, or tighten it if it exists."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.mkdir(folder, DIR_MODE)
    # an existing folder is the data folder of an older install, unless it is the working or
    # home directory (e.g. DATABASE_URL=sqlite:///ledger.db) or a shared sticky folder such as
    # /tmp (DATABASE_URL=sqlite:////tmp/x.db), which hold more than our files
    if path.resolve() not in {Path.cwd().resolve(), Path.home().resolve()} and not _shared(path):
        tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create an empty ``path`` with mode 0600 in a private folder, or tighten it if it exists."""
    path = Path(path)
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        tighten(path, FILE_MODE)
    return path


def private_sqlite(path: Path) -> Path:
    """Make a SQLite database file (and any companions already there) private before use."""
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        tighten(path.with_name(path.name + suffix), FILE_MODE)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600 (a new file, or an existing one replaced)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), FILE_MODE)
        f.write(data)


def append_private(path: Path, text: str) -> None:
    """Append ``text`` to ``path``, created with mode 0600 if missing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(text)
