"""The ledger store contract, on every backend (SQLite and a real PostgreSQL server):
balanced postings only, all or nothing, rollup kept exact, and everything users rely on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.auth.dashboard_users import add_user, get_user, list_users
from core.demo import ENTITIES, seed_demo
from core.errors import Conflict, Invalid, NotFound
from core.ledger.lines import LineQuery, debits_between, find_lines
from core.ledger.models import Target
from core.ledger.store import (
    LedgerStore,
    NewEntry,
    account_root,
    ledger_revision,
    totals_by_account,
)
from core.sources.runs import latest_runs, load_cursor, save_cursor, sync_run
from tests.conftest import BANK, entry

TODAY = date(2026, 11, 24)


def test_unbalanced_entry_is_refused_and_nothing_is_written(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    good = entry("A", date(2026, 1, 5), "ok", (BANK, 100), ("Income:Sales", -100))
    bad = entry("A", date(2026, 1, 6), "bad", (BANK, 100), ("Income:Sales", -90))
    with pytest.raises(Invalid) as err:
        ledger.post([good, bad])
    assert "unbalanced" in str(err.value)
    assert "entry 2" in str(err.value)
    assert ledger.line_count() == 0


def test_every_problem_of_every_entry_is_listed(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    one_line = NewEntry("A", date(2026, 1, 1), "x", [(BANK, 0)])
    bad_root = entry("A", date(2026, 1, 1), "y", ("Cash", 5), ("Income:Sales", -5))
    with pytest.raises(Invalid) as err:
        ledger.post([one_line, bad_root])
    problems = err.value.problems
    assert any(p.startswith("entry 1: an entry needs at least two lines") for p in problems)
    assert any(p.startswith("entry 2: account 'Cash' must start with") for p in problems)


def test_unknown_entity_is_refused(ledger: LedgerStore) -> None:
    with pytest.raises(Invalid, match="unknown entity 'Nope'"):
        ledger.post([entry("Nope", date(2026, 1, 1), "x", (BANK, 1), ("Income:Sales", -1))])
    assert ledger.is_empty()


def test_duplicate_entity_and_unknown_entity_lookup(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    with pytest.raises(Conflict):
        ledger.add_entity(id="A", name="Again")
    with pytest.raises(NotFound):
        ledger.get_entity("B")
    with pytest.raises(Invalid):
        ledger.add_entity(id="has space", name="x")


def test_account_paths_are_validated() -> None:
    assert account_root("Expenses:Fuel") == "Expenses"
    for bad in ("Fuel", "Expenses", "Expenses::Fuel", "Revenue:Sales", "Assets:"):
        with pytest.raises(Invalid):
            account_root(bad)


def test_fingerprinted_entries_post_once(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    e = entry("A", date(2026, 2, 1), "x", (BANK, 10), ("Income:Sales", -10), fingerprint="fp1")
    first = ledger.post([e])
    again = ledger.post([e, e])
    assert (first.posted, first.skipped) == (1, 0)
    assert (again.posted, again.skipped) == (0, 2)
    assert ledger.line_count() == 2


def test_rollup_matches_a_fresh_aggregation_of_lines(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    entries = [
        entry("A", date(2026, 1, 31), "jan", (BANK, 50), ("Income:Sales", -50)),
        entry("A", date(2026, 2, 1), "feb", (BANK, 70), ("Income:Sales", -70)),
        entry("B", date(2026, 2, 1), "ic", ("Expenses:Rent", 30), (BANK, -30), intercompany=True),
        entry("A", date(2026, 2, 9), "feb2", ("Expenses:Fuel", 12.34), (BANK, -12.34)),
    ]
    ledger.post(entries[:2])
    ledger.post(entries[2:])
    assert ledger.rollup_matches_lines()
    rows = ledger.monthly_rows(["A"])
    assert totals_by_account(rows) == {
        BANK: 107_66,
        "Income:Sales": -120_00,
        "Expenses:Fuel": 12_34,
    }
    by_month = {(r.path, r.month): r.cents for r in rows}
    assert by_month[("Income:Sales", 202601)] == -50_00  # Jan 31 stays in January
    assert by_month[("Income:Sales", 202602)] == -70_00


def test_expense_accounts_default_to_fixed_unless_told(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    ledger.post(
        [
            entry("A", date(2026, 1, 2), "a", ("Expenses:Rent", 1), (BANK, -1)),
            entry(
                "A",
                date(2026, 1, 2),
                "b",
                ("Expenses:Fuel", 1),
                (BANK, -1),
                cost_behaviors={"Expenses:Fuel": "variable"},
            ),
        ]
    )
    behaviors = {r.path: r.cost_behavior for r in ledger.monthly_rows(["A"])}
    assert behaviors == {"Expenses:Rent": "fixed", "Expenses:Fuel": "variable", BANK: None}


def test_delete_entities_removes_everything_of_theirs(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    ledger.post([entry("A", date(2026, 1, 2), "a", (BANK, 1), ("Income:X", -1))])
    ledger.post([entry("B", date(2026, 1, 2), "b", (BANK, 2), ("Income:X", -2))])
    ledger.delete_entities(["A"])
    assert [e.id for e in ledger.list_entities()] == ["B"]
    assert ledger.line_count() == 2
    assert ledger.rollup_matches_lines()


# -- entities ----------------------------------------------------------------------------------
def test_entities_round_trip_listed_by_name_in_code_point_order(ledger: LedgerStore) -> None:
    assert ledger.is_empty() and not ledger.has_demo_data()
    ledger.add_entity(id="z-1", name="beta", kind="rental")
    ledger.add_entity(id="A.2", name="Zulu")
    ledger.add_entity(id="b_3", name="Alpha", is_demo=True)
    # code points, as SQLite and Python compare: "Z" before "b" (a language collation would not)
    assert [e.name for e in ledger.list_entities()] == ["Alpha", "Zulu", "beta"]
    got = ledger.get_entity("z-1")
    assert (got.id, got.name, got.kind, got.is_demo) == ("z-1", "beta", "rental", False)
    assert ledger.get_entity("b_3").is_demo and ledger.has_demo_data()
    assert not ledger.is_empty()


@pytest.mark.parametrize("bad", ["", "has space", "-lead", "a" * 65, "semi;colon", "é"])
def test_bad_entity_ids_and_names_are_refused(ledger: LedgerStore, bad: str) -> None:
    with pytest.raises(Invalid):
        ledger.add_entity(id=bad, name="x")
    with pytest.raises(Invalid):
        ledger.add_entity(id="ok", name="   ")
    assert ledger.is_empty()


def test_entity_ids_are_case_sensitive_and_unique(ledger: LedgerStore) -> None:
    ledger.add_entity(id="Acme", name="Acme")
    ledger.add_entity(id="acme", name="Other acme")
    with pytest.raises(Conflict, match="already exists"):
        ledger.add_entity(id="Acme", name="Again")
    assert ledger.get_entity("acme").name == "Other acme"
    assert len(ledger.list_entities()) == 2


# -- posting and reading -----------------------------------------------------------------------
def test_postings_report_what_they_wrote_and_read_back(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    assert ledger.post([]) == ledger.post([]) and ledger.post([]).posted == 0
    result = ledger.post(
        [
            entry("A", date(2026, 3, 1), "sale", (BANK, 1_000), ("Income:Sales", -1_000)),
            entry(
                "A",
                date(2026, 3, 20),
                "split",
                ("Expenses:Fuel", 60.5),
                ("Expenses:Moorage", 39.5),
                (BANK, -100),
            ),
            entry("A", date(2026, 3, 21), "refund", ("Income:Sales", 25), (BANK, -25)),
        ]
    )
    assert (result.posted, result.skipped, result.lines) == (3, 0, 7)
    assert ledger.line_count() == 7 and ledger.last_entry_date() == date(2026, 3, 21)
    # gross debits and credits of one account in one month, both positive
    assert ledger.gross_in_month(["A"], "Income:Sales", 202603) == (25_00, 1_000_00)
    assert ledger.gross_in_month(["A"], "Income:Sales", 202604) == (0, 0)
    assert totals_by_account(ledger.monthly_rows(["A"])) == {
        BANK: 875_00,
        "Income:Sales": -975_00,
        "Expenses:Fuel": 60_50,
        "Expenses:Moorage": 39_50,
    }
    assert sum(r.cents for r in ledger.monthly_rows(["A"])) == 0  # balanced
    assert ledger.rollup_matches_lines()


def test_rollup_rows_carry_intercompany_and_stay_per_entity(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    ledger.post(
        [
            entry("A", date(2026, 5, 1), "lease in", (BANK, 500), ("Income:Lease", -500)),
            entry(
                "A",
                date(2026, 5, 2),
                "lease ic",
                (BANK, 300),
                ("Income:Lease", -300),
                intercompany=True,
                counterparty="B",
            ),
            entry("B", date(2026, 5, 2), "lease ic", ("Expenses:Lease", 300), (BANK, -300)),
        ]
    )
    rows = {(r.entity_id, r.path, r.intercompany): r.cents for r in ledger.monthly_rows(["A"])}
    assert rows == {
        ("A", BANK, False): 500_00,
        ("A", BANK, True): 300_00,
        ("A", "Income:Lease", False): -500_00,
        ("A", "Income:Lease", True): -300_00,
    }
    assert {r.entity_id for r in ledger.monthly_rows(["B"])} == {"B"}
    assert all(r.root == r.path.split(":")[0] for r in ledger.monthly_rows(["A", "B"]))


def test_fingerprints_dedupe_within_a_batch_and_across_postings(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    a = entry("A", date(2026, 2, 1), "a", (BANK, 1), ("Income:X", -1), fingerprint="fa")
    b = entry("A", date(2026, 2, 2), "b", (BANK, 2), ("Income:X", -2), fingerprint="fb")
    plain = entry("A", date(2026, 2, 3), "c", (BANK, 3), ("Income:X", -3))
    first = ledger.post([a, a, plain])
    second = ledger.post([b, a, plain])
    assert (first.posted, first.skipped) == (2, 1)
    assert (second.posted, second.skipped) == (2, 1)  # entries without a fingerprint repeat
    assert totals_by_account(ledger.monthly_rows(["A"]))[BANK] == (1 + 2 + 3 + 3) * 100


def test_a_posting_with_one_unknown_entity_writes_nothing(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    with pytest.raises(Invalid, match="unknown entity 'Ghost'"):
        ledger.post(
            [
                entry("A", date(2026, 1, 1), "ok", (BANK, 1), ("Income:X", -1)),
                entry("Ghost", date(2026, 1, 1), "no", (BANK, 1), ("Income:X", -1)),
            ]
        )
    assert ledger.line_count() == 0 and ledger.monthly_rows(["A"]) == []


def test_amounts_must_be_whole_cents_and_behaviors_known(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    fraction = NewEntry("A", date(2026, 1, 1), "x", [(BANK, 1.5), ("Income:X", -1.5)])  # type: ignore[list-item]
    behavior = entry(
        "A",
        date(2026, 1, 1),
        "y",
        ("Expenses:Fuel", 1),
        (BANK, -1),
        cost_behaviors={"Expenses:Fuel": "sometimes"},
    )
    with pytest.raises(Invalid) as err:
        ledger.post([fraction, behavior])
    assert any("whole cents" in p for p in err.value.problems)
    assert any("fixed or variable" in p for p in err.value.problems)
    assert ledger.line_count() == 0


# -- targets and the revision ------------------------------------------------------------------
def test_targets_insert_replace_and_delete_and_bump_the_revision(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    assert ledger_revision(ledger) == (0, 1)  # the new business
    ledger.set_targets(
        [
            Target(entity_id="A", kpi_id="revenue", month=202601, value=1000.5),
            Target(entity_id="A", kpi_id="revenue", month=202602, value=1100.0),
            Target(entity_id="all", kpi_id="revenue", month=202601, value=5000.0),
        ]
    )
    assert ledger_revision(ledger) == (0, 2)
    ledger.set_targets(
        [Target(entity_id="A", kpi_id="revenue", month=202601, value=999.25)],
        delete=[("A", "revenue", 202602), ("A", "nothing", 190001)],
    )
    assert ledger_revision(ledger) == (0, 3)
    assert ledger.targets("A") == {("revenue", 202601): 999.25}
    assert ledger.targets("all") == {("revenue", 202601): 5000.0}
    assert ledger.targets("B") == {}
    ledger.post([entry("A", date(2026, 1, 1), "x", (BANK, 1), ("Income:X", -1))])
    entries, other = ledger_revision(ledger)
    assert entries >= 1 and other == 3
    ledger.delete_entities(["A"])
    assert ledger.targets("A") == {} and ledger.targets("all") == {}
    assert ledger_revision(ledger)[1] == 4  # deleting a business moves it too


def test_delete_entities_removes_accounts_rules_and_syncs_too(ledger: LedgerStore) -> None:
    from core.ledger.recategorize import apply_rule, saved_rules

    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    for e in ("A", "B"):
        ledger.post([entry(e, date(2026, 1, 2), "SHOP", ("Expenses:Uncategorized", 5), (BANK, -5))])
        apply_rule(ledger, entity_id=e, pattern="shop", account="Expenses:Supplies")
        with sync_run(ledger, e, "stripe"):
            pass
    ledger.delete_entities(["A"])
    ledger.delete_entities([])
    assert [e.id for e in ledger.list_entities()] == ["B"]
    assert saved_rules(ledger, "A") == [] and len(saved_rules(ledger, "B")) == 1
    assert latest_runs(ledger, ["A"]) == [] and len(latest_runs(ledger, ["B"])) == 1
    assert ledger.monthly_rows(["A"]) == [] and ledger.rollup_matches_lines()
    ledger.add_entity(id="A", name="Alpha again")  # the id is free again
    assert ledger.monthly_rows(["A"]) == []


# -- a source's cursor commits and rolls back with its posting ---------------------------------
def test_cursor_saved_in_the_posting_transaction(ledger: LedgerStore) -> None:
    ledger.add_entity(id="a", name="A")
    assert load_cursor(ledger, "a", "stripe") is None
    e = entry("a", date(2026, 1, 2), "x", (BANK, 5), ("Income:Sales", -5), fingerprint="t1")
    ledger.post([e], also=lambda conn: save_cursor(conn, "a", "stripe", {"after": "txn_1"}))
    assert load_cursor(ledger, "a", "stripe") == {"after": "txn_1"}
    ledger.post([e], also=lambda conn: save_cursor(conn, "a", "stripe", {"after": "txn_2"}))
    assert load_cursor(ledger, "a", "stripe") == {"after": "txn_2"}
    assert ledger.line_count() == 2  # the re-post was skipped, the cursor still moved


def test_cursor_and_entries_roll_back_together(ledger: LedgerStore) -> None:
    ledger.add_entity(id="a", name="A")
    ledger.post([], also=lambda conn: save_cursor(conn, "a", "stripe", {"after": "txn_0"}))

    def boom(conn: object) -> None:
        save_cursor(conn, "a", "stripe", {"after": "txn_9"})
        raise RuntimeError("network went away")

    e = entry("a", date(2026, 1, 2), "x", (BANK, 5), ("Income:Sales", -5))
    with pytest.raises(RuntimeError):
        ledger.post([e], also=boom)
    assert load_cursor(ledger, "a", "stripe") == {"after": "txn_0"}
    assert ledger.line_count() == 0 and ledger.monthly_rows(["a"]) == []
    assert ledger.rollup_matches_lines()


def test_instants_come_back_as_the_same_utc_instant(ledger: LedgerStore) -> None:
    """The PostgreSQL server of the tests runs in New York time: nothing may shift."""
    ledger.add_entity(id="a", name="A")
    la = datetime(2026, 11, 1, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    with sync_run(ledger, "a", "git", now=lambda: la):
        pass
    (run,) = latest_runs(ledger, ["a"])
    assert run.started_at == la and run.started_at.utcoffset() is not None
    assert run.started_at.astimezone(UTC).hour == 20


# -- uncategorized lines and line queries ------------------------------------------------------
def test_uncategorized_queue_newest_first_up_to_a_month(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    ledger.post(
        [
            entry("A", date(2026, 3, 5), "old", ("Expenses:Uncategorized", 1), (BANK, -1)),
            entry("A", date(2026, 4, 5), "in1", (BANK, 2), ("Income:Uncategorized", -2)),
            entry("A", date(2026, 4, 5), "in2", (BANK, 3), ("Income:Uncategorized", -3)),
            entry("A", date(2026, 5, 1), "later", ("Expenses:Uncategorized", 4), (BANK, -4)),
            entry("A", date(2026, 4, 9), "case", ("Expenses:uncategorized", 5), (BANK, -5)),
            entry("B", date(2026, 4, 6), "theirs", ("Expenses:Uncategorized", 6), (BANK, -6)),
        ]
    )
    queue = ledger.uncategorized_lines(["A"], through_month=202604)
    # newest first, ties by entry id descending; another case is another account
    assert [(q.description, q.path, q.cents) for q in queue] == [
        ("in2", "Income:Uncategorized", -3_00),
        ("in1", "Income:Uncategorized", -2_00),
        ("old", "Expenses:Uncategorized", 1_00),
    ]
    assert queue[0].entry_id > queue[1].entry_id and queue[0].date == date(2026, 4, 5)
    assert len(ledger.uncategorized_lines(["A", "B"], through_month=202612)) == 5


def test_line_queries_filter_in_sql_and_total_every_match(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    ledger.post(
        [
            entry("A", date(2026, 1, 10), "jan", (BANK, 100), ("Income:Charters", -100)),
            entry("A", date(2026, 2, 10), "feb", (BANK, 200), ("Income:Charters:Tips", -200)),
            entry(
                "A",
                date(2026, 2, 11),
                "ic",
                (BANK, 50),
                ("Income:Charters", -50),
                intercompany=True,
            ),
            entry("A", date(2026, 2, 12), "under", (BANK, 7), ("Income:A_B", -7)),
            entry("A", date(2026, 2, 13), "wild", (BANK, 9), ("Income:AxB:Sub", -9)),
            entry("A", date(2026, 2, 14), "case", (BANK, 11), ("Income:charters", -11)),
            entry("B", date(2026, 2, 10), "theirs", (BANK, 999), ("Income:Charters", -999)),
        ]
    )
    income = find_lines(ledger, ["A"], LineQuery(prefixes=("Income:Charters",)))
    assert [line.description for line in income.lines] == ["ic", "feb", "jan"]
    assert (income.count, income.total_cents, income.total_abs_cents) == (3, -350_00, 350_00)
    narrow = find_lines(
        ledger,
        ["A"],
        LineQuery(prefixes=("Income:Charters",), month_from=202602, exclude_intercompany=True),
        limit=10,
    )
    assert [(line.account, line.cents) for line in narrow.lines] == [
        ("Income:Charters:Tips", -200_00)
    ]
    # "_" is a character of the path, not a wildcard; case matters, as in the reports
    assert [
        line.description
        for line in find_lines(ledger, ["A"], LineQuery(prefixes=("Income:A_B",))).lines
    ] == ["under"]
    assert find_lines(ledger, ["A"], LineQuery(exact_suffix=":B")).count == 0
    limited = find_lines(ledger, ["A"], LineQuery(prefixes=("Assets",)), limit=2)
    assert len(limited.lines) == 2 and limited.count == 6
    assert limited.total_cents == (100 + 200 + 50 + 7 + 9 + 11) * 100
    assert find_lines(ledger, [], LineQuery()).count == 0
    assert debits_between(
        ledger,
        ["A", "B"],
        LineQuery(prefixes=("Assets:Bank",)),
        date(2026, 2, 1),
        date(2026, 2, 12),
    ) == {"A": 257_00, "B": 999_00}


# -- dashboard users ---------------------------------------------------------------------------
def test_dashboard_users_round_trip(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    before = datetime.now(UTC)
    add_user(ledger, email="Zed@Example.com", role="cfo", password="x" * 12, entities="A")
    add_user(ledger, email="ann_b@example.com", role="owner", password="y" * 12)
    add_user(ledger, email="ann.b@example.com", role="ceo", password="z" * 12)
    with pytest.raises(Conflict):
        add_user(ledger, email="zed@example.com", role="cfo", password="x" * 12)
    with pytest.raises(Invalid) as err:
        add_user(ledger, email="nope", role="boss", password="short", entities="Ghost")
    assert len(err.value.problems) == 4
    users = list_users(ledger)
    assert [u.email for u in users] == ["ann.b@example.com", "ann_b@example.com", "zed@example.com"]
    assert all(
        u.created_at.utcoffset() is not None and u.created_at >= before.replace(microsecond=0)
        for u in users
    )
    zed = get_user(ledger, "ZED@example.com")
    assert (zed.role, zed.entities) == ("cfo", frozenset({"A"}))
    assert get_user(ledger, "ann_b@example.com").entities is None
    with pytest.raises(NotFound):
        get_user(ledger, "who@example.com")


# -- the demo portfolio ------------------------------------------------------------------------
def test_demo_seed_is_balanced_refuses_to_repeat_and_force_replaces(ledger: LedgerStore) -> None:
    stats = seed_demo(ledger, months=3, today=TODAY)
    assert (stats.entities, stats.first_month, stats.last_month) == (6, 202609, 202611)
    assert stats.lines == ledger.line_count() > 0 and ledger.has_demo_data()
    assert {e.id for e in ledger.list_entities()} == {e[0] for e in ENTITIES}
    assert ledger.rollup_matches_lines()
    assert sum(r.cents for r in ledger.monthly_rows([e[0] for e in ENTITIES])) == 0
    assert ledger.last_entry_date() == TODAY
    with pytest.raises(Conflict):
        seed_demo(ledger, months=3, today=TODAY)
    ledger.add_entity(id="Mine", name="My own business")
    ledger.post([entry("Mine", date(2026, 11, 1), "mine", (BANK, 1), ("Income:X", -1))])
    again = seed_demo(ledger, months=3, today=TODAY, force=True)
    assert again.lines == stats.lines  # deterministic
    assert ledger.line_count() == stats.lines + 2  # the user's own entry survived
    assert ledger.rollup_matches_lines()
