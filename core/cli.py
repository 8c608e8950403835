"""The command line (CONTRACT section 3). Exit 0 ok, 2 bad input (nothing written), 1 failure."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from core.config import get_settings
from core.errors import DomainError, Invalid, Unavailable
from core.instants import parse_aware
from core.ledger.store import LedgerStore, open_ledger
from core.periods import format_period, parse_period

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def _store() -> LedgerStore:
    return open_ledger(get_settings().ledger_url)


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from core.demo import seed_demo

    store = _store()
    if args.if_empty and not store.is_empty():
        print("ledger already has data; demo not seeded")
        return EXIT_OK
    today = datetime.now(get_settings().tz).date()

    def progress(done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        bar = "#" * (30 * done // total)
        print(f"\rseeding [{bar:<30}] {done}/{total} months", end="", file=sys.stderr, flush=True)

    stats = seed_demo(
        store,
        months=args.months,
        scale=args.scale,
        today=today,
        force=args.force,
        progress=progress,
    )
    print(file=sys.stderr)
    print(
        f"seeded {stats.entities} demo entities, {stats.entries:,} entries, {stats.lines:,} lines, "
        f"{format_period(stats.first_month)} to {format_period(stats.last_month)}"
    )
    _seed_ops_demo()
    return EXIT_OK


def _seed_ops_demo() -> None:
    from core.ops.demo import seed_ops_demo
    from core.ops.factory import open_ops_store, ops_service
    from core.ops.models import utcnow

    settings = get_settings()
    store = open_ops_store(settings)
    store.init()
    added = seed_ops_demo(ops_service(settings, store), now=utcnow())
    if added:
        print(f"seeded {added} demo charter events in the {store.backend} ops store")


def cmd_entity(args: argparse.Namespace) -> int:
    store = _store()
    if args.entity_cmd == "add":
        e = store.add_entity(id=args.id, name=args.name, kind=args.kind)
        print(f"added entity {e.id} ({e.name}, {e.kind})")
        return EXIT_OK
    for e in store.list_entities():
        print("\t".join([e.id, e.name, e.kind] + (["demo"] if e.is_demo else [])))
    return EXIT_OK


def cmd_import_csv(args: argparse.Namespace) -> int:
    from core.ledger.csv_import import import_csv

    result = import_csv(
        _store(),
        path=args.file,
        entity_id=args.entity,
        account=args.account,
        rules_path=args.rules,
        dry_run=args.dry_run,
    )
    print(result.summary())
    return EXIT_OK


def _ops_if_needed(name: str) -> Any:
    """The ops service for reports that read trips (CEO); None for the rest."""
    from core.ops.factory import ops_for_reports
    from core.reports.registry import NEEDS_OPS

    return ops_for_reports(get_settings()) if name in NEEDS_OPS else None


def _as_of(args: argparse.Namespace) -> date | None:
    """The --as-of date (client-billing's AR aging only), or None."""
    if args.as_of is None:
        return None
    if args.name != "client-billing" or args.send:
        raise Invalid("--as-of applies to client-billing only, and not with --send")
    try:
        return date.fromisoformat(args.as_of)
    except ValueError as exc:
        raise Invalid(f"--as-of {args.as_of!r} is not a date like 2026-05-31") from exc


def cmd_report(args: argparse.Namespace) -> int:
    from core.reports.registry import build_report, builder_for
    from core.reports.scope import resolve_scope
    from core.reports.text import render_text

    builder_for(args.name)  # an unknown name is refused before anything is read
    as_of = _as_of(args)
    settings = get_settings()
    store = _store()
    period = parse_period(args.period)
    if args.send:
        from core.delivery.reports import send_report
        from core.delivery.senders import make_sender

        if not args.to:
            raise Invalid("--send needs --to ADDR...")
        log = send_report(
            store,
            make_sender(settings),
            settings,
            report=args.name,
            entity=args.entity,
            period=period,
            to=args.to,
            requested_by="cli",
        )
        if log.status != "sent":
            print(f"failed: {log.error}", file=sys.stderr)
            return EXIT_FAILURE
        print(f"sent {log.subject!r} to {log.recipients} via {log.backend} ({log.message_id})")
        return EXIT_OK
    scope = resolve_scope(store, entity=args.entity, period=period)
    report = build_report(
        args.name, store, scope, tz=settings.tz, ops=_ops_if_needed(args.name), as_of=as_of
    )
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
    elif args.format == "html":
        from core.reports.email import render_email

        print(render_email(report, demo=store.has_demo_data()).preview_html())
    else:
        print(render_text(report), end="")
    return EXIT_OK


def cmd_subscription(args: argparse.Namespace) -> int:
    from core.auth.dashboard_users import OPERATOR
    from core.delivery import reports as delivery

    store = _store()
    # the command line is the operator's door: it acts with every entity, said explicitly
    if args.sub_cmd == "add":
        sub = delivery.add_subscription(
            store,
            report=args.name,
            entity=args.entity,
            to=args.to,
            cron=args.cron,
            tz=args.tz or get_settings().portfolio_tz,
            actor=OPERATOR,
        )
        print(
            f"added subscription {sub.id}: {sub.report} for {sub.entity} at '{sub.cron}' {sub.tz}"
        )
    elif args.sub_cmd == "remove":
        delivery.remove_subscription(store, args.id, actor=OPERATOR)
        print(f"removed subscription {args.id}")
    else:
        for sub in delivery.list_subscriptions(store, actor=OPERATOR):
            print(f"{sub.id}\t{sub.report}\t{sub.entity}\t{sub.cron}\t{sub.tz}\t{sub.recipients}")
    return EXIT_OK


def cmd_send_due(args: argparse.Namespace) -> int:
    from core.delivery.reports import send_due
    from core.delivery.senders import make_sender

    settings = get_settings()
    now = parse_aware(args.now, "--now") if args.now else None
    result = send_due(_store(), make_sender(settings), settings, now=now)
    print(
        f"sent {result.sent}, failed {result.failed}, already sent {result.skipped}, "
        f"refused {result.refused}"
    )
    if result.refused:  # each is in the delivery log with its reason
        print(
            f"refused {result.refused}: their creators may no longer send them "
            "(see the delivery log; `subscription list`, `subscription remove ID`)",
            file=sys.stderr,
        )
    return EXIT_FAILURE if result.failed or result.refused else EXIT_OK


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

    store = _store()
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


def cmd_ops_init(args: argparse.Namespace) -> int:
    from core.ops.factory import open_ops_store

    settings = get_settings()
    store = open_ops_store(settings)
    store.init()
    where = settings.ops_table if store.backend == "dynamodb" else settings.exec_data_dir / "ops.db"
    print(f"ops store ready ({store.backend}: {where})")
    return EXIT_OK


def cmd_ops_admin(args: argparse.Namespace) -> int:
    from core.auth.wiring import build_ops_access

    invitation = build_ops_access(get_settings()).access.admin_link(args.email, args.name)
    until = f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC"
    print(f"ops admin {invitation.user.email}: one-time link, valid until {until}")
    print(invitation.link)
    return EXIT_OK


def cmd_sync_stripe(args: argparse.Namespace) -> int:
    from core.sources.stripe_sync import sync_stripe

    try:
        summary = sync_stripe(
            _store(), args.entity, progress=_tty_progress("stripe"), bank=args.bank
        )
    finally:
        _end_bar()
    print(summary)
    return EXIT_OK


def cmd_scan_secrets(args: argparse.Namespace) -> int:
    """Exit 0 when clean, 1 when secrets are found (like a linter, so CI fails), 2 bad input."""
    from pathlib import Path

    from core.sources.secret_scan import record_scan, scan_paths

    paths = [Path(p) for p in args.paths]
    result = scan_paths(paths)  # Invalid on a missing path, before anything is written
    recorded = None
    if args.entity:
        first_dir = next((p for p in paths if p.is_dir()), paths[0].parent)
        service = args.service or first_dir.resolve().name
        today = datetime.now(get_settings().tz).date()
        recorded = record_scan(_store(), args.entity, result, service=service, today=today)
    if args.format == "json":
        data = {
            "files_scanned": result.files_scanned,
            "files_skipped": result.files_skipped,
            "findings": [f.to_dict() for f in result.findings],
            "recorded": recorded,
        }
        print(json.dumps(data, indent=2))
    else:
        for f in result.findings:
            print(f"{f.shown_path}:{f.line}  {f.severity}  {f.kind}  {f.masked}")
        print(result.summary())
        if recorded:
            print(f"recorded for {args.entity}: {recorded}")
    return EXIT_FAILURE if result.findings else EXIT_OK


def _tty_progress(label: str) -> Callable[[float, str], None]:
    """A progress callback drawing a bar on stderr when it is a terminal."""

    def progress(share: float, text: str) -> None:
        if sys.stderr.isatty():
            bar = "#" * int(30 * share)
            print(f"\r{label} [{bar:<30}] {text[:60]:<60}", end="", file=sys.stderr, flush=True)

    return progress


def cmd_sync_aws(args: argparse.Namespace) -> int:
    """Cost Explorer then the Lambda inventory; exit 1 if either service failed."""
    from core.sources.aws_costs import sync_aws_costs
    from core.sources.aws_lambda import sync_lambda_inventory

    store = _store()
    store.get_entity(args.entity)  # an unknown entity is bad input: exit 2 before any AWS call
    steps = [
        (
            "AWS costs",
            lambda: sync_aws_costs(
                store, args.entity, months=args.months, progress=_tty_progress("costs")
            ),
        ),
        (
            "Lambda inventory",
            lambda: sync_lambda_inventory(store, args.entity, progress=_tty_progress("lambda")),
        ),
    ]
    code = EXIT_OK
    for label, step in steps:
        try:
            summary = step()
        except Unavailable as exc:  # one service failing should not hide the other's result
            _end_bar()
            print(f"failed: {label}: {exc}", file=sys.stderr)
            code = EXIT_FAILURE
            continue
        _end_bar()
        print(f"{label}: {summary}")
    return code


def cmd_sync_git(args: argparse.Namespace) -> int:
    """One repository (--entity and --repo) or every GIT_REPOS entry (of --entity, if given)."""
    from pathlib import Path

    from core.sources.git_history import repo_root, sync_git

    if args.repo:
        if not args.entity:
            raise Invalid("--repo needs --entity ID (the entity the repository belongs to)")
        targets = [(args.entity, Path(args.repo))]
    else:
        if args.repo_name:
            raise Invalid("--repo-name applies to one --repo only")
        targets = [(e, p) for e, p in get_settings().git_repos if args.entity in (None, e)]
        if not targets:
            where = f" for {args.entity}" if args.entity else ""
            raise Invalid(
                f"no git repository configured{where}: set GIT_REPOS=ENTITY_ID=/path,... "
                "or pass --entity ID --repo PATH"
            )
    store = _store()
    for entity, path in targets:  # every entity and path checked before anything is written
        store.get_entity(entity)
        repo_root(path.expanduser())
    for entity, path in targets:
        summary = sync_git(
            store, entity, path, repo_name=args.repo_name, progress=_tty_progress("git")
        )
        _end_bar()
        print(f"{entity}: {summary}")
    return EXIT_OK


def _end_bar() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree of every command."""
    p = argparse.ArgumentParser(prog="python -m core", description="Portfolio executive platform")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("seed-demo", help="write the deterministic demo portfolio")
    s.add_argument("--months", type=int, default=36)
    s.add_argument("--scale", type=int, default=1, help="multiply transaction volume")
    s.add_argument("--force", action="store_true", help="replace existing demo entities")
    s.add_argument("--if-empty", action="store_true", help="do nothing when the ledger has data")
    s.set_defaults(func=cmd_seed_demo)

    e = sub.add_parser("entity", help="add or list entities")
    esub = e.add_subparsers(dest="entity_cmd", required=True)
    ea = esub.add_parser("add")
    ea.add_argument("id")
    ea.add_argument("--name", required=True)
    ea.add_argument("--kind", default="business")
    esub.add_parser("list")
    e.set_defaults(func=cmd_entity)

    i = sub.add_parser("import-csv", help="import a bank or card CSV (all or nothing)")
    i.add_argument("file")
    i.add_argument("--entity", required=True)
    i.add_argument("--account", required=True, help="e.g. Assets:Bank:Checking")
    i.add_argument("--rules", help="RULES.yaml: [{match, account, cost_behavior?}]")
    i.add_argument("--dry-run", action="store_true", help="check and summarize; write nothing")
    i.set_defaults(func=cmd_import_csv)

    r = sub.add_parser("report", help="build a report")
    r.add_argument("name")
    r.add_argument("--entity", required=True, help="entity id or 'all'")
    r.add_argument("--period", required=True, help="YYYY-MM")
    r.add_argument("--format", choices=["json", "html", "text"], default="text")
    r.add_argument("--send", action="store_true", help="email it (MAIL_BACKEND) instead")
    r.add_argument("--to", nargs="+", default=[], metavar="ADDR")
    r.add_argument("--as-of", help="client-billing: date of the AR aging (YYYY-MM-DD)")
    r.set_defaults(func=cmd_report)

    sb = sub.add_parser("subscription", help="scheduled report emails")
    sbsub = sb.add_subparsers(dest="sub_cmd", required=True)
    sa = sbsub.add_parser("add")
    sa.add_argument("name")
    sa.add_argument("--entity", required=True)
    sa.add_argument("--to", nargs="+", required=True, metavar="ADDR")
    sa.add_argument("--cron", required=True, help="five fields, e.g. '0 7 * * MON'")
    sa.add_argument("--tz", help="time zone (default PORTFOLIO_TZ)")
    sbsub.add_parser("list")
    sr = sbsub.add_parser("remove")
    sr.add_argument("id", type=int)
    sb.set_defaults(func=cmd_subscription)

    sd = sub.add_parser("send-due", help="send every subscription that is due (idempotent)")
    sd.add_argument("--now", help="ISO 8601 time to act as now")
    sd.set_defaults(func=cmd_send_due)

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
    o = sub.add_parser("ops-init", help="create the ops store if missing (safe to re-run)")
    o.set_defaults(func=cmd_ops_init)
    oa = sub.add_parser("ops-admin", help="create or re-invite an ops admin; prints a login link")
    oa.add_argument("email")
    oa.add_argument("--name", default="")
    oa.set_defaults(func=cmd_ops_admin)
    ss = sub.add_parser(
        "scan-secrets", help="find committed secrets (exit 1 when any is found, like a linter)"
    )
    ss.add_argument("paths", nargs="+", metavar="PATH")
    ss.add_argument("--entity", help="record the findings in this entity's security roadmap")
    ss.add_argument("--service", help="service the findings concern (default: first directory)")
    ss.add_argument("--format", choices=["text", "json"], default="text")
    ss.set_defaults(func=cmd_scan_secrets)
    ss = sub.add_parser("sync-stripe", help="pull new Stripe balance transactions into the books")
    ss.add_argument("--entity", required=True)
    ss.add_argument("--bank", default="Assets:Bank:Checking", help="where payouts land")
    ss.set_defaults(func=cmd_sync_stripe)
    sa = sub.add_parser("sync-aws", help="AWS Cost Explorer costs and the Lambda inventory")
    sa.add_argument("--entity", required=True, help="the entity this AWS account belongs to")
    sa.add_argument("--months", type=int, default=12, help="whole months back (plus this one)")
    sa.set_defaults(func=cmd_sync_aws)
    sg = sub.add_parser("sync-git", help="commits and release tags of local git repositories")
    sg.add_argument("--entity", help="only this entity's GIT_REPOS (required with --repo)")
    sg.add_argument("--repo", help="a local repository path instead of GIT_REPOS")
    sg.add_argument("--repo-name", help="name to record (default: the directory name)")
    sg.set_defaults(func=cmd_sync_git)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
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
