"""`alert add|list|remove` and `alerts run`: KPI alerts."""

from __future__ import annotations

import argparse
import sys

from core.cli.common import EXIT_FAILURE, EXIT_OK, Subparsers, open_store
from core.config import get_settings
from core.instants import parse_aware


def cmd_alert(args: argparse.Namespace) -> int:
    from core.alerts import rules
    from core.alerts.describe import rule_text, state_summary
    from core.auth.dashboard_users import OPERATOR

    store = open_store()
    # the command line is the operator's door: it acts with every entity, said explicitly
    if args.alert_cmd == "add":
        condition, threshold = (
            ("below", args.below)
            if args.below is not None
            else ("above", args.above)
            if args.above is not None
            else ("off_target", None)
        )
        rule = rules.add_rule(
            store,
            kpi=args.kpi,
            entity=args.entity,
            condition=condition,
            threshold=threshold,
            to=args.to,
            every=args.every,
            actor=OPERATOR,
            settings=get_settings(),
        )
        print(f"added alert {rule.id}: {rule_text(rule)}")
    elif args.alert_cmd == "remove":
        rules.remove_rule(store, args.id, actor=OPERATOR)
        print(f"removed alert {args.id}")
    else:
        for rule in rules.list_rules(store, actor=OPERATOR):
            print(f"{rule.id}\t{rule_text(rule)}\t{state_summary(rule)}\t{rule.recipients}")
    return EXIT_OK


def cmd_alerts_run(args: argparse.Namespace) -> int:
    from core.alerts.run import run_alerts
    from core.delivery.senders import make_sender

    settings = get_settings()
    now = parse_aware(args.now, "--now") if args.now else None
    result = run_alerts(open_store(), make_sender(settings), settings, now=now)
    print(
        f"evaluated {result.evaluated}, sent {result.sent}, failed {result.failed}, "
        f"already sent {result.skipped}, refused {result.refused}, unreadable {result.errors}"
    )
    if result.refused or result.errors:
        print(
            "refused: a creator or recipient may no longer see the entity; unreadable: the "
            "KPI could not be built (see `alert list`)",
            file=sys.stderr,
        )
    return EXIT_FAILURE if result.failed or result.refused or result.errors else EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    al = sub.add_parser("alert", help="KPI alerts: add, list, remove")
    alsub = al.add_subparsers(dest="alert_cmd", required=True)
    aa = alsub.add_parser("add", help="watch a KPI, e.g. cfo.runway_months --below 6")
    aa.add_argument("kpi", help="REPORT.KPI, e.g. cfo.runway_months")
    aa.add_argument("--entity", required=True, help="an entity id or all")
    cond = aa.add_mutually_exclusive_group(required=True)
    cond.add_argument("--below", type=float, metavar="X")
    cond.add_argument("--above", type=float, metavar="X")
    cond.add_argument("--off-target", action="store_true", help="the KPI's status turns bad")
    aa.add_argument("--to", nargs="+", required=True, metavar="ADDR")
    aa.add_argument(
        "--every", action="store_true", help="each evaluation while crossed (one a day)"
    )
    alsub.add_parser("list")
    ar = alsub.add_parser("remove")
    ar.add_argument("id", type=int)
    al.set_defaults(func=cmd_alert)

    run = sub.add_parser("alerts", help="evaluate KPI alerts")
    runsub = run.add_subparsers(dest="alerts_cmd", required=True)
    rr = runsub.add_parser("run", help="evaluate every alert and send what fires (idempotent)")
    rr.add_argument("--now", help="ISO 8601 time to act as now")
    rr.set_defaults(func=cmd_alerts_run)
