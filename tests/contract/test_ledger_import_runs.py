"""Import runs on every ledger backend: preview writes nothing, each import is a run, undo
removes its entries and rollup in one transaction, and only the right people may do it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.books import import_runs
from core.books.import_runs import (
    import_statement,
    list_import_runs,
    preview_statement,
    undo_import,
)
from core.errors import Conflict, Forbidden
from core.ledger.bank_files import PREAMBLE
from core.ledger.recategorize import apply_rule
from core.ledger.store import LedgerStore, ledger_revision, totals_by_account

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BANK = "Assets:Bank:Checking"
BOFA = (FIXTURES / "bofa_checking.csv").read_bytes()
CFO_OF_A = UserScope(email="cfo@example.com", name="Cfo", role="cfo", entities=frozenset({"A"}))


@pytest.fixture
def books(ledger: LedgerStore) -> LedgerStore:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    apply_rule(ledger, entity_id="A", pattern=r"\bSHELL\s+OIL\b", account="Expenses:Fuel")
    return ledger


def test_preview_lists_rows_with_their_accounts_and_writes_nothing(books: LedgerStore) -> None:
    before = ledger_revision(books)
    preview = preview_statement(books, actor=CFO_OF_A, source=BOFA, entity_id="A", account=BANK)
    assert [(r.number, r.cents, r.account) for r in preview.rows] == [
        (9, 1200_00, None),
        (10, -85_40, "Expenses:Fuel"),
        (11, -950_00, None),
        (12, 2400_00, None),
        (13, -64_50, "Expenses:Fuel"),
        (14, -300_00, None),
    ]
    assert preview.mapping.amount == "Amount" and preview.header_row == 7
    assert [s.number for s in preview.skipped if s.reason == PREAMBLE] == [1, 2, 3, 4, 5]
    assert not any(r.duplicate for r in preview.rows)
    assert books.line_count() == 0 and ledger_revision(books) == before
    import_statement(books, actor=CFO_OF_A, source=BOFA, entity_id="A", account=BANK)
    again = preview_statement(books, actor=CFO_OF_A, source=BOFA, entity_id="A", account=BANK)
    assert all(r.duplicate for r in again.rows)


def test_each_import_is_a_run_listed_newest_first(books: LedgerStore) -> None:
    first = import_statement(
        books, actor=CFO_OF_A, source=BOFA, entity_id="A", account=BANK, file_name="march.csv"
    )
    assert (first.posted, first.skipped_duplicates, len(first.skipped)) == (6, 0, 6)
    assert "Skipped 6 lines that are not transactions" in first.summary()
    again = import_statement(books, actor=OPERATOR, source=BOFA, entity_id="A", account=BANK)
    chase = import_statement(
        books,
        actor=OPERATOR,
        source=FIXTURES / "chase_checking.csv",
        entity_id="B",
        account=BANK,
    )
    dry = import_statement(
        books, actor=OPERATOR, source=BOFA, entity_id="B", account=BANK, dry_run=True
    )
    assert dry.run_id is None  # a check is not a run
    runs = list_import_runs(books, actor=OPERATOR)
    assert [r.id for r in runs] == [chase.run_id, again.run_id, first.run_id]
    newest_a = runs[1]
    assert (newest_a.imported, newest_a.duplicates, newest_a.skipped_lines) == (0, 6, 6)
    oldest = runs[2]
    assert (oldest.file_name, oldest.created_by, oldest.rows) == ("march.csv", CFO_OF_A.email, 6)
    assert runs[0].file_name == "chase_checking.csv"
    # a scoped user sees only their entities' runs
    assert [r.entity_id for r in list_import_runs(books, actor=CFO_OF_A)] == ["A", "A"]


def test_undo_removes_entries_lines_and_rollup_then_reimport_works(books: LedgerStore) -> None:
    keep = import_statement(
        books, actor=OPERATOR, source=FIXTURES / "chase_checking.csv", entity_id="A", account=BANK
    )
    totals_before = totals_by_account(books.monthly_rows(["A"]))
    lines_before = books.line_count()
    run = import_statement(
        books, actor=OPERATOR, source=BOFA, entity_id="A", account="Assets:Bank:Savings"
    )
    # a line categorized after the import is still taken back from where it now is
    apply_rule(books, entity_id="A", pattern="^WEST MARINE", account="Expenses:Supplies")
    revision = ledger_revision(books)
    done = undo_import(books, actor=CFO_OF_A, run_id=run.run_id or 0)
    assert (done.entries, done.lines) == (6, 12)
    assert books.line_count() == lines_before
    after = {k: v for k, v in totals_by_account(books.monthly_rows(["A"])).items() if v}
    assert after == {k: v for k, v in totals_before.items() if v}
    assert books.rollup_matches_lines()
    assert ledger_revision(books) != revision
    undone = next(r for r in list_import_runs(books, actor=OPERATOR) if r.id == run.run_id)
    assert undone.undone_at is not None and undone.undone_by == CFO_OF_A.email
    with pytest.raises(Conflict, match="already undone"):
        undo_import(books, actor=OPERATOR, run_id=run.run_id or 0)
    again = import_statement(
        books, actor=OPERATOR, source=BOFA, entity_id="A", account="Assets:Bank:Savings"
    )
    assert again.posted == 6  # the fingerprints left with the entries
    assert keep.run_id is not None and books.rollup_matches_lines()


def test_a_locked_period_refuses_the_undo_and_changes_nothing(
    books: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = import_statement(books, actor=OPERATOR, source=BOFA, entity_id="A", account=BANK)
    seen: list[set[int]] = []

    def locked(conn: object, entity_id: str, months: set[int]) -> str:
        seen.append(set(months))
        return "2026-03 is closed"

    monkeypatch.setattr(import_runs, "locked_months_problem", locked)
    with pytest.raises(Conflict, match="2026-03 is closed"):
        undo_import(books, actor=OPERATOR, run_id=run.run_id or 0)
    assert seen == [{202603}]
    assert books.line_count() == 12 and books.rollup_matches_lines()
    assert list_import_runs(books, actor=OPERATOR)[0].undone_at is None


def test_who_may_import_and_undo(books: LedgerStore) -> None:
    cmo = UserScope(email="cmo@example.com", name="Cmo", role="cmo", entities=None)
    with pytest.raises(Forbidden, match="only the owner, the CFO and the accountant"):
        import_statement(books, actor=cmo, source=BOFA, entity_id="A", account=BANK)
    with pytest.raises(Forbidden, match="access to entity 'B'"):
        import_statement(books, actor=CFO_OF_A, source=BOFA, entity_id="B", account=BANK)
    with pytest.raises(Forbidden, match="access to entity 'B'"):
        preview_statement(books, actor=CFO_OF_A, source=BOFA, entity_id="B", account=BANK)
    with pytest.raises(Forbidden):
        list_import_runs(books, actor=CFO_OF_A, entity_id="B")
    with pytest.raises(Forbidden):
        list_import_runs(books, actor=cmo)
    run_b = import_statement(books, actor=OPERATOR, source=BOFA, entity_id="B", account=BANK)
    with pytest.raises(Forbidden, match="access to entity 'B'"):
        undo_import(books, actor=CFO_OF_A, run_id=run_b.run_id or 0)
    assert books.line_count() == 12
    accountant = UserScope(email="acc@example.com", name="Acc", role="accountant", entities=None)
    assert undo_import(books, actor=accountant, run_id=run_b.run_id or 0).entries == 6


def test_removing_an_entity_removes_its_runs(books: LedgerStore) -> None:
    import_statement(books, actor=OPERATOR, source=BOFA, entity_id="B", account=BANK)
    books.delete_entities(["B"])
    assert list_import_runs(books, actor=OPERATOR) == []
    assert books.line_count() == 0


def test_two_undos_at_once_remove_the_entries_once(books: LedgerStore) -> None:
    run = import_statement(books, actor=OPERATOR, source=BOFA, entity_id="A", account=BANK)
    start = threading.Barrier(2)

    def undo() -> object:
        start.wait()
        try:
            return undo_import(books, actor=OPERATOR, run_id=run.run_id or 0)
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _: undo(), range(2)))
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "UndoResult"]
    assert books.line_count() == 0 and books.rollup_matches_lines()
