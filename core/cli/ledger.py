"""`seed-demo`, `entity` and `import-csv`: what goes into the ledger."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from core.cli.common import EXIT_OK, Subparsers, open_store
from core.config import get_settings
from core.ledger.bank_files import ColumnMapping
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


def _mapping(args: argparse.Namespace) -> ColumnMapping | None:
    """The explicit column mapping of ``--date-column`` and the others, if any was given."""
    names = {
        "date": args.date_column,
        "description": args.description_column,
        "amount": args.amount_column,
        "debit": args.debit_column,
        "credit": args.credit_column,
    }
    if not any(names.values()):
        return None
    return ColumnMapping(
        date=names["date"] or "",
        description=names["description"] or "",
        **{k: names[k] for k in ("amount", "debit", "credit")},
    )


def cmd_import_csv(args: argparse.Namespace) -> int:
    from core.auth.dashboard_users import OPERATOR
    from core.books.import_runs import import_statement

    result = import_statement(
        open_store(),
        actor=OPERATOR,
        source=Path(args.file),
        entity_id=args.entity,
        account=args.account,
        mapping=_mapping(args),
        file_name=Path(args.file).name,
        rules_path=args.rules,
        dry_run=args.dry_run,
    )
    print(result.summary())
    return EXIT_OK


def cmd_import_runs(args: argparse.Namespace) -> int:
    from core.auth.dashboard_users import OPERATOR
    from core.books.import_runs import list_import_runs, undo_import

    store = open_store()
    if args.runs_cmd == "undo":
        done = undo_import(store, actor=OPERATOR, run_id=args.id)
        print(
            f"undid import run {done.run_id} of {done.entity_id}: "
            f"removed {done.entries} entries ({done.lines} lines)"
        )
        return EXIT_OK
    for run in list_import_runs(store, actor=OPERATOR, entity_id=args.entity, limit=args.limit):
        state = f"undone {run.undone_at:%Y-%m-%d %H:%M} by {run.undone_by}" if run.undone_at else ""
        print(
            "\t".join(
                [
                    str(run.id),
                    f"{run.created_at:%Y-%m-%d %H:%M}",
                    run.entity_id,
                    run.account,
                    run.file_name,
                    f"{run.imported} imported",
                    f"{run.duplicates} already there",
                    f"{run.skipped_lines} lines skipped",
                    run.created_by,
                    state,
                ]
            ).rstrip()
        )
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
    for role in ("date", "description", "amount", "debit", "credit"):
        i.add_argument(
            f"--{role}-column",
            metavar="HEADER",
            help=f"the header of the {role} column, when detection picks the wrong one",
        )
    i.set_defaults(func=cmd_import_csv)

    r = sub.add_parser("import-runs", help="list statement imports, or undo one")
    rsub = r.add_subparsers(dest="runs_cmd", required=True)
    rl = rsub.add_parser("list", help="newest first")
    rl.add_argument("--entity", help="only this entity's imports")
    rl.add_argument("--limit", type=int, default=50)
    ru = rsub.add_parser("undo", help="remove every entry an import posted (one transaction)")
    ru.add_argument("id", type=int)
    r.set_defaults(func=cmd_import_runs)
