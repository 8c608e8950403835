"""Budgets on every ledger backend: the import is all or nothing (every bad line listed by its
number), replaces the months it names, only the owner sets budgets, and budget vs actual per
account group for a month and the year to date, on a hand ledger."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.budgets.lines import BudgetLine
from core.budgets.records import budgets, import_budget, save_budget
from core.budgets.versus import budget_vs_actual
from core.errors import Forbidden, Invalid, NotFound
from core.ledger.store import LedgerStore
from core.reports.request import ReportRequest
from tests.conftest import entry

BANK = "Assets:Bank:Checking"
CFO = UserScope(email="cfo@x.com", name="CFO", role="cfo", entities=None)


@pytest.fixture
def books(ledger: LedgerStore) -> LedgerStore:
    """Two entities: charters with fuel and marketing (Jan-Mar 2026), a consultancy."""
    ledger.add_entity(id="Boat", name="Boat Co")
    ledger.add_entity(id="Soft", name="Soft Co")
    ledger.post(
        [
            entry("Boat", date(2026, 1, 10), "charter", (BANK, 1000), ("Income:Charters", -1000)),
            entry("Boat", date(2026, 2, 10), "charter", (BANK, 1500), ("Income:Charters", -1500)),
            entry("Boat", date(2026, 3, 10), "charter", (BANK, 2000), ("Income:Charters", -2000)),
            entry("Boat", date(2026, 3, 12), "fuel", ("Expenses:Fuel", 300), (BANK, -300)),
            entry("Boat", date(2026, 1, 12), "ads", ("Expenses:Marketing:Ads", 100), (BANK, -100)),
            entry(
                "Boat", date(2026, 3, 14), "print", ("Expenses:Marketing:Print", 50), (BANK, -50)
            ),
            # intercompany: the boat pays the consultancy; consolidation leaves both sides out
            entry(
                "Boat",
                date(2026, 3, 15),
                "app",
                ("Expenses:Software", 400),
                (BANK, -400),
                intercompany=True,
                counterparty="Soft",
            ),
            entry(
                "Soft",
                date(2026, 3, 15),
                "app",
                (BANK, 400),
                ("Income:Consulting", -400),
                intercompany=True,
                counterparty="Boat",
            ),
            entry("Soft", date(2026, 3, 20), "client", (BANK, 900), ("Income:Consulting", -900)),
        ]
    )
    return ledger


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "budget.csv"
    path.write_text(text)
    return path


GOOD = (
    "month,account,amount\n"
    "2026-01,Income:Charters,1200\n"
    "2026-02,Income:Charters,1200\n"
    '2026-03,Income:Charters,"1,800.00"\n'
    "2026-03,Expenses:Fuel,250\n"
    "2026-01,Expenses:Marketing,100\n"
    "2026-03,Expenses:Marketing,100\n"
    "2026-03,Expenses:Software,400\n"
)


def test_import_then_budget_vs_actual_for_the_month_and_year_to_date(
    books: LedgerStore, tmp_path: Path
) -> None:
    saved = import_budget(books, actor=OPERATOR, source=write(tmp_path, GOOD), entity_id="Boat")
    assert (saved.lines, saved.months) == (7, (202601, 202602, 202603))
    request = ReportRequest(reader=OPERATOR, report="cfo", entity="Boat", period=202603)
    result = budget_vs_actual(books, request)
    rows = {r.account: r for r in result.rows}
    assert list(rows) == [
        "Income:Charters",
        "Expenses:Fuel",
        "Expenses:Marketing",
        "Expenses:Software",
    ]
    charters = rows["Income:Charters"]
    assert (charters.budget_month, charters.actual_month) == (1800_00, 2000_00)
    assert (charters.budget_ytd, charters.actual_ytd) == (4200_00, 4500_00)
    assert charters.variance_month == 200_00 and charters.favorable(charters.variance_month)
    marketing = rows["Expenses:Marketing"]  # Ads and Print both count under Marketing
    assert (marketing.budget_month, marketing.actual_month) == (100_00, 50_00)
    assert (marketing.budget_ytd, marketing.actual_ytd) == (200_00, 150_00)
    fuel = rows["Expenses:Fuel"]
    assert fuel.variance_month == 50_00 and not fuel.favorable(fuel.variance_month)
    assert rows["Expenses:Software"].actual_month == 400_00  # one entity: intercompany counts
    assert result.ytd_label == "2026-01 to 2026-03"


def test_consolidated_sums_budgets_and_leaves_intercompany_out(
    books: LedgerStore, tmp_path: Path
) -> None:
    import_budget(books, actor=OPERATOR, source=write(tmp_path, GOOD), entity_id="Boat")
    soft = "month,account,amount\n2026-03,Income:Consulting,1000\n"
    import_budget(books, actor=OPERATOR, source=write(tmp_path, soft), entity_id="Soft")
    request = ReportRequest(reader=OPERATOR, report="cfo", entity="all", period=202603)
    rows = {r.account: r for r in budget_vs_actual(books, request).rows}
    assert rows["Income:Consulting"].budget_month == 1000_00
    assert rows["Income:Consulting"].actual_month == 900_00  # the 400 intercompany left out
    assert rows["Expenses:Software"].actual_month == 0


def test_every_bad_line_is_listed_and_nothing_is_written(
    books: LedgerStore, tmp_path: Path
) -> None:
    import_budget(books, actor=OPERATOR, source=write(tmp_path, GOOD), entity_id="Boat")
    before = budgets(books, ["Boat"], 202601, 202612)
    bad = (
        "month,account,amount\n"
        "2026-03,Income:Charters,999\n"  # fine on its own
        "2026-13,Expenses:Fuel,10\n"  # 3: no such month
        "2026-03,Expenses:Fule,10\n"  # 4: typo, no such account
        "2026-03,Assets:Bank:Checking,10\n"  # 5: not income or expenses
        "2026-03,Expenses:Fuel,ten\n"  # 6: not a number
        "2026-03,Expenses:Fuel,-5\n"  # 7: negative
        "2026-03,Income:Charters,1\n"  # 8: twice (line 2)
        "2026-03,Expenses:Marketing:Ads,5\n"  # 9: under Marketing (line 10)
        "2026-03,Expenses:Marketing,5\n"
        "2026-03,Expenses:Fuel\n"  # 11: a column short
    )
    with pytest.raises(Invalid) as caught:
        import_budget(books, actor=OPERATOR, source=write(tmp_path, bad), entity_id="Boat")
    numbers = [p.split(":")[0] for p in caught.value.problems]
    assert numbers == ["line 3", "line 6", "line 11"]  # the file's own problems come first
    bad_accounts = (
        "month,account,amount\n"
        "2026-03,Income:Charters,999\n"
        "2026-01,Expenses:Fuel,10\n"  # 3: fine
        "2026-03,Expenses:Fule,10\n"  # 4: typo, no such account
        "2026-03,Assets:Bank:Checking,10\n"  # 5: not income or expenses
        "2026-02,Expenses:Fuel,10\n"  # 6: fine
        "2026-03,Expenses:Fuel,-5\n"  # 7: negative
        "2026-03,Income:Charters,1\n"  # 8: twice (line 2)
        "2026-03,Expenses:Marketing:Ads,5\n"  # 9: under Marketing (line 10)
        "2026-03,Expenses:Marketing,5\n"
    )
    with pytest.raises(Invalid) as caught:
        import_budget(books, actor=OPERATOR, source=write(tmp_path, bad_accounts), entity_id="Boat")
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 4", "line 5", "line 7", "line 8", "line 9"]
    assert "no account Expenses:Fule" in problems[0]
    assert "not under Income or Expenses" in problems[1]
    assert "negative" in problems[2]
    assert "twice" in problems[3] and "line 2" in problems[3]
    assert "under Expenses:Marketing" in problems[4] and "line 10" in problems[4]
    assert budgets(books, ["Boat"], 202601, 202612) == before


def test_cli_exits_2_with_every_problem_and_writes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.cli import main
    from core.cli.common import open_store

    store = open_store()
    store.add_entity(id="Boat", name="Boat Co")
    store.post([entry("Boat", date(2026, 1, 10), "fuel", ("Expenses:Fuel", 10), (BANK, -10))])
    bad = write(
        data_dir, "month,account,amount\n2026-01,Expenses:Fuel,x\n2026-00,Expenses:Fuel,1\n"
    )
    assert main(["budget", "import", str(bad), "--entity", "Boat"]) == 2
    err = capsys.readouterr().err
    assert "line 2: amount 'x' is not a number" in err and "line 3: period '2026-00'" in err
    assert budgets(store, ["Boat"], 202601, 202601) == []
    good = write(data_dir, "month,account,amount\n2026-01,Expenses:Fuel,12.50\n")
    assert main(["budget", "import", str(good), "--entity", "Boat"]) == 0
    assert "Saved 1 budget lines for Boat" in capsys.readouterr().out
    assert [b.amount_cents for b in budgets(store, ["Boat"], 202601, 202601)] == [1250]
    assert main(["budget", "import", str(good), "--entity", "Nope"]) == 2


def test_an_import_replaces_only_the_months_it_names(books: LedgerStore, tmp_path: Path) -> None:
    import_budget(books, actor=OPERATOR, source=write(tmp_path, GOOD), entity_id="Boat")
    march = "month,account,amount\n2026-03,Expenses:Fuel,275\n"
    import_budget(books, actor=OPERATOR, source=write(tmp_path, march), entity_id="Boat")
    rows = budgets(books, ["Boat"], 202601, 202612)
    assert [(b.month, b.account, b.amount_cents) for b in rows if b.month == 202603] == [
        (202603, "Expenses:Fuel", 275_00)
    ]
    assert len([b for b in rows if b.month < 202603]) == 3  # January and February kept


def test_only_the_owner_sets_budgets_within_their_entities(
    books: LedgerStore, tmp_path: Path
) -> None:
    path = write(tmp_path, GOOD)
    with pytest.raises(Forbidden, match="only the owner"):
        import_budget(books, actor=CFO, source=path, entity_id="Boat")
    scoped = UserScope(email="o@x.com", name="O", role="owner", entities=frozenset({"Soft"}))
    with pytest.raises(Forbidden, match="access to entity"):
        import_budget(books, actor=scoped, source=path, entity_id="Boat")
    with pytest.raises(NotFound):
        import_budget(books, actor=OPERATOR, source=path, entity_id="Nope")
    assert budgets(books, ["Boat"], 202601, 202612) == []


def test_save_from_the_editor_replaces_the_edited_months(books: LedgerStore) -> None:
    lines = [BudgetLine(202603, "Expenses:Fuel", 300_00, 1)]
    saved = save_budget(books, actor=OPERATOR, entity_id="Boat", lines=lines, months={202603})
    assert saved.lines == 1
    save_budget(books, actor=OPERATOR, entity_id="Boat", lines=[], months={202603})
    assert budgets(books, ["Boat"], 202603, 202603) == []
    with pytest.raises(Invalid, match="no budget was saved"):
        save_budget(books, actor=OPERATOR, entity_id="Boat", lines=lines, months={202604})
