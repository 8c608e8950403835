"""Per-install random secrets kept in the data directory (never in the repo)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from core.private_files import FILE_MODE, private_dir, tighten


def read_or_create_secret(path: Path, *, nbytes: int = 32) -> str:
    """The secret stored at ``path``; created with mode 0600 on first use."""
    if path.exists():
        tighten(path, FILE_MODE)  # one written before the data folder was private
        return path.read_text().strip()
    private_dir(path.parent)
    value = secrets.token_urlsafe(nbytes)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value
