"""`anomalies`: the anomaly digest of an entity (or all), and marking one expected."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime

from core.cli.common import EXIT_OK, Subparsers, open_store
from core.config import get_settings
from core.errors import Invalid
from core.periods import first_day, month_add, month_of


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def cmd_anomalies(args: argparse.Namespace) -> int:
    from core.auth.dashboard_users import OPERATOR
    from core.close.anomalies import find_anomalies, mark_expected, reopen

    store = open_store()
    if args.mark_expected or args.reopen:
        if args.entity == "all":
            raise Invalid("name the anomaly's entity: --entity ID")
        if args.mark_expected:
            mark_expected(
                store,
                actor=OPERATOR,
                entity_id=args.entity,
                anomaly_id=args.mark_expected,
                note=args.note or "",
            )
            print(f"marked {args.mark_expected} expected: it stays quiet from now on")
        else:
            reopen(store, actor=OPERATOR, entity_id=args.entity, anomaly_id=args.reopen)
            print(f"reopened {args.reopen}")
        return EXIT_OK
    today = datetime.now(get_settings().tz).date()
    since = args.since or first_day(month_add(month_of(today), -1))
    until = args.until or today
    if until < since:
        raise Invalid(f"--until {until} is before --since {since}")
    found = find_anomalies(
        store,
        actor=OPERATOR,
        entity=args.entity,
        since=since,
        until=until,
        include_expected=args.include_expected,
    )
    if args.format == "json":
        data = {
            "entity": args.entity,
            "since": since.isoformat(),
            "until": until.isoformat(),
            "anomalies": [a.to_dict() for a in found],
        }
        print(json.dumps(data, indent=2))
        return EXIT_OK
    for a in found:
        state = "" if a.status == "open" else f"  ({a.status})"
        print(f"{a.id}  {a.day}  {a.entity_id}  {a.label}: {a.message}{state}")
    opened = sum(a.status == "open" for a in found)
    print(f"{opened} open anomal{'y' if opened == 1 else 'ies'} from {since} to {until}")
    return EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    a = sub.add_parser(
        "anomalies",
        help="odd charges: large, duplicate, first-time counterparty, cloud cost jump",
    )
    a.add_argument("--entity", required=True, help="an entity id, or all")
    a.add_argument("--since", type=_day, help="first day (default: the 1st of last month)")
    a.add_argument("--until", type=_day, help="last day (default: today)")
    a.add_argument("--format", choices=["text", "json"], default="text")
    a.add_argument(
        "--include-expected", action="store_true", help="also list those marked expected"
    )
    a.add_argument("--mark-expected", metavar="ID", help="mark this anomaly expected")
    a.add_argument("--reopen", metavar="ID", help="take back an expected mark")
    a.add_argument("--note", help="why it is expected (with --mark-expected)")
    a.set_defaults(func=cmd_anomalies)
