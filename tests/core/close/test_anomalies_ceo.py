"""The CEO report's operational shortfalls count each entity's open anomalies of the month."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.auth.dashboard_users import OPERATOR
from core.close.anomalies import mark_expected, period_anomalies
from core.ledger.store import LedgerStore
from core.reports.ceo import build_ceo
from core.reports.model import Finding, Table
from core.reports.scope import resolve_scope
from tests.core.close.planted import ENTITY, OTHER, PERIOD, seed

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 12, 5, 9, tzinfo=LA)


def _shortfalls(store: LedgerStore) -> tuple[dict[str, int], list[str]]:
    report = build_ceo(store, resolve_scope(store, entity="all", period=PERIOD), tz=LA, now=NOW)
    section = next(s for s in report.sections if s.id == "shortfalls")
    table = next(i for i in section.items if isinstance(i, Table) and i.id == "books_shortfalls")
    counts = {row["entity"]: row["open_anomalies"] for row in table.rows}
    findings = [i.text for i in section.items if isinstance(i, Finding)]
    return counts, findings


def test_open_anomalies_are_operational_shortfalls(store: LedgerStore) -> None:
    seed(store)
    counts, findings = _shortfalls(store)
    assert counts == {"Acme Co": 4, "Bolt Co": 0}
    assert any(f.startswith("4 open anomalies in Nov 2026") for f in findings), findings
    for a in period_anomalies(store, actor=OPERATOR, entity=ENTITY, period=PERIOD):
        mark_expected(store, actor=OPERATOR, entity_id=ENTITY, anomaly_id=a.id)
    counts, findings = _shortfalls(store)
    assert counts == {"Acme Co": 0, "Bolt Co": 0}
    assert not any("open anomal" in f for f in findings)
    assert OTHER  # Bolt: an entity without anomalies still has its row
