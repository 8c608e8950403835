"""The Accounting report: trial balance, chart of accounts, P&L and balance sheet, deferred
revenue roll-forward and the categorization queue (CONTRACT section 4)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore, TotalRow, UncategorizedLine
from core.periods import month_add, month_label
from core.reports.common import KpiDef, compared_kpis, frame, memo
from core.reports.formatting import dollars
from core.reports.model import (
    KPI,
    Column,
    Finding,
    KpiGroup,
    Report,
    Section,
    Table,
)
from core.reports.reads import Reads
from core.reports.request import ReportRequest, resolve_request
from core.reports.scope import Scope

DEFERRED = "Liabilities:DeferredRevenue"
ACCOUNTING_KPIS: list[KpiDef] = [
    ("trial_balance_difference", "Trial balance difference", "USD", "down"),
    ("uncategorized_count", "Uncategorized lines", "count", "down"),
    ("uncategorized_amount", "Uncategorized amount", "USD", "down"),
    ("deferred_revenue", "Deferred revenue", "USD", "up"),
]
NATURAL_DEBIT = ("Assets", "Expenses")


def balances(rows: list[TotalRow], through: int, *, consolidated: bool) -> dict[str, int]:
    """Signed (debit-positive) balance per account path at the end of ``through``."""
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.month <= through and not (consolidated and r.intercompany):
            out[r.path] += r.cents
    return {k: v for k, v in out.items() if v}


def natural(path: str, cents: int) -> int:
    """A balance in the account's natural sign (credits positive for income, liabilities...)."""
    return cents if path.startswith(NATURAL_DEBIT) else -cents


def accounting_values(reads: Reads, m: int) -> dict[str, float | None]:
    """Every Accounting KPI value for month ``m``."""
    bal = balances(reads.rows, m, consolidated=reads.scope.consolidated)
    queue = reads.uncategorized(m)
    return {
        "trial_balance_difference": dollars(sum(bal.values())),
        "uncategorized_count": float(len(queue)),
        "uncategorized_amount": dollars(sum(abs(q.cents) for q in queue)),
        "deferred_revenue": dollars(reads.series.deferred_revenue(m)),
    }


def accounting_kpis(reads: Reads) -> list[KPI]:
    """The Accounting KPIs of the scope's period with their comparisons and targets."""
    defaults = {"trial_balance_difference": 0.0}  # the books must balance, whatever is saved
    return compared_kpis(
        ACCOUNTING_KPIS,
        memo(lambda month: accounting_values(reads, month)),
        reads.scope.period,
        lambda kid: reads.targets.get((kid, reads.scope.period), defaults.get(kid)),
    )


def build_accounting(
    store: LedgerStore, scope: Scope, *, tz: ZoneInfo, now: datetime | None = None
) -> Report:
    """Build the Accounting report for a resolved scope."""
    reads = Reads(store, scope, tz=tz, now=now)
    rows = reads.rows
    m = scope.period
    kpis = accounting_kpis(reads)
    now_values = {k.id: k.value for k in kpis}
    bal = balances(rows, m, consolidated=scope.consolidated)
    findings = []
    if now_values["trial_balance_difference"] != 0:
        findings.append(
            Finding("The trial balance does not balance: investigate before closing.", "bad")
        )
    else:
        findings.append(Finding("The trial balance balances: debits equal credits.", "info"))
    if now_values["uncategorized_count"]:
        count = int(now_values["uncategorized_count"])
        findings.append(
            Finding(
                f"{count} lines (${now_values['uncategorized_amount']:,.0f}) wait for a category.",
                "watch",
            )
        )
    return frame(
        report="accounting",
        title="Accounting",
        store=store,
        scope=scope,
        tz=tz,
        now=now,
        kpis=kpis,
        sections=[
            Section(
                "headline",
                f"{scope.name} · {month_label(m)}",
                [KpiGroup([k[0] for k in ACCOUNTING_KPIS]), *findings],
            ),
            Section("trial_balance", "Trial balance", [_trial_balance(bal, m)]),
            Section(
                "statements",
                "Profit and loss, and balance sheet",
                [_pnl_by_entity(reads), _balance_sheet(bal, m)],
            ),
            Section("deferred", "Revenue recognition", [_deferred(reads)]),
            Section("accounts", "Chart of accounts", [_tree(bal, m)]),
            Section("queue", "Categorization queue", [_queue(reads)]),
        ],
    )


def _trial_balance(bal: dict[str, int], m: int) -> Table:
    rows = [
        {"account": p, "debit": dollars(max(c, 0)), "credit": dollars(max(-c, 0))}
        for p, c in sorted(bal.items())
    ]
    rows.append(
        {
            "account": "Total",
            "debit": dollars(sum(c for c in bal.values() if c > 0)),
            "credit": dollars(-sum(c for c in bal.values() if c < 0)),
        }
    )
    return Table(
        "trial_balance",
        f"Trial balance at the end of {month_label(m)}",
        [
            Column("account", "Account"),
            Column("debit", "Debit", "USD"),
            Column("credit", "Credit", "USD"),
        ],
        rows,
    )


