"""Finance formulas against tiny ledgers computed by hand (CONTRACT section 4)."""

from __future__ import annotations

from datetime import date

import pytest

from core.ledger.store import LedgerStore
from core.metrics.finance import FinanceSeries, is_cash_account
from tests.conftest import BANK, entry

DEFERRED = "Liabilities:DeferredRevenue"


@pytest.fixture
def quarter(store: LedgerStore) -> LedgerStore:
    """Entity A: opening cash 10,000 on Dec 31, then Jan-Mar 2026.

    month  revenue  rent(fixed)  fuel(variable)  cash at month end
    Jan    3,000    2,000        600             10,400
    Feb    1,000    2,000        200              9,200
    Mar    2,000    2,000        400              8,800
    """
    store.add_entity(id="A", name="Alpha")
    var = {"Expenses:Fuel": "variable"}
    rows = [entry("A", date(2025, 12, 31), "open", (BANK, 10_000), ("Equity:Opening", -10_000))]
    for month, rev, fuel in ((1, 3000, 600), (2, 1000, 200), (3, 2000, 400)):
        rows += [
            entry("A", date(2026, month, 1), "sale", (BANK, rev), ("Income:Sales", -rev)),
            entry("A", date(2026, month, 2), "rent", ("Expenses:Rent", 2000), (BANK, -2000)),
            entry(
                "A",
                date(2026, month, 28),
                "fuel",
                ("Expenses:Fuel", fuel),
                (BANK, -fuel),
                cost_behaviors=var,
            ),
        ]
    store.post(rows)
    return store


def series(store: LedgerStore, ids: list[str], consolidated: bool = False) -> FinanceSeries:
    return FinanceSeries.from_rows(store.monthly_rows(ids), consolidated=consolidated)


def test_revenue_expenses_net_and_cash(quarter: LedgerStore) -> None:
    s = series(quarter, ["A"])
    assert (s.revenue(202603), s.expenses(202603), s.net_income(202603)) == (
        2000_00,
        2400_00,
        -400_00,
    )
    assert [s.cash(m) for m in (202512, 202601, 202602, 202603)] == [
        10_000_00,
        10_400_00,
        9_200_00,
        8_800_00,
    ]
    assert s.cash(202611) == 8_800_00  # balances carry forward through quiet months
    assert s.cash(202511) == 0  # and are zero before the first entry


def test_burn_rate_and_runway(quarter: LedgerStore) -> None:
    s = series(quarter, ["A"])
    # (cash end of Dec - cash end of Mar) / 3 = (10,000 - 8,800) / 3
    assert s.burn_rate(202603) == pytest.approx(400_00)
    assert s.runway_months(202603) == pytest.approx(22.0)


def test_no_burn_when_cash_grew_on_average(quarter: LedgerStore) -> None:
    s = series(quarter, ["A"])
    # window Nov-Jan: cash end of Oct 0 -> 10,400: it grew, so burn 0 and no runway
    assert s.burn_rate(202601) == 0
    assert s.runway_months(202601) is None


def test_break_even_uses_three_month_means(quarter: LedgerStore) -> None:
    s = series(quarter, ["A"])
    # means: revenue 2,000, variable 400, fixed 2,000 -> 2,000 / (1 - 400/2,000) = 2,500
    assert s.break_even_revenue(202603) == pytest.approx(2500_00)


