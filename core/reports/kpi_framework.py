"""The KPI framework table: every persona report's KPIs for a scope, with owner and status."""

from __future__ import annotations

from collections.abc import Callable

from core.marketing.records import MarketingRecords
from core.reports.accounting import accounting_kpis
from core.reports.cfo import cfo_kpis
from core.reports.cmo import FLOWS as CMO_FLOWS
from core.reports.cmo import cmo_kpis
from core.reports.common import PaceBasis
from core.reports.cto import cto_kpis
from core.reports.formatting import format_value
from core.reports.model import KPI, Column, Table
from core.reports.reads import Reads
from core.tech.records import load_months


def cto_headline(reads: Reads) -> list[KPI]:
    """The CTO KPIs' values, targets and statuses (what the framework shows) from the
    period's tech records alone: their deltas, read from no earlier month, mean nothing."""
    scope = reads.scope
    records = load_months(
        reads.store, scope.entity_ids, [scope.period], tz=reads.tz, today=reads.today
    )
    return cto_kpis(reads, records)


def cmo_headline(reads: Reads) -> list[KPI]:
    """The CMO KPIs' values, targets and statuses from the period's bookings alone; a month
    under way is still judged against its target pro-rated to today (deltas mean nothing)."""
    scope = reads.scope
    records = MarketingRecords.load(reads.store, scope.entity_ids, months=[scope.period])
    return cmo_kpis(reads, records, PaceBasis(reads.today, CMO_FLOWS, lambda month, day: {}))


# persona reports whose KPIs make up the framework (in this order), and who owns them; each
# computes just its KPIs (not its whole report) from the reads the CEO build shares, the
# CTO's and CMO's just their headline figures (the framework shows no deltas)
PERSONA_KPIS: dict[str, Callable[[Reads], list[KPI]]] = {
    "cfo": cfo_kpis,
    "accounting": accounting_kpis,
    "cto": cto_headline,
    "cmo": cmo_headline,
}
OWNERS = {"ceo": "CEO", "cfo": "CFO", "accounting": "Accounting", "cto": "CTO", "cmo": "CMO"}


def kpi_framework(reads: Reads, own: list[KPI]) -> Table:
    """Every persona KPI for this scope: owner, target, direction and status in one place."""
    scope = reads.scope
    per_report: list[tuple[str, list[KPI]]] = [
        (name, kpis(reads)) for name, kpis in PERSONA_KPIS.items()
    ]
    per_report.append(("ceo", own))  # after the others: revenue belongs to the CFO
    seen: set[str] = set()
    rows = []
    for name, kpis in per_report:
        for k in kpis:
            if k.id in seen:  # a KPI shared by two reports is listed under its first owner
                continue
            seen.add(k.id)
            rows.append(
                {
                    "kpi": k.label,
                    "owner": OWNERS[name],
                    "entity": scope.name,
                    "value": format_value(k.value, k.unit),
                    "target": format_value(k.target, k.unit) if k.target is not None else "",
                    "direction": "higher is better" if k.direction == "up" else "lower is better",
                    "status": {
                        "good": "on target",
                        "watch": "near target",
                        "bad": "off target",
                    }.get(k.status, "no target"),
                }
            )
    return Table(
        id="kpi_framework",
        title="KPI framework: every persona's KPIs, owner, target and status",
        columns=[
            Column("kpi", "KPI"),
            Column("owner", "Owner"),
            Column("entity", "Entity"),
            Column("value", "Value"),
            Column("target", "Target"),
            Column("direction", "Direction"),
            Column("status", "Status"),
        ],
        rows=rows,
    )
