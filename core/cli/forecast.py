"""`recurring`, `scenario` and `report forecast`: declare the forecast's items, save what-ifs,
and build the forecast. Bad input exits 2 listing every problem, with nothing written."""

from __future__ import annotations

import argparse
import shlex

from core.auth.dashboard_users import OPERATOR
from core.cli.common import EXIT_OK, Subparsers, open_store, print_report, send_request
from core.config import get_settings
from core.errors import Invalid
from core.forecast.model import Scenario
from core.forecast.recurring import RecurringItem, add_recurring, list_recurring, remove_recurring
from core.forecast.scenarios import (
    add_scenario,
    list_scenarios,
    parse_adjust,
    parse_one_off,
    remove_scenario,
    scenarios_named,
)
from core.forecast.suggest import Suggestion, suggest_recurring
from core.forecast.values import WEEKDAYS, iso_day
from core.periods import parse_period
from core.records.window import window
from core.reports.common import today_in


def _when(r: RecurringItem | Suggestion) -> str:
    if r.every == "week":
        day = WEEKDAYS[r.weekday if r.weekday is not None else r.starts.weekday()]
        return f"every week on {day}"
    return f"every month on day {r.day or r.starts.day}"


def cmd_recurring_add(args: argparse.Namespace) -> int:
    item = add_recurring(
        open_store(),
        OPERATOR,
        entity_id=args.entity,
        name=args.name,
        account=args.account,
        amount=args.amount,
        every=args.every,
        weekday=args.weekday,
        day=args.day,
        starts=args.starts,
        ends=args.ends,
        intercompany=args.intercompany,
    )
    print(f"added recurring item {item.id}: {item.name} {item.amount} {_when(item)}")
    return EXIT_OK


def cmd_recurring_list(args: argparse.Namespace) -> int:
    for r in list_recurring(open_store(), OPERATOR, args.entity):
        ends = r.ends.isoformat() if r.ends else "-"
        flag = "\tintercompany" if r.intercompany else ""
        print(
            f"{r.id}\t{r.entity_id}\t{r.name}\t{r.account}\t{r.amount}\t{_when(r)}"
            f"\t{r.starts.isoformat()}\t{ends}{flag}"
        )
    return EXIT_OK


def cmd_recurring_remove(args: argparse.Namespace) -> int:
    item = remove_recurring(open_store(), OPERATOR, args.id)
    print(f"removed recurring item {item.id} ({item.name})")
    return EXIT_OK


def accept_command(s: Suggestion) -> str:
    """The `recurring add` command line that declares a suggestion."""
    parts = [
        "python -m core recurring add",
        f"--entity {shlex.quote(s.entity_id)}",
        f"--name {shlex.quote(s.name)}",
        f"--account {shlex.quote(s.account)}",
        f"--amount {s.amount}",
        f"--every {s.every}",
        f"--weekday {WEEKDAYS[s.weekday]}" if s.weekday is not None else f"--day {s.day}",
        f"--starts {s.starts.isoformat()}",
        "--intercompany" if s.intercompany else "",
    ]
    return " ".join(p for p in parts if p)


def cmd_recurring_suggest(args: argparse.Namespace) -> int:
    settings = get_settings()
    problems: list[str] = []
    as_of = iso_day(args.as_of, "--as-of", problems) if args.as_of else today_in(settings.tz, None)
    if problems or as_of is None:
        raise Invalid("bad input", problems=problems)
    found = suggest_recurring(open_store(), OPERATOR, args.entity, as_of)
    if not found:
        print(f"no recurring candidates for {args.entity} in the 4 months through {as_of}")
    for s in found:
        print(f"{s.name}\t{s.account}\t{s.amount}\t{_when(s)}\tseen in {s.months} of 4 months")
        print(f"  accept: {accept_command(s)}")
    return EXIT_OK


def cmd_scenario_add(args: argparse.Namespace) -> int:
    problems: list[str] = []
    adjusts = [parse_adjust(a, problems) for a in args.adjust]
    one_offs = [parse_one_off(o, problems) for o in args.one_off]
    if problems:
        raise Invalid("the scenario was not saved", problems=problems)
    scenario = Scenario(
        args.name,
        tuple(a for a in adjusts if a is not None),
        tuple(o for o in one_offs if o is not None),
    )
    saved = add_scenario(
        open_store(), OPERATOR, entity_id=args.entity, scenario=scenario, replace=args.replace
    )
    print(f"saved scenario {saved.scenario.name!r} for {saved.entity_id}")
    return EXIT_OK


def cmd_scenario_list(args: argparse.Namespace) -> int:
    for saved in list_scenarios(open_store(), OPERATOR, args.entity):
        s = saved.scenario
        what = [f"{a.prefix}={a.pct}%" for a in s.adjusts] + [
            f"{o.day.isoformat()}={o.amount}" for o in s.one_offs
        ]
        print(f"{saved.entity_id}\t{s.name}\t{' '.join(what)}")
    return EXIT_OK


def cmd_scenario_remove(args: argparse.Namespace) -> int:
    remove_scenario(open_store(), OPERATOR, args.entity, args.name)
    print(f"removed scenario {args.name!r} of {args.entity}")
    return EXIT_OK


def _weeks(text: str | None, problems: list[str]) -> int:
    if text is None:
        return 13
    try:
        weeks = int(text)
    except ValueError:
        weeks = 0
    if not 1 <= weeks <= 52:
        problems.append(f"--weeks {text!r} must be a whole number of weeks, 1-52")
    return weeks


