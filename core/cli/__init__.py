"""The command line (CONTRACT section 3). Exit 0 ok, 2 bad input (nothing written), 1 failure.

One module per command group (ledger, reports, subscriptions, users, ops, sources); ``main``
builds the parser from them and maps errors to exit codes.
"""

from __future__ import annotations

from core.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