def _pnl_by_entity(reads: Reads) -> Table:
    scope, names, m = reads.scope, reads.names, reads.scope.period
    out = []
    for eid in scope.entity_ids:
        s = reads.entity_series[eid]
        out.append(
            {
                "entity": names.get(eid, eid),
                "revenue": dollars(s.revenue(m)),
                "expenses": dollars(s.expenses(m)),
                "net_income": dollars(s.net_income(m)),
            }
        )
    if len(scope.entity_ids) > 1:  # several entities: a consolidated scope
        s = reads.series
        out.append(
            {
                "entity": "Consolidated (intercompany eliminated)",
                "revenue": dollars(s.revenue(m)),
                "expenses": dollars(s.expenses(m)),
                "net_income": dollars(s.net_income(m)),
            }
        )
    return Table(
        "pnl_entities",
        f"Profit and loss, {month_label(m)}",
        [
            Column("entity", "Entity"),
            Column("revenue", "Revenue", "USD"),
            Column("expenses", "Expenses", "USD"),
            Column("net_income", "Net income", "USD"),
        ],
        out,
    )


def _balance_sheet(bal: dict[str, int], m: int) -> Table:
    def total(root: str) -> int:
        return sum(natural(p, c) for p, c in bal.items() if p.startswith(root + ":"))

    retained = total("Income") - total("Expenses")
    assets, liabilities, equity = total("Assets"), total("Liabilities"), total("Equity")
    rows = [
        {"line": "Assets", "amount": dollars(assets)},
        {"line": "Liabilities", "amount": dollars(liabilities)},
        {"line": "Equity (contributed, less distributions)", "amount": dollars(equity)},
        {"line": "Retained earnings", "amount": dollars(retained)},
        {"line": "Liabilities + equity", "amount": dollars(liabilities + equity + retained)},
    ]
    return Table(
        "balance_sheet",
        f"Balance sheet at the end of {month_label(m)}",
        [Column("line", "Line"), Column("amount", "Amount", "USD")],
        rows,
    )


def _deferred(reads: Reads) -> Table:
    s, m = reads.series, reads.scope.period
    recognized, deposits = reads.store.gross_in_month(reads.scope.entity_ids, DEFERRED, m)
    return Table(
        "deferred_rollforward",
        f"Deferred revenue roll-forward, {month_label(m)}",
        [
            Column("opening", "Opening", "USD"),
            Column("deposits", "Deposits", "USD"),
            Column("recognized", "Recognized", "USD"),
            Column("closing", "Closing", "USD"),
        ],
        [
            {
                "opening": dollars(s.deferred_revenue(month_add(m, -1))),
                "deposits": dollars(deposits),
                "recognized": dollars(recognized),
                "closing": dollars(s.deferred_revenue(m)),
            }
        ],
    )


def _tree(bal: dict[str, int], m: int) -> Table:
    nodes: dict[str, int] = defaultdict(int)
    for path, cents in bal.items():
        parts = path.split(":")
        for depth in range(1, len(parts) + 1):
            nodes[":".join(parts[:depth])] += natural(path, cents)
    rows = [
        {
            "account": "\u2003" * (p.count(":")) + p.rsplit(":", 1)[-1],
            "path": p,
            "balance": dollars(c),
        }
        for p, c in sorted(nodes.items())
    ]
    return Table(
        "chart_of_accounts",
        f"Chart of accounts with balances, {month_label(m)}",
        [Column("account", "Account"), Column("path", "Path"), Column("balance", "Balance", "USD")],
        rows,
    )


def _queue(reads: Reads) -> Table:
    lines = reads.uncategorized(reads.scope.period)
    return Table(
        "uncategorized",
        "Lines waiting for a category",
        [
            Column("date", "Date"),
            Column("entity", "Entity"),
            Column("description", "Description"),
            Column("account", "Account"),
            Column("amount", "Amount", "USD"),
        ],
        [
            {
                "date": q.date.isoformat(),
                "entity": reads.names.get(q.entity_id, q.entity_id),
                "description": q.description,
                "account": q.path,
                "amount": dollars(-q.cents if q.path.startswith("Income") else q.cents),
            }
            for q in lines[:200]
        ],
    )


def uncategorized_for(store: LedgerStore, request: ReportRequest) -> list[UncategorizedLine]:
    """The categorization queue within the request's scope (checked against its reader): the
    uncategorized lines up to the period's end, newest first."""
    scope = resolve_request(store, request)
    return store.uncategorized_lines(scope.entity_ids, through_month=scope.period)
