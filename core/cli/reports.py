"""`report`: build a report as text, JSON or HTML, or email it."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from core.cli.common import Subparsers, open_store, print_report, send_request
from core.cli.forecast import add_report_options, cmd_report_forecast
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

    if args.name == "forecast":  # options of its own (weeks, scenarios)
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
    if args.attach and not args.send:
        raise Invalid("--attach goes with --send (the files are sent with the email)")
    settings = get_settings()
    store = open_store()
    if args.send:
        if not args.to:
            raise Invalid("--send needs --to ADDR...")
        return send_request(store, settings, request, args.to, attach=args.attach)
    report = build_report(store, request, tz=settings.tz, ops=_open_ops)
    return print_report(store, report, args.format)


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
    r.add_argument(
        "--attach", action="append", default=[], metavar="pdf,xlsx", help="with --send: files"
    )
    r.set_defaults(func=cmd_report)
