"""Expected marks on PostgreSQL as on SQLite; the digest after an import; the demo's count."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.auth.dashboard_users import OPERATOR
from core.books.import_runs import import_statement
from core.close.anomalies import find_anomalies, mark_expected
from core.demo import seed_demo
from core.ledger.store import LedgerStore
from core.periods import first_day, last_day, month_range
from tests.core.close.planted import ENTITY, seed

NOV = {"since": date(2026, 11, 1), "until": date(2026, 11, 30)}


def test_marks_persist_on_postgresql(postgres_database: str) -> None:
    store = LedgerStore(postgres_database)
    seed(store)
    found = find_anomalies(store, actor=OPERATOR, entity=ENTITY, **NOV)
    assert len(found) == 4
    mark_expected(store, actor=OPERATOR, entity_id=ENTITY, anomaly_id=found[0].id, note="ok")
    mark_expected(store, actor=OPERATOR, entity_id=ENTITY, anomaly_id=found[0].id, note="again")
    store.engine.dispose()
    reopened = LedgerStore(postgres_database)  # a new engine: the mark is in the database
    left = find_anomalies(reopened, actor=OPERATOR, entity=ENTITY, **NOV)
    assert [a.id for a in left] == [a.id for a in found[1:]]
    reopened.engine.dispose()


def test_an_import_reports_its_anomalies(store: LedgerStore, tmp_path: Path) -> None:
    seed(store)
    csv = tmp_path / "nov.csv"
    csv.write_text("Date,Description,Amount\n2026-11-06,ADOBE CREATIVE CLOUD,-54.99\n")
    result = import_statement(
        store, actor=OPERATOR, source=csv, entity_id=ENTITY, account="Assets:Bank:Checking"
    )
    assert result.anomalies.startswith("1 anomaly: Likely duplicate: ADOBE CREATIVE CLOUD")
    assert "Anomalies: 1 anomaly" in result.summary()
    again = import_statement(
        store, actor=OPERATOR, source=csv, entity_id=ENTITY, account="Assets:Bank:Checking"
    )
    assert again.posted == 0 and again.anomalies == ""  # nothing new, no digest


def test_false_positives_on_the_demo_portfolio(store: LedgerStore) -> None:
    """36 months of the clean demo: 10 first-time counterparties (9 rental repair tickets whose
    description names the job, not the payee, and the demo's uncategorized 'VENDOR' line);
    no large charge, duplicate or cloud jump."""
    seed_demo(store, today=date(2026, 11, 20))
    found = []
    for month in month_range(202312, 202611):
        found += find_anomalies(
            store, actor=OPERATOR, entity="all", since=first_day(month), until=last_day(month)
        )
    assert {a.kind for a in found} == {"new_counterparty"}
    assert len(found) == 10
    assert sum(a.account == "Expenses:Repairs" for a in found) == 9
