"""What every command shares: exit codes, the ledger it works on, and sending or printing a
report."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from core.config import Settings, get_settings
from core.ledger.store import LedgerStore, open_ledger

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
# what `add_subparsers()` returns: each command group adds its commands to it
Subparsers = argparse._SubParsersAction


def open_store() -> LedgerStore:
    """The configured ledger (DATABASE_URL, or SQLite in EXEC_DATA_DIR)."""
    return open_ledger(get_settings().ledger_url)


def send_request(
    store: LedgerStore,
    settings: Settings,
    request: Any,
    to: list[str],
    *,
    attach: list[str] | tuple[str, ...] = (),
) -> int:
    """Email the requested report (MAIL_BACKEND), with ``attach``'s files, and say how it
    went; the exit code."""
    from core.delivery.reports import send_report
    from core.delivery.senders import make_sender

    log = send_report(store, make_sender(settings), settings, request, to=to, attach=tuple(attach))
    if log.status != "sent":
        print(f"failed: {log.error}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"sent {log.subject!r} to {log.recipients} via {log.backend} ({log.message_id})")
    return EXIT_OK


def print_report(store: LedgerStore, report: Any, fmt: str) -> int:
    """Print a built report as JSON, HTML or text; the exit code."""
    if fmt == "json":
        print(json.dumps(report.to_dict(), indent=2))
    elif fmt == "html":
        from core.reports.email import render_email

        print(render_email(report, demo=store.has_demo_data()).preview_html())
    else:
        from core.reports.text import render_text

        print(render_text(report), end="")
    return EXIT_OK
