"""`report`: build a report as text, JSON or HTML, or email it."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from core.cli.common import EXIT_FAILURE, EXIT_OK, Subparsers, open_store
from core.cli.forecast import add_report_options
from core.config import get_settings
from core.errors import Invalid
from core.periods import parse_period


def _open_ops() -> Any:
    """The ops rules; build_report calls this only for reports that read trips."""
    from core.ops.factory import open_ops

    return open_ops(get_settings()).service


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
    from core.auth.dashboard_users import OPERATOR
    from core.reports.registry import build_report, builder_for
    from core.reports.request import ReportRequest
    from core.reports.text import render_text

    if args.name == "forecast":  # options of its own (weeks, scenarios)
        from core.cli.forecast import cmd_report_forecast

        return cmd_report_forecast(args)
    builder_for(args.name)  # an unknown name is refused before anything is read
    if args.period is None:
        raise Invalid("--period YYYY-MM is required")
    request = ReportRequest(
        reader=OPERATOR,
        report=args.name,
        entity=args.entity,
        period=parse_period(args.period),
        as_of=_as_of(args),
    )
    settings = get_settings()
    store = open_store()
    if args.send:
        from core.delivery.reports import send_report
        from core.delivery.senders import make_sender

        if not args.to:
            raise Invalid("--send needs --to ADDR...")
        log = send_report(store, make_sender(settings), settings, request, to=args.to)
        if log.status != "sent":
            print(f"failed: {log.error}", file=sys.stderr)
            return EXIT_FAILURE
        print(f"sent {log.subject!r} to {log.recipients} via {log.backend} ({log.message_id})")
        return EXIT_OK
    report = build_report(store, request, tz=settings.tz, ops=_open_ops)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
    elif args.format == "html":
        from core.reports.email import render_email

        print(render_email(report, demo=store.has_demo_data()).preview_html())
    else:
        print(render_text(report), end="")
    return EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    r = sub.add_parser("report", help="build a report")
    r.add_argument("name")
    r.add_argument("--entity", required=True, help="entity id or 'all'")
    r.add_argument("--period", help="YYYY-MM (the forecast takes --as-of instead)")
    r.add_argument("--format", choices=["json", "html", "text"], default="text")
    r.add_argument("--send", action="store_true", help="email it (MAIL_BACKEND) instead")
    r.add_argument("--to", nargs="+", default=[], metavar="ADDR")
    r.add_argument("--as-of", help="client-billing: date of the AR aging; forecast: its first day")
    add_report_options(r)
    r.set_defaults(func=cmd_report)
