"""`budget import FILE.csv --entity ID`: the owner's budget, all lines or none."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.common import EXIT_OK, Subparsers, open_store


def cmd_budget_import(args: argparse.Namespace) -> int:
    from core.auth.dashboard_users import OPERATOR
    from core.budgets.records import import_budget

    saved = import_budget(
        open_store(), actor=OPERATOR, source=Path(args.file), entity_id=args.entity
    )
    print(saved.summary())
    return EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    b = sub.add_parser("budget", help="budgets per account group and month")
    bsub = b.add_subparsers(dest="budget_cmd", required=True)
    bi = bsub.add_parser(
        "import",
        help="import a month,account,amount CSV (all or nothing; replaces the months it names)",
    )
    bi.add_argument("file")
    bi.add_argument("--entity", required=True)
    bi.set_defaults(func=cmd_budget_import)
