"""The Needs attention list of a built report: what is off, worst first, and where it is fixed.

Every item links to the page where the reader acts on it, in the report's scope and month:
uncategorized lines to the Accounting page's queue, open crew slots, unfinished checklists and
guests on hold to Operations, receivables over 60 days to Client billing's AR aging, and any
other KPI off or near its target to its own page with its ledger lines opened (``drill=``).
The report's findings stay in their sections as plain sentences: each actionable one restates
a KPI that is already an item here.
"""

from __future__ import annotations

from core.reports.drilldown import drillable
from core.reports.formatting import format_value
from core.reports.links import PAGE_PATHS, page_link
from core.reports.model import KPI, Attention, Report, Severity

# KPI id -> (page, heading anchor) where the thing it counts is fixed
FIX_PAGES: dict[str, tuple[str, str]] = {
    "uncategorized_count": ("accounting", "categorization-queue"),
    "uncategorized_amount": ("accounting", "categorization-queue"),
    "unfilled_slots": ("operations", ""),
    "unfinished_checklists": ("operations", ""),
    "guests_on_hold": ("operations", ""),
    "ar_over_60": ("client-billing", "ar-aging"),
    "ar_past_due": ("client-billing", "ar-aging"),
}
# counts of things to fix: any at all needs attention, target or not (a target may allow some)
PROBLEMS: dict[str, tuple[Severity, str]] = {
    "uncategorized_count": ("watch", "{n} uncategorized line{s} to categorize"),
    "unfilled_slots": ("watch", "{n} open crew slot{s} on upcoming trips"),
    "unfinished_checklists": ("watch", "{n} checklist{s} not done on upcoming trips"),
    "guests_on_hold": ("watch", "{n} guest{s} on hold on upcoming trips"),
    "ar_over_60": ("watch", "{n} of receivables over 60 days old"),
    "ar_past_due": ("watch", "{n} of receivables past due"),
    "trial_balance_difference": ("bad", "The trial balance is off by {n}"),
    "critical_findings": ("bad", "{n} critical security finding{s} not fixed"),
}
# a KPI whose item would repeat another's: the same lines, or a status copied from it
COVERED_BY = {"uncategorized_amount": "uncategorized_count", "revenue_gap": "revenue"}
RANK: dict[str, int] = {"bad": 0, "watch": 1, "info": 2}
STATUS_WORDS = {"bad": "off target", "watch": "near target"}


def needs_attention(report: Report) -> list[Attention]:
    """The report's Needs attention items, worst first (bad, then watch), in KPI order."""
    present = {k.id for k in report.kpis}
    items = [
        item
        for kpi in report.kpis
        if COVERED_BY.get(kpi.id) not in present and (item := _item(report, kpi)) is not None
    ]
    return sorted(items, key=lambda a: RANK[a.severity])  # stable: KPI order within a rank


def _item(report: Report, kpi: KPI) -> Attention | None:
    if kpi.value is None:
        return None
    value = format_value(kpi.value, kpi.unit)
    s = "" if kpi.value == 1 else "s"
    if kpi.pace is not None and kpi.pace.target is not None:  # judged against it while it runs
        target = f" (target to date {format_value(kpi.pace.target, kpi.unit)})"
    else:
        target = "" if kpi.target is None else f" (target {format_value(kpi.target, kpi.unit)})"
    if kpi.status in STATUS_WORDS:
        severity: Severity = "bad" if kpi.status == "bad" else "watch"
        text = f"{kpi.label} {value} is {STATUS_WORDS[kpi.status]}{target}"
        if kpi.id in PROBLEMS:
            text = PROBLEMS[kpi.id][1].format(n=value, s=s) + target
    elif kpi.id in PROBLEMS and kpi.status == "none" and kpi.value:
        severity, text = PROBLEMS[kpi.id][0], PROBLEMS[kpi.id][1].format(n=value, s=s)
    else:
        return None
    return Attention(text, severity, fix_link(report, kpi.id), kpi.id)


def fix_link(report: Report, kpi_id: str) -> str:
    """Where KPI ``kpi_id`` of ``report`` is acted on: its fix page, or its own page with the
    ledger lines opened when it has them."""
    if kpi_id in FIX_PAGES:
        page, anchor = FIX_PAGES[kpi_id]
        return page_link(report, page) + (f"#{anchor}" if anchor else "")
    own = PAGE_PATHS.get(report.report, report.report)
    if drillable(kpi_id):
        return page_link(report, own, drill=kpi_id)
    return page_link(report, own)
