"""`ops-init` and `ops-admin`: the charter operations store and its admins."""

from __future__ import annotations

import argparse

from core.cli.common import EXIT_OK, Subparsers
from core.config import get_settings


def cmd_ops_init(args: argparse.Namespace) -> int:
    from core.ops.factory import open_ops

    settings = get_settings()
    backend = open_ops(settings).backend
    where = settings.ops_table if backend == "dynamodb" else settings.exec_data_dir / "ops.db"
    print(f"ops store ready ({backend}: {where})")
    return EXIT_OK


def cmd_ops_admin(args: argparse.Namespace) -> int:
    from core.ops_access.wiring import build_ops_access

    invitation = build_ops_access(get_settings()).access.admin_link(args.email, args.name)
    until = f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC"
    print(f"ops admin {invitation.user.email}: one-time link, valid until {until}")
    print(invitation.link)
    return EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    o = sub.add_parser("ops-init", help="create the ops store if missing (safe to re-run)")
    o.set_defaults(func=cmd_ops_init)
    oa = sub.add_parser("ops-admin", help="create or re-invite an ops admin; prints a login link")
    oa.add_argument("email")
    oa.add_argument("--name", default="")
    oa.set_defaults(func=cmd_ops_admin)
