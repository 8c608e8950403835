"""Both ledger backends give the same answers: every report's JSON on the same demo data,
re-categorized books, and postings that race each other (threads on one store)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.demo import ENTITIES, seed_demo
from core.errors import Conflict
from core.ledger.models import Target
from core.ledger.recategorize import apply_rule
from core.ledger.store import LedgerStore, PostResult, ledger_revision, totals_by_account
from core.reports.registry import BUILDERS, TAKES_AS_OF, build_scoped
from core.reports.scope import resolve_scope
from tests.conftest import BANK, PostgresDatabases, entry

LA = ZoneInfo("America/Los_Angeles")
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
SCOPES = ["all", *(e[0] for e in ENTITIES)]
PERIODS = [202610, 202611]  # a closed month and the open one (month to date)


def _report_json(store: LedgerStore, name: str, entity: str, period: int) -> str:
    as_of = date(2026, 11, 15) if name in TAKES_AS_OF else None
    scope = resolve_scope(store, entity=entity, period=period)
    report = build_scoped(name, store, scope, tz=LA, now=NOW, as_of=as_of)
    return json.dumps(report.to_dict(), sort_keys=True, default=str)


@pytest.fixture(scope="module")
def demo_pair(
    postgres_databases: PostgresDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, LedgerStore]]:
    """The same demo portfolio (13 months: targets and last year's month exist) on both."""
    url = postgres_databases.new()
    stores = {
        "sqlite": LedgerStore(f"sqlite:///{tmp_path_factory.mktemp('demo')}/ledger.db"),
        "postgresql": LedgerStore(url),
    }
    for store in stores.values():
        seed_demo(store, months=13, today=TODAY)
    yield stores
    for store in stores.values():
        store.engine.dispose()
    postgres_databases.drop(url)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_report_is_the_same_json_on_both_backends(
    demo_pair: dict[str, LedgerStore], name: str
) -> None:
    for entity in SCOPES:
        for period in PERIODS:
            want = _report_json(demo_pair["sqlite"], name, entity, period)
            got = _report_json(demo_pair["postgresql"], name, entity, period)
            assert got == want, f"{name} {entity} {period} differs on PostgreSQL"
    sample = json.loads(_report_json(demo_pair["postgresql"], name, "all", 202610))
    assert sample["kpis"] and sample["sections"]  # a real report, not two empty ones


def test_the_demo_ledgers_are_identical(demo_pair: dict[str, LedgerStore]) -> None:
    ids = [e[0] for e in ENTITIES]
    a, b = (demo_pair[k] for k in ("sqlite", "postgresql"))
    assert totals_by_account(a.monthly_rows(ids)) == totals_by_account(b.monthly_rows(ids))
    assert a.line_count() == b.line_count() > 1000
    assert a.targets("all") == b.targets("all") != {}
    assert a.rollup_matches_lines() and b.rollup_matches_lines()
    assert [e.name for e in a.list_entities()] == [e.name for e in b.list_entities()]


@pytest.fixture
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, LedgerStore]]:
    """A small demo (3 months) on both backends, for tests that change it."""
    stores = {
        "sqlite": LedgerStore(f"sqlite:///{tmp_path}/ledger.db"),
        "postgresql": LedgerStore(request.getfixturevalue("postgres_database")),
    }
    for store in stores.values():
        seed_demo(store, months=3, today=TODAY)
    yield stores
    for store in stores.values():
        store.engine.dispose()


def test_rules_and_targets_change_both_backends_alike(pair: dict[str, LedgerStore]) -> None:
    outcomes = []
    for store in pair.values():
        queue = store.uncategorized_lines(["QuickDumpNow"], through_month=202611)
        assert queue, "the demo has uncategorized lines"
        word = queue[0].description.split()[0]
        outcomes.append(
            apply_rule(store, entity_id="QuickDumpNow", pattern=word, account="Expenses:Supplies")
        )
        store.set_targets([Target(entity_id="all", kpi_id="cash", month=202611, value=1.0)])
        assert store.rollup_matches_lines()
    assert outcomes[0].moved_lines == outcomes[1].moved_lines > 0
    assert outcomes[0].moved_cents == outcomes[1].moved_cents
    for name in ("accounting", "cfo", "ceo"):
        for entity in ("all", "QuickDumpNow"):
            assert _report_json(pair["postgresql"], name, entity, 202611) == _report_json(
                pair["sqlite"], name, entity, 202611
            )


# -- races: threads posting into one store at once ---------------------------------------------
def _race(workers: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(i)`` on ``workers`` threads released together; the errors they raised."""
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except BaseException as exc:  # collected and asserted on by the caller
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a posting hung"
    return errors


def test_racing_postings_all_land_and_the_rollup_matches_the_lines(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    workers, per = 6, 15

    def work(i: int) -> None:
        for j in range(per):
            day = date(2026, 1 + j % 3, 1 + i)
            if (i + j) % 2:
                lines = [(BANK, 100 + i), ("Income:Sales", -(100 + i))]
            else:  # accounts every thread creates at once, lines in another order
                lines = [(f"Expenses:New{j % 4}", 7), ("Expenses:Fuel", 5), (BANK, -12)]
            ledger.post([entry("A", day, f"t{i}-{j}", *lines)])

    assert _race(workers, work) == []
    expected_bank = sum(100 + i if (i + j) % 2 else -12 for i in range(workers) for j in range(per))
    totals = totals_by_account(ledger.monthly_rows(["A"]))
    assert totals[BANK] == expected_bank * 100
    assert sum(totals.values()) == 0
    assert ledger.rollup_matches_lines()
    assert ledger.line_count() == sum(
        2 if (i + j) % 2 else 3 for i in range(workers) for j in range(per)
    )


def test_racing_reposts_of_one_fingerprint_write_it_once(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")
    results: list[PostResult] = []
    same = entry("A", date(2026, 1, 5), "once", (BANK, 10), ("Income:X", -10), fingerprint="fp")

    def work(_i: int) -> None:
        results.append(ledger.post([same]))

    errors = _race(6, work)
    # each racer posted it, skipped it, or was told it collided (nothing of it written)
    assert all(isinstance(e, Conflict) for e in errors), errors
    assert sum(r.posted for r in results) == 1
    assert len(results) + len(errors) == 6
    assert ledger.line_count() == 2 and ledger.rollup_matches_lines()


def test_racing_target_edits_all_count_in_the_revision(ledger: LedgerStore) -> None:
    ledger.add_entity(id="A", name="Alpha")  # a new business moves the revision once
    assert ledger_revision(ledger) == (0, 1)

    def work(i: int) -> None:
        ledger.set_targets([Target(entity_id="A", kpi_id=f"k{i}", month=202601, value=i)])

    assert _race(6, work) == []
    assert ledger_revision(ledger) == (0, 7)
    assert len(ledger.targets("A")) == 6
