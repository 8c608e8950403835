"""The Accounting report on hand-computed ledgers: trial balance, statements, roll-forward."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from core.ledger.store import LedgerStore
from core.reports.accounting import build_accounting
from core.reports.model import Report
from core.reports.scope import resolve_scope
from tests.conftest import BANK, entry

LA = ZoneInfo("America/Los_Angeles")
DEFERRED = "Liabilities:DeferredRevenue"


def table(report: Report, table_id: str) -> list[dict[str, Any]]:
    return next(
        i.rows for s in report.sections for i in s.items if getattr(i, "id", "") == table_id
    )


def test_accounting_figures_by_hand(store: LedgerStore) -> None:
    store.add_entity(id="C", name="Charters")
    store.post(
        [
            entry("C", date(2026, 2, 1), "open", (BANK, 1000), ("Equity:Opening", -1000)),
            entry("C", date(2026, 2, 20), "deposit", (BANK, 300), (DEFERRED, -300)),
            entry("C", date(2026, 3, 5), "deposit", (BANK, 200), (DEFERRED, -200)),
            entry(
                "C",
                date(2026, 3, 9),
                "trip",
                (DEFERRED, 300),
                (BANK, 500),
                ("Income:Charters", -800),
            ),
            entry("C", date(2026, 3, 12), "fuel", ("Expenses:Fuel", 50), (BANK, -50)),
            entry("C", date(2026, 3, 15), "mystery", ("Expenses:Uncategorized", 20), (BANK, -20)),
        ]
    )
    report = build_accounting(store, resolve_scope(store, entity="C", period=202603), tz=LA)
    data = json.loads(json.dumps(report.to_dict()))
    kpis = {k["id"]: k for k in data["kpis"]}
    assert kpis["trial_balance_difference"]["value"] == 0
    assert kpis["trial_balance_difference"]["status"] == "good"
    assert (kpis["uncategorized_count"]["value"], kpis["uncategorized_amount"]["value"]) == (1, 20)
    assert kpis["deferred_revenue"]["value"] == 200
    assert table(report, "deferred_rollforward") == [
        {"opening": 300.0, "deposits": 200.0, "recognized": 300.0, "closing": 200.0}
    ]
    sheet = {r["line"]: r["amount"] for r in table(report, "balance_sheet")}
    assert sheet["Assets"] == 1930.0  # 1000 + 300 + 200 + 500 - 50 - 20
    assert sheet["Liabilities"] == 200.0 and sheet["Retained earnings"] == 730.0
    assert sheet["Liabilities + equity"] == sheet["Assets"]
    trial = table(report, "trial_balance")
    assert trial[-1] == {"account": "Total", "debit": 2000.0, "credit": 2000.0}
    tree = {r["path"]: r["balance"] for r in table(report, "chart_of_accounts")}
    assert tree["Expenses"] == 70.0 and tree["Expenses:Fuel"] == 50.0
    [queued] = table(report, "uncategorized")
    assert (queued["description"], queued["amount"]) == ("mystery", 20.0)
    assert queued["entity"] == "Charters"  # the business's name, not its id


def test_consolidated_eliminates_intercompany_and_still_balances(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    store.post(
        [
            entry(
                "A",
                date(2026, 3, 1),
                "lease",
                ("Expenses:Lease", 100),
                (BANK, -100),
                intercompany=True,
            ),
            entry(
                "B",
                date(2026, 3, 1),
                "lease",
                (BANK, 100),
                ("Income:Lease", -100),
                intercompany=True,
            ),
            entry("B", date(2026, 3, 2), "sale", (BANK, 40), ("Income:Sales", -40)),
        ]
    )
    report = build_accounting(store, resolve_scope(store, entity="all", period=202603), tz=LA)
    assert report.kpi("trial_balance_difference").value == 0
    pnl = {r["entity"]: r for r in table(report, "pnl_entities")}
    assert pnl["Alpha"]["expenses"] == 100.0 and pnl["Beta"]["revenue"] == 140.0
    assert pnl["Consolidated (intercompany eliminated)"]["revenue"] == 40.0
    assert pnl["Consolidated (intercompany eliminated)"]["expenses"] == 0.0
