"""`scan-secrets`, `sync-stripe`, `sync-aws` and `sync-git`: data from outside sources."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime

from core.cli.common import EXIT_FAILURE, EXIT_OK, Subparsers, open_store
from core.config import get_settings
from core.errors import Invalid, Unavailable
from core.logs import audited


@audited("sync stripe", actor=None, default_who="cli")
def cmd_sync_stripe(args: argparse.Namespace) -> int:
    from core.sources.stripe_sync import sync_stripe

    try:
        summary = sync_stripe(
            open_store(), args.entity, progress=_tty_progress("stripe"), bank=args.bank
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
        recorded = record_scan(open_store(), args.entity, result, service=service, today=today)
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


@audited("sync aws", actor=None, default_who="cli")
def cmd_sync_aws(args: argparse.Namespace) -> int:
    """Cost Explorer then the Lambda inventory; exit 1 if either service failed."""
    from core.sources.aws_costs import sync_aws_costs
    from core.sources.aws_lambda import sync_lambda_inventory

    store = open_store()
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


@audited("sync git", actor=None, default_who="cli")
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
    store = open_store()
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


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
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
