"""What every command shares: exit codes and the ledger it works on."""

from __future__ import annotations

import argparse

from core.config import get_settings
from core.ledger.store import LedgerStore, open_ledger

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
# what `add_subparsers()` returns: each command group adds its commands to it
Subparsers = argparse._SubParsersAction


def open_store() -> LedgerStore:
    """The configured ledger (DATABASE_URL, or SQLite in EXEC_DATA_DIR)."""
    return open_ledger(get_settings().ledger_url)
