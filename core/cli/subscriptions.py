"""`subscription` and `send-due`: scheduled report emails."""

from __future__ import annotations

import argparse
import sys

from core.cli.common import EXIT_FAILURE, EXIT_OK, Subparsers, open_store
from core.config import get_settings
from core.instants import parse_aware


def cmd_subscription(args: argparse.Namespace) -> int:
    from core.auth.dashboard_users import OPERATOR
    from core.delivery import reports as delivery
    from core.delivery.attachments import parse_attach
    from core.delivery.options import Options
    from core.delivery.senders import make_sender
    from core.delivery.subscription_status import send_now, subscription_statuses

    store = open_store()
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
            options=Options(parse_attach(args.attach), args.skip_if_empty),
        )
        print(
            f"added subscription {sub.id}: {sub.report} for {sub.entity} at '{sub.cron}' {sub.tz}"
        )
    elif args.sub_cmd == "send-now":
        settings = get_settings()
        log = send_now(store, make_sender(settings), settings, args.id, actor=OPERATOR)
        print(f"subscription {args.id}: {log.status}" + (f" ({log.error})" if log.error else ""))
        return EXIT_OK if log.status in ("sent", "skipped") else EXIT_FAILURE
    elif args.sub_cmd == "remove":
        delivery.remove_subscription(store, args.id, actor=OPERATOR)
        print(f"removed subscription {args.id}")
    else:
        print("id\treport\tentity\tcron\ttz\trecipients\tattach\tnext run\tlast\tfailures")
        for st in subscription_statuses(store, actor=OPERATOR):
            sub, last = st.sub, st.last_result or "never run"
            if st.last_error:
                last += f": {st.last_error}"
            print(
                f"{sub.id}\t{sub.report}\t{sub.entity}\t{sub.cron}\t{sub.tz}\t{sub.recipients}"
                f"\t{','.join(st.options.attach) or '-'}"
                f"{' (skip if empty)' if st.options.skip_if_empty else ''}"
                f"\t{st.next_run:%Y-%m-%d %H:%M %Z}\t{last}\t{st.failures}"
            )
    return EXIT_OK


def cmd_send_due(args: argparse.Namespace) -> int:
    from core.delivery.reports import send_due
    from core.delivery.senders import make_sender

    settings = get_settings()
    now = parse_aware(args.now, "--now") if args.now else None
    result = send_due(open_store(), make_sender(settings), settings, now=now)
    print(
        f"sent {result.sent}, failed {result.failed}, already sent {result.skipped}, "
        f"refused {result.refused}, skipped as empty {result.empty}"
    )
    if result.refused:  # each is in the delivery log with its reason
        print(
            f"refused {result.refused}: their creators may no longer send them "
            "(see the delivery log; `subscription list`, `subscription remove ID`)",
            file=sys.stderr,
        )
    return EXIT_FAILURE if result.failed or result.refused else EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    sb = sub.add_parser("subscription", help="scheduled report emails")
    sbsub = sb.add_subparsers(dest="sub_cmd", required=True)
    sa = sbsub.add_parser("add")
    sa.add_argument("name")
    sa.add_argument("--entity", required=True)
    sa.add_argument("--to", nargs="+", required=True, metavar="ADDR")
    sa.add_argument("--cron", required=True, help="five fields, e.g. '0 7 * * MON'")
    sa.add_argument("--tz", help="time zone (default PORTFOLIO_TZ)")
    sa.add_argument("--attach", action="append", default=[], metavar="pdf,xlsx")
    sa.add_argument(
        "--skip-if-empty", action="store_true", help="send nothing when no KPI has a value"
    )
    sbsub.add_parser("list")
    sn = sbsub.add_parser("send-now", help="send a subscription's report at once")
    sn.add_argument("id", type=int)
    sr = sbsub.add_parser("remove")
    sr.add_argument("id", type=int)
    sb.set_defaults(func=cmd_subscription)

    sd = sub.add_parser("send-due", help="send every subscription that is due (idempotent)")
    sd.add_argument("--now", help="ISO 8601 time to act as now")
    sd.set_defaults(func=cmd_send_due)
