"""CSV import on every ledger backend: columns by name, signs, rules, all-or-nothing,
fingerprints, dry run."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.errors import Invalid, NotFound
from core.ledger.csv_import import import_csv
from core.ledger.store import LedgerStore, totals_by_account
from core.reports.cfo import build_cfo
from core.reports.scope import resolve_scope

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BANK = "Assets:Bank:Checking"


@pytest.fixture
def demo(ledger: LedgerStore) -> LedgerStore:
    ledger.add_entity(id="Demo", name="Demo Co")
    return ledger


def write(tmp_path: Path, text: str, name: str = "s.csv") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_sample_statement_gives_hand_computed_cfo_numbers(demo: LedgerStore) -> None:
    result = import_csv(
        demo,
        path=str(FIXTURES / "bank_sample.csv"),
        entity_id="Demo",
        account=BANK,
        rules_path=str(FIXTURES / "rules_sample.yaml"),
    )
    assert (result.rows, result.posted, result.uncategorized) == (7, 7, 1)
    scope = resolve_scope(demo, entity="Demo", period=202603)
    report = build_cfo(demo, scope, tz=ZoneInfo("America/Los_Angeles"))
    # revenue: charters 1,200 + 2,400; expenses: fuel 85.40 + 64.50, slip 950, unknown 42.10
    assert report.kpi("revenue").value == 3600.00
    assert report.kpi("expenses").value == 1142.00
    assert report.kpi("net_income").value == 2458.00
    assert report.kpi("cash").value == 7458.00  # + the owner's 5,000, which is not revenue
    assert report.kpi("burn_rate").value == 0 and report.kpi("runway_months").value is None
    fixed, variable, revenue = (950 + 42.10) / 3, (85.40 + 64.50) / 3, 3600 / 3
    assert report.kpi("break_even_revenue").value == round(fixed / (1 - variable / revenue), 2)
    behaviors = {r.path: r.cost_behavior for r in demo.monthly_rows(["Demo"])}
    assert behaviors["Expenses:Fuel"] == "variable"
    assert behaviors["Expenses:Moorage"] == "fixed"
    assert behaviors["Expenses:Uncategorized"] == "fixed"


def test_debit_credit_columns_and_uncategorized_by_sign(demo: LedgerStore, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Posted Date, Payee ,Debit,Credit\n"
        "03/01/2026,Client payment,,250.00\n"
        "03/02/2026,Coffee,4.50,\n",
    )
    result = import_csv(demo, path=path, entity_id="Demo", account=BANK)
    assert result.uncategorized == 2
    totals = totals_by_account(demo.monthly_rows(["Demo"]))
    assert totals == {BANK: 245_50, "Income:Uncategorized": -250_00, "Expenses:Uncategorized": 4_50}


def test_every_bad_row_is_listed_and_nothing_is_written(demo: LedgerStore, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "date,description,amount\n"
        "2026-03-01,ok,10\n"
        "2026-02-30,bad date,10\n"
        "2026-03-02,bad amount,ten\n"
        "2026-03-03,,5\n"
        "2026-03-04,zero,0\n"
        "2026-03-05,too,many,columns\n"
        "2026-03-06,fraction,1.005\n",
    )
    with pytest.raises(Invalid) as err:
        import_csv(demo, path=path, entity_id="Demo", account=BANK)
    problems = err.value.problems
    assert [p.split(":")[0] for p in problems] == [f"row {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "not YYYY-MM-DD" in problems[0] and "not a number" in problems[1]
    assert "description is empty" in problems[2] and "zero" in problems[3]
    assert "columns" in problems[4] and "fraction of a cent" in problems[5]
    assert demo.line_count() == 0


def test_reimport_adds_nothing_but_identical_rows_of_one_file_both_count(
    demo: LedgerStore, tmp_path: Path
) -> None:
    path = write(tmp_path, "date,memo,amount\n2026-03-01,Coffee,-4.50\n2026-03-01,Coffee,-4.50\n")
    first = import_csv(demo, path=path, entity_id="Demo", account=BANK)
    again = import_csv(demo, path=path, entity_id="Demo", account=BANK)
    assert (first.posted, again.posted, again.skipped_duplicates) == (2, 0, 2)
    assert demo.line_count() == 4


def test_dry_run_writes_nothing(demo: LedgerStore) -> None:
    result = import_csv(
        demo, path=str(FIXTURES / "bank_sample.csv"), entity_id="Demo", account=BANK, dry_run=True
    )
    assert result.posted == 7 and demo.line_count() == 0
    assert "Dry run: would import 7 rows" in result.summary()
    assert "Nothing was written." in result.summary()


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("- {match: '(', account: Expenses:Fuel}", "not a valid regex"),
        ("- {match: x, account: Fuel}", "must start with one of"),
        ("- {match: x, account: Expenses:Fuel, cost_behavior: sometimes}", "fixed or variable"),
        ("- {account: Expenses:Fuel}", "needs 'match' and 'account'"),
        ("match: x", "must be a YAML list"),
        ("- [unclosed", "not valid YAML"),
    ],
)
def test_bad_rules_are_refused_before_any_row(
    demo: LedgerStore, tmp_path: Path, rules: str, message: str
) -> None:
    rules_path = write(tmp_path, rules, "rules.yaml")
    with pytest.raises(Invalid, match=message):
        import_csv(
            demo,
            path=str(FIXTURES / "bank_sample.csv"),
            entity_id="Demo",
            account=BANK,
            rules_path=rules_path,
        )
    assert demo.line_count() == 0


def test_unknown_entity_missing_columns_and_empty_files(demo: LedgerStore, tmp_path: Path) -> None:
    sample = str(FIXTURES / "bank_sample.csv")
    with pytest.raises(NotFound):
        import_csv(demo, path=sample, entity_id="Ghost", account=BANK)
    assert [e.id for e in demo.list_entities()] == ["Demo"]
    with pytest.raises(Invalid, match="lacks a column: amount"):
        import_csv(
            demo, path=write(tmp_path, "date,memo\n2026-01-01,x\n"), entity_id="Demo", account=BANK
        )
    with pytest.raises(Invalid, match="no transactions"):
        import_csv(demo, path=write(tmp_path, "date,memo,amount\n"), entity_id="Demo", account=BANK)
    with pytest.raises(Invalid, match="does not exist"):
        import_csv(demo, path=str(tmp_path / "nope.csv"), entity_id="Demo", account=BANK)
    with pytest.raises(Invalid, match="must start with"):
        import_csv(demo, path=sample, entity_id="Demo", account="Checking")
