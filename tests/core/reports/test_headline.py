"""Every report names four of its own KPIs as its headline: the first screen's tiles."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.ledger.store import LedgerStore
from core.reports.headline import HEADLINE, headline_ids
from core.reports.registry import BUILDERS, build_scoped
from core.reports.scope import resolve_scope
from tests.conftest import BANK, entry

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 5, 20, 12, tzinfo=UTC)


@pytest.fixture
def books(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="A", name="Alpha")
    store.post([entry("A", date(2026, 5, 3), "sale", (BANK, 1000), ("Income:Sales", -1000))])
    return store


def test_every_report_has_a_headline() -> None:
    assert set(HEADLINE) == set(BUILDERS)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_headline_names_four_of_the_reports_kpis(books: LedgerStore, name: str) -> None:
    scope = resolve_scope(books, entity="A", period=202605)
    report = build_scoped(name, books, scope, tz=LA, now=NOW)
    assert report.headline == headline_ids(name)
    assert len(report.headline) == len(set(report.headline)) == 4
    ids = [k.id for k in report.kpis]
    assert set(report.headline) <= set(ids), (report.headline, ids)


def test_a_report_without_a_headline_has_none() -> None:
    assert headline_ids("no-such-report") == []