def test_break_even_is_none_when_variable_costs_eat_revenue(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.post(
        [
            entry("A", date(2026, 5, 1), "sale", (BANK, 100), ("Income:Sales", -100)),
            entry(
                "A",
                date(2026, 5, 2),
                "cogs",
                ("Expenses:Parts", 100),
                (BANK, -100),
                cost_behaviors={"Expenses:Parts": "variable"},
            ),
        ]
    )
    assert series(store, ["A"]).break_even_revenue(202605) is None
    assert series(store, ["A"]).break_even_revenue(202612) is None  # no revenue at all


def test_deposits_are_deferred_until_the_trip(store: LedgerStore) -> None:
    store.add_entity(id="C", name="Charters")
    store.post(
        [
            entry("C", date(2026, 3, 20), "deposit", (BANK, 500), (DEFERRED, -500)),
            entry(
                "C",
                date(2026, 4, 10),
                "trip",
                (DEFERRED, 500),
                (BANK, 700),
                ("Income:Charters", -1200),
            ),
        ]
    )
    s = series(store, ["C"])
    assert (s.revenue(202603), s.deferred_revenue(202603), s.cash(202603)) == (0, 500_00, 500_00)
    assert (s.revenue(202604), s.deferred_revenue(202604), s.cash(202604)) == (1200_00, 0, 1200_00)


def test_intercompany_is_eliminated_only_when_consolidated(store: LedgerStore) -> None:
    store.add_entity(id="Op", name="Operator")
    store.add_entity(id="Own", name="Owner")
    store.post(
        [
            entry("Op", date(2026, 6, 1), "open", (BANK, 5000), ("Equity:Opening", -5000)),
            entry("Op", date(2026, 6, 3), "charter", (BANK, 4000), ("Income:Charters", -4000)),
            entry(
                "Op",
                date(2026, 6, 5),
                "lease",
                ("Expenses:VesselLease", 1500),
                (BANK, -1500),
                intercompany=True,
                counterparty="Own",
            ),
            entry(
                "Own",
                date(2026, 6, 5),
                "lease",
                (BANK, 1500),
                ("Income:VesselLease", -1500),
                intercompany=True,
                counterparty="Op",
            ),
            entry("Own", date(2026, 6, 9), "moorage", ("Expenses:Moorage", 300), (BANK, -300)),
        ]
    )
    op, own = series(store, ["Op"]), series(store, ["Own"])
    assert (op.revenue(202606), op.expenses(202606)) == (4000_00, 1500_00)
    assert (own.revenue(202606), own.expenses(202606)) == (1500_00, 300_00)
    both = series(store, ["Op", "Own"], consolidated=True)
    assert (both.revenue(202606), both.expenses(202606)) == (4000_00, 300_00)
    assert both.cash(202606) == op.cash(202606) + own.cash(202606) == 8_700_00


def test_burn_window_crosses_the_year_boundary(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    store.post(
        [
            entry("A", date(2025, 11, 30), "open", (BANK, 9000), ("Equity:Opening", -9000)),
            entry("A", date(2025, 12, 1), "spend", ("Expenses:X", 1500), (BANK, -1500)),
            entry("A", date(2026, 2, 28), "spend", ("Expenses:X", 1500), (BANK, -1500)),
            entry("A", date(2026, 3, 1), "spend", ("Expenses:X", 9999), (BANK, -9999)),
        ]
    )
    s = series(store, ["A"])
    # Feb 2026 window is Dec-Feb: cash end of Nov 9,000 -> end of Feb 6,000
    assert s.burn_rate(202602) == pytest.approx(1000_00)
    assert s.runway_months(202602) == pytest.approx(6.0)


@pytest.mark.parametrize(
    ("path", "cash"),
    [
        ("Assets:Bank:Checking", True),
        ("Assets:Cash:Till", True),
        ("Assets:Bank", True),
        ("Assets:Receivables", False),
        ("Assets:Bankruptcy", False),
        ("Liabilities:Bank:Loan", False),
    ],
)
def test_cash_accounts(path: str, cash: bool) -> None:
    assert is_cash_account(path) is cash


def test_owner_distributions_are_not_burn(quarter: LedgerStore) -> None:
    """Paying the owner is not burn: burn is what operations lost; the payout is its own KPI."""
    quarter.post(
        [
            entry(
                "A", date(2026, 3, 31), "payout", ("Equity:OwnerDistributions", 3000), (BANK, -3000)
            )
        ]
    )
    s = series(quarter, ["A"])
    # cash Dec 10,000 -> Mar 5,800 (1,400 a month), but operations alone lost 400 a month
    assert s.cash(202603) == 5_800_00
    assert s.burn_rate(202603) == pytest.approx(400_00)
    assert s.runway_months(202603) == pytest.approx(5_800 / 400)
    assert s.owner_distributions(202603) == 3000_00
    assert s.owner_distributions(202602) == 0


def test_owner_contributions_do_not_hide_burn(quarter: LedgerStore) -> None:
    """Money the owner puts in is netted into owner_distributions (negative), not into burn."""
    quarter.post(
        [entry("A", date(2026, 2, 15), "top-up", (BANK, 5000), ("Equity:Contributions", -5000))]
    )
    s = series(quarter, ["A"])
    assert s.cash(202603) == 13_800_00  # cash grew over the quarter...
    assert s.burn_rate(202603) == pytest.approx(400_00)  # ...yet operations still burn
    assert s.owner_distributions(202602) == -5000_00
