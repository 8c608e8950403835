"""The top of the command line: the parser of every command group, and the exit code mapping."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core.cli import (
    alerts,
    anomalies,
    backup,
    budgets,
    close,
    forecast,
    ledger,
    ops,
    reports,
    sources,
    subscriptions,
    users,
)
from core.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE
from core.errors import DomainError, Unavailable
from core.logs import configure_logging

GROUPS = (
    ledger,
    reports,
    subscriptions,
    alerts,
    users,
    ops,
    sources,
    forecast,
    budgets,
    close,
    anomalies,
    backup,
)  # the order `--help` lists them


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree of every command."""
    p = argparse.ArgumentParser(prog="python -m core", description="Portfolio executive platform")
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_parsers(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    configure_logging()  # LOG_LEVEL / LOG_FORMAT, to stderr; stdout stays the command's own
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except Unavailable as exc:  # a service failed: not the caller's input
        print(f"failed: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # last resort: a clear line, exit 1
        print(f"failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
