"""`seed-demo`, `entity` and `import-csv`: what goes into the ledger."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from core.cli.common import EXIT_OK, Subparsers, open_store
from core.config import get_settings
from core.periods import format_period


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from core.demo import seed_demo

    store = open_store()
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
    from core.ops.factory import open_ops
    from core.ops.models import utcnow

    opened = open_ops(get_settings())
    added = seed_ops_demo(opened.service, now=utcnow())
    if added:
        print(f"seeded {added} demo charter events in the {opened.backend} ops store")


def cmd_entity(args: argparse.Namespace) -> int:
    store = open_store()
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
        open_store(),
        path=args.file,
        entity_id=args.entity,
        account=args.account,
        rules_path=args.rules,
        dry_run=args.dry_run,
    )
    print(result.summary())
    return EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
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
