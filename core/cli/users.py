"""`dashboard-user`: dashboard sign-ins, roles, passwords and sessions (as the operator)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from core.cli.common import EXIT_OK, Subparsers, open_store
from core.errors import Invalid


def _password_from_stdin(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise Invalid(
            f"dashboard-user {args.user_cmd}: --password-stdin is required "
            "(a password is never given on the command line)"
        )
    return sys.stdin.readline().rstrip("\n")


def cmd_dashboard_user(args: argparse.Namespace) -> int:
    from core.auth import dashboard_sessions as sessions
    from core.auth import dashboard_users as users

    store = open_store()
    if args.user_cmd == "add":
        password = _password_from_stdin(args)
        u = users.add_user(
            store,
            email=args.email,
            role=args.role,
            password=password,
            entities=args.entities,
            name=args.name,
        )
        print(f"added dashboard user {u.email} ({u.role}, entities: {u.entities})")
    elif args.user_cmd == "ensure-owner":
        created = users.ensure_owner(store)
        if created:
            email, password = created
            print("=" * 64)
            print("First dashboard owner created. Shown once; store it now.")
            print("You will be asked to choose a new password at the first sign-in.")
            print(f"  username: {email}")
            print(f"  password: {password}")
            print("=" * 64)
    elif args.user_cmd == "passwd":
        password = _password_from_stdin(args)
        users.set_password(
            store, users.OPERATOR, args.email, password, must_change=args.must_change
        )
        print(f"password of {args.email.strip().lower()} set; their sessions were signed out")
    elif args.user_cmd == "remove":
        users.remove_user(store, users.OPERATOR, args.email)
        print(
            f"removed dashboard user {args.email.strip().lower()}; their sessions were signed out"
        )
    elif args.user_cmd == "set-role":
        u = users.set_role(
            store, users.OPERATOR, args.email, role=args.role, entities=args.entities
        )
        scope = "all" if u.entities is None else ",".join(sorted(u.entities))
        print(f"{u.email} is now {u.role} (entities: {scope})")
    elif args.user_cmd == "sessions":
        email = users.get_user(store, args.email).email  # NotFound: exit 2
        print("\t".join(["id", "created", "last_seen", "expires", "client", "state"]))
        for info in sessions.user_sessions(store, users.OPERATOR, email):
            print(
                "\t".join(
                    [
                        info.id,
                        _minute(info.created_at),
                        _minute(info.last_seen_at),
                        _minute(info.expires_at),
                        info.client or "-",
                        info.state(),
                    ]
                )
            )
    elif args.user_cmd == "revoke":
        email = users.get_user(store, args.email).email
        live = sessions.sign_out_user(store, users.OPERATOR, email)
        print(f"signed out {live} live session{'' if live == 1 else 's'} of {email}")
    else:
        for u in users.list_users(store):
            print(f"{u.email}\t{u.role}\t{u.entities}")
    return EXIT_OK


def _minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    u = sub.add_parser("dashboard-user", help="manage dashboard logins")
    usub = u.add_subparsers(dest="user_cmd", required=True)
    ua = usub.add_parser("add")
    ua.add_argument("email")
    ua.add_argument("--role", required=True)
    ua.add_argument("--entities", default="all", help="'all' or ID,ID")
    ua.add_argument("--name", default="")
    ua.add_argument("--password-stdin", action="store_true")
    usub.add_parser("list")
    usub.add_parser("ensure-owner", help="create the first owner if there is no user")
    up = usub.add_parser("passwd", help="set a user's password (signs out their sessions)")
    up.add_argument("email")
    up.add_argument("--password-stdin", action="store_true")
    up.add_argument(
        "--must-change", action="store_true", help="ask for a new password at the next sign-in"
    )
    ur = usub.add_parser("remove", help="remove a user (never the last owner)")
    ur.add_argument("email")
    us = usub.add_parser("set-role", help="change a user's role and entity scope")
    us.add_argument("email")
    us.add_argument("--role", required=True)
    us.add_argument("--entities", default="all", help="'all' or ID,ID")
    ul = usub.add_parser("sessions", help="list a user's sign-in sessions")
    ul.add_argument("email")
    uv = usub.add_parser("revoke", help="sign a user out everywhere")
    uv.add_argument("email")
    u.set_defaults(func=cmd_dashboard_user)
