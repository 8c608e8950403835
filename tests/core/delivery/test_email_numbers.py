"""The numbers in a report email read right: runway tile, neutral zero changes, rates."""

from __future__ import annotations

import re
from dataclasses import replace
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.reports.email import TONE_COLORS, render_email
from core.reports.model import Report
from core.reports.registry import build_scoped
from core.reports.scope import resolve_scope

LA = ZoneInfo("America/Los_Angeles")


def _tile(html: str, label: str) -> str:
    """The HTML of the KPI tile whose label is ``label``."""
    # a tile is a box of one-line divs: label, value, change, status; it closes on its own line
    tile = rf"<div[^>]*>\s*<div[^>]*>{re.escape(label)}</div>.*?\n\s*</div>"
    match = re.search(tile, html, re.S)
    assert match, label
    return match.group(0)


def _with_runway(report: Report, value: float, last_month: float) -> Report:
    """The report with its runway set (the demo's burn leaves owner draws out: mostly none)."""
    kpis = [
        replace(k, value=value, delta_mom=round(value - last_month, 1))
        if k.id == "runway_months"
        else k
        for k in report.kpis
    ]
    return replace(report, kpis=kpis)


def test_cfo_runway_tile_says_it_was_over_ten_years(ledger: LedgerStore) -> None:
    scope = resolve_scope(ledger, entity="QuickDumpNow", period=202610)
    report = _with_runway(build_scoped("cfo", ledger, scope, tz=LA), 53.8, 266.2)
    email = render_email(report, charts=False)
    tile = _tile(email.html, "Runway")
    assert "was over 10 years last month" in tile and "120+" not in tile
    assert TONE_COLORS["bad"] in tile  # a shorter runway is bad news
    line = next(x for x in email.text.splitlines() if x.strip().startswith("Runway"))
    assert "53.8 months" in line and "was over 10 years last month" in line
    assert "-120+" not in email.html and "-120+" not in email.text


def test_cfo_runway_over_ten_years_both_months_is_no_change(ledger: LedgerStore) -> None:
    scope = resolve_scope(ledger, entity="QuickDumpNow", period=202609)
    report = _with_runway(build_scoped("cfo", ledger, scope, tz=LA), 266.2, 300.5)
    email = render_email(report, charts=False)
    tile = _tile(email.html, "Runway")
    assert "120+ months" in tile and "no change vs last month" in tile
    assert TONE_COLORS["neutral"] in tile
    assert TONE_COLORS["good"] not in tile and TONE_COLORS["bad"] not in tile


def test_a_change_that_rounds_to_zero_is_grey_and_unsigned(ledger: LedgerStore) -> None:
    scope = resolve_scope(ledger, entity="JADA", period=202610)
    report = build_scoped("cfo", ledger, scope, tz=LA)
    tiny = [replace(k, delta_mom=0.4) if k.id == "revenue" else k for k in report.kpis]
    email = render_email(replace(report, kpis=tiny), charts=False)
    tile = _tile(email.html, "Revenue")
    assert "no change vs last month" in tile and "+$0" not in tile
    assert TONE_COLORS["good"] not in tile and TONE_COLORS["bad"] not in tile
    line = next(x for x in email.text.splitlines() if x.strip().startswith("Revenue"))
    assert "no change vs last month" in line and "$0 " not in line


def test_margin_per_mile_is_in_cents(ledger: LedgerStore) -> None:
    scope = resolve_scope(ledger, entity="ExpertYachtDelivery", period=202610)
    report = build_scoped("yacht-delivery", ledger, scope, tz=LA)
    margin = report.kpi("margin_per_nm")
    assert margin.unit == "USD/nm" and margin.value is not None
    email = render_email(report, charts=False)
    assert re.search(r"\$[\d,]+\.\d\d/nm", _tile(email.html, "Margin per nautical mile"))