def _period(text: str | None, problems: list[str]) -> int | None:
    if text is None:
        return None
    try:
        return parse_period(text)
    except Invalid as exc:
        problems.append(f"--period: {exc.message}")
        return None


def cmd_report_forecast(args: argparse.Namespace) -> int:
    """`report forecast`: every bad option listed at once (exit 2), then the report."""
    from core.reports.forecast import build_forecast_report
    from core.reports.request import ReportRequest, resolve_request

    settings = get_settings()
    problems: list[str] = []
    as_of = iso_day(args.as_of, "--as-of", problems) if args.as_of else None
    period = _period(args.period, problems)
    weeks = _weeks(args.weeks, problems)
    adjusts = [parse_adjust(a, problems) for a in args.adjust]
    one_offs = [parse_one_off(o, problems) for o in args.one_off]
    what_if = bool(args.adjust or args.one_off or args.scenario or args.weeks)
    if args.send and what_if:
        problems.append("--send sends the standard forecast: no --weeks, --adjust, --one-off")
    if args.send and not args.to:
        problems.append("--send needs --to ADDR...")
    if args.attach and not args.send:
        problems.append("--attach goes with --send (the files are sent with the email)")
    if problems:
        raise Invalid("bad input; nothing was built", problems=problems)
    today = today_in(settings.tz, None)
    # as the dashboard does: --period alone starts from its end (or today while it runs)
    day = as_of or (window(period, today)[1] if period else today)
    request = ReportRequest(
        reader=OPERATOR,
        report="forecast",
        entity=args.entity,
        period=day.year * 100 + day.month,
        as_of=day,
    )
    store = open_store()
    if args.send:
        return send_request(store, settings, request, args.to, attach=args.attach)
    scope = resolve_request(store, request)
    scenario = None
    if adjusts or one_offs:
        scenario = Scenario(
            None,
            tuple(a for a in adjusts if a is not None),
            tuple(o for o in one_offs if o is not None),
        )
    by_entity = (
        scenarios_named(store, OPERATOR, scope.entity_ids, args.scenario) if args.scenario else None
    )
    report = build_forecast_report(
        store,
        scope,
        tz=settings.tz,
        as_of=day,
        weeks=weeks,
        scenario=scenario,
        by_entity=by_entity,
    )
    return print_report(store, report, args.format)


def add_report_options(r: argparse.ArgumentParser) -> None:
    """The `report` options only the forecast takes."""
    r.add_argument("--weeks", help="forecast: weeks ahead, 1-52 (default 13)")
    r.add_argument("--adjust", action="append", default=[], metavar="PREFIX=PCT")
    r.add_argument("--one-off", action="append", default=[], metavar="DATE=AMOUNT")
    r.add_argument("--scenario", help="forecast: apply the saved scenario of this name")


def add_parsers(sub: Subparsers) -> None:
    """Add this group's commands to the top-level subparsers."""
    rec = sub.add_parser("recurring", help="recurring cash items of the forecast")
    rs = rec.add_subparsers(dest="recurring_command", required=True)
    a = rs.add_parser("add", help="declare a recurring cash item")
    a.add_argument("--entity", required=True)
    a.add_argument("--name", required=True)
    a.add_argument(
        "--account", required=True, help="the other side of the cash, e.g. Expenses:Payroll"
    )
    a.add_argument("--amount", required=True, help="signed: + money in, - money out")
    a.add_argument("--every", required=True, help="week or month")
    a.add_argument("--weekday", help="every week: MON..SUN (default: the start's weekday)")
    a.add_argument("--day", help="every month: 1-31, clamped to the month's end")
    a.add_argument("--starts", required=True, help="YYYY-MM-DD")
    a.add_argument("--ends", help="YYYY-MM-DD (inclusive)")
    a.add_argument("--intercompany", action="store_true", help="between two of your entities")
    a.set_defaults(func=cmd_recurring_add)
    ls = rs.add_parser("list", help="list recurring items")
    ls.add_argument("--entity")
    ls.set_defaults(func=cmd_recurring_list)
    rm = rs.add_parser("remove", help="remove a recurring item")
    rm.add_argument("id", type=int)
    rm.set_defaults(func=cmd_recurring_remove)
    sg = rs.add_parser("suggest", help="recurring candidates found in the history")
    sg.add_argument("--entity", required=True)
    sg.add_argument("--as-of", help="YYYY-MM-DD (default today)")
    sg.set_defaults(func=cmd_recurring_suggest)

    sc = sub.add_parser("scenario", help="named what-if scenarios of the forecast")
    ss = sc.add_subparsers(dest="scenario_command", required=True)
    add = ss.add_parser("add", help="save a scenario for an entity")
    add.add_argument("name")
    add.add_argument("--entity", required=True)
    add.add_argument("--adjust", action="append", default=[], metavar="PREFIX=PCT")
    add.add_argument("--one-off", action="append", default=[], metavar="DATE=AMOUNT")
    add.add_argument("--replace", action="store_true", help="overwrite a scenario of that name")
    add.set_defaults(func=cmd_scenario_add)
    sl = ss.add_parser("list", help="list saved scenarios")
    sl.add_argument("--entity")
    sl.set_defaults(func=cmd_scenario_list)
    sr = ss.add_parser("remove", help="remove a saved scenario")
    sr.add_argument("name")
    sr.add_argument("--entity", required=True)
    sr.set_defaults(func=cmd_scenario_remove)
