"""A KPI shown on two pages is one number: every KPI id shared by two reports has the same
value (and, with the same target, the same status) for the same scope, period and as-of."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.demo import ENTITIES, seed_demo
from core.ledger.store import LedgerStore
from core.reports.model import KPI
from core.reports.registry import BUILDERS, build_scoped
from core.reports.scope import resolve_scope

TZ = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 20, 10, tzinfo=TZ)
COMPLETED, RUNNING = 202610, 202611  # October is closed; November is under way on NOW
SCOPES = ["all", *(e[0] for e in ENTITIES)]
# CONTRACT: these ids appear in both reports (a report losing one would hide a disagreement)
SHARED = {"ar_over_60": {"ceo", "client-billing"}, "revenue": {"ceo", "cfo"}}
APPLIES = {"all": 8, "DangerousCentaur": 4}  # at least this many reports per scope


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerStore]:
    path: Path = tmp_path_factory.mktemp("consistency") / "ledger.db"
    store = LedgerStore(f"sqlite:///{path}")
    store.create_all()
    seed_demo(store, months=15, today=NOW.date())
    yield store


def kpis_by_report(store: LedgerStore, entity: str, period: int) -> dict[str, dict[str, KPI]]:
    """The KPIs of every report that applies to the scope (has any figure: client billing
    has none for an entity without clients), built at the same moment."""
    scope = resolve_scope(store, entity=entity, period=period)
    out = {}
    for name in BUILDERS:
        kpis = build_scoped(name, store, scope, tz=TZ, now=NOW).kpis
        if any(k.value is not None for k in kpis):
            out[name] = {k.id: k for k in kpis}
    return out


@pytest.mark.parametrize("period", [COMPLETED, RUNNING])
@pytest.mark.parametrize("entity", SCOPES)
def test_every_shared_kpi_has_one_value(demo: LedgerStore, entity: str, period: int) -> None:
    reports = kpis_by_report(demo, entity, period)
    assert len(reports) >= APPLIES.get(entity, 3), sorted(reports)
    where: dict[str, list[str]] = defaultdict(list)
    for name, kpis in reports.items():
        for kid in kpis:
            where[kid].append(name)
    for kid, names in SHARED.items():
        if names <= set(reports):
            assert names <= set(where[kid]), f"{kid} should appear in {sorted(names)}"
    shared = {kid: names for kid, names in where.items() if len(names) > 1}
    problems = []
    for kid, names in shared.items():
        first, *others = names
        a = reports[first][kid]
        for other in others:
            b = reports[other][kid]
            if a.value != b.value:
                problems.append(f"{kid}: {first} {a.value} vs {other} {b.value}")
            elif a.target == b.target and a.status != b.status:
                problems.append(f"{kid} status: {first} {a.status} vs {other} {b.status}")
    assert not problems, f"{entity} {period}: " + "; ".join(problems)


def test_overdue_receivables_of_the_issue_agree(demo: LedgerStore) -> None:
    """DangerousCentaur in October: the CEO page said $0 while client billing listed two
    invoices more than 60 days past due."""
    reports = kpis_by_report(demo, "DangerousCentaur", COMPLETED)
    ceo, billing = reports["ceo"]["ar_over_60"], reports["client-billing"]["ar_over_60"]
    assert ceo.value == billing.value
    assert ceo.value and ceo.value > 0
