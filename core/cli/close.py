"""`close status`, `close lock` and `close unlock`: the month-end close of each entity."""

from __future__ import annotations

import argparse
import json
import sys

from core.cli.common import EXIT_BAD_INPUT, EXIT_OK, Subparsers, open_store
from core.periods import parse_period


def cmd_close_status(args: argparse.Namespace) -> int:
    """Print each entity's checks and lock state for the month."""
    from core.auth.dashboard_users import OPERATOR
    from core.close.status import close_status

    data = close_status(open_store(), OPERATOR, args.entity, parse_period(args.period))
    if args.format == "json":
        print(json.dumps(data, indent=2))
        return EXIT_OK
    for ent in data["entities"]:
        lock = ent["locked"]
        state = f"locked through {lock['through']} by {lock['locked_by']}" if lock else "open"
        print(f"{ent['entity_id']}  {data['period']}  {ent['status'].upper()}  ({state})")
        for c in ent["checks"]:
            print(f"  {c['status']:<5} {c['id']:<17} {c['summary']}")
    found = data["anomalies"]
    print(f"{len(found)} open anomal{'y' if len(found) == 1 else 'ies'} in {data['period']}")
    for a in found:
        print(f"  {a['id']}  {a['date']}  {a['entity']}  {a['message']}")
    return EXIT_OK


def cmd_close_lock(args: argparse.Namespace) -> int:
    """Lock a month; exit 2 while a check fails (unless --force --reason)."""
    from core.auth.dashboard_users import OPERATOR
    from core.close.locks import lock_period

    if args.force and not (args.reason or "").strip():
        print("error: --force needs --reason TEXT", file=sys.stderr)
        return EXIT_BAD_INPUT
    outcome = lock_period(
        open_store(),
        OPERATOR,
        args.entity,
        parse_period(args.period),
        force=args.force,
        reason=args.reason or "",
    )
    forced = " (forced)" if outcome.action == "force_lock" else ""
    print(f"locked {args.entity} through {args.period}{forced}")
    return EXIT_OK


def cmd_close_unlock(args: argparse.Namespace) -> int:
    """Unlock a month (owner only, with a reason)."""
    from core.auth.dashboard_users import OPERATOR
    from core.close.locks import unlock_period

    unlock_period(
        open_store(), OPERATOR, args.entity, parse_period(args.period), reason=args.reason
    )
    print(f"unlocked {args.entity} {args.period}")
    return EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add the `close` command and its subcommands."""
    close = sub.add_parser("close", help="month-end close: checks, period lock, audit log")
    cs = close.add_subparsers(dest="close_command", required=True)
    st = cs.add_parser("status", help="each check's status and the lock state of a month")
    st.add_argument("--entity", required=True, help="an entity id, or all")
    st.add_argument("--period", required=True, help="YYYY-MM")
    st.add_argument("--format", choices=["text", "json"], default="text")
    st.set_defaults(func=cmd_close_status)
    lk = cs.add_parser("lock", help="lock a month and every earlier one (owner, cfo, accountant)")
    lk.add_argument("--entity", required=True)
    lk.add_argument("--period", required=True, help="YYYY-MM")
    lk.add_argument("--force", action="store_true", help="lock although a check fails")
    lk.add_argument("--reason", help="why (required with --force)")
    lk.set_defaults(func=cmd_close_lock)
    ul = cs.add_parser("unlock", help="unlock a month (owner only)")
    ul.add_argument("--entity", required=True)
    ul.add_argument("--period", required=True, help="YYYY-MM")
    ul.add_argument("--reason", required=True, help="why it is reopened")
    ul.set_defaults(func=cmd_close_unlock)
