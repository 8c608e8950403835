"""`backup DEST` and `restore SRC [--force]`: the embedded stores, copied and checked."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from core.cli.common import EXIT_OK, Subparsers
from core.config import get_settings

logger = logging.getLogger(__name__)


def _summary(files: dict[str, dict[str, object]]) -> str:
    parts = []
    for name, entry in files.items():
        tables = entry.get("tables")
        rows = f", {sum(tables.values()):,} rows" if isinstance(tables, dict) else ""
        parts.append(f"{name} ({int(str(entry['bytes'])):,} bytes{rows})")
    return ", ".join(parts)


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the ledger and ops store (when SQLite) into DEST with a manifest."""
    from core.backup import backup

    started = time.perf_counter()
    done = backup(get_settings(), Path(args.dest))
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    logger.info("backup ok", extra={"action": "backup", "who": "cli", "duration_ms": elapsed})
    print(f"backed up to {done.folder}: {_summary(done.manifest['files'])}")
    for store, why in done.skipped.items():
        print(f"not copied: {store}: {why}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Check SRC against its manifest and copy it over the data folder."""
    from core.backup import restore

    started = time.perf_counter()
    done = restore(get_settings(), Path(args.src), force=args.force)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    logger.info("restore ok", extra={"action": "restore", "who": "cli", "duration_ms": elapsed})
    taken = done.manifest["created_at"]
    print(f"restored {_summary(done.manifest['files'])} from {args.src} (taken {taken})")
    return EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    b = sub.add_parser(
        "backup", help="copy the SQLite ledger and ops store into a new folder, with a manifest"
    )
    b.add_argument("dest", help="a new (or empty) folder")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser(
        "restore", help="check a backup against its manifest and restore it into EXEC_DATA_DIR"
    )
    r.add_argument("src", help="a folder written by `backup`")
    r.add_argument(
        "--force", action="store_true", help="restore even though a running dashboard uses the data"
    )
    r.set_defaults(func=cmd_restore)
