"""Replace the demo with my data: only demo entities and all of theirs go, in one transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from core.auth.dashboard_users import UserScope, add_user, get_user
from core.demo import seed_demo
from core.errors import Forbidden
from core.ledger.models import (
    CategorizationRule,
    Entity,
    JournalEntry,
    Subscription,
    SubscriptionRun,
    Target,
)
from core.ledger.store import LedgerStore, NewEntry
from core.onboarding import demo_removal
from core.onboarding.businesses import add_business, list_businesses
from core.onboarding.demo_removal import replace_demo

TODAY = date(2026, 11, 15)


def _subscription(store: LedgerStore, entity: str) -> int:
    with store.session() as s:
        sub = Subscription(
            report="cfo",
            entity=entity,
            recipients="me@example.com",
            cron="0 7 * * MON",
            tz="UTC",
            created_at=datetime.now(UTC),
        )
        s.add(sub)
        s.commit()
        s.add(
            SubscriptionRun(
                subscription_id=sub.id, due_at="2026-11-02T15:00:00+00:00", status="sent",
                updated_at=datetime.now(UTC),
            )
        )  # fmt: skip
        s.commit()
        assert sub.id is not None
        return sub.id


def _rows_of(store: LedgerStore, ids: list[str]) -> dict[str, int]:
    """Rows per table that name one of ``ids`` (tables with an entity_id column)."""
    out = {}
    with store.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if "entity_id" in table.c:
                query = select(func.count()).where(table.c.entity_id.in_(ids))
                out[table.name] = int(conn.scalar(query.select_from(table)) or 0)
    return out


@pytest.fixture
def portfolio(ledger: LedgerStore) -> tuple[LedgerStore, UserScope, str, list[str]]:
    """The demo plus one real business with entries, a rule, targets and a schedule."""
    seed_demo(ledger, months=2, today=TODAY)
    demo_ids = [e.id for e in ledger.list_entities()]
    add_user(ledger, email="owner@example.com", role="owner", password="x" * 12)
    owner = get_user(ledger, "owner@example.com")
    real = add_business(ledger, owner, name="My Charters", kind="sailing-charters").id
    ledger.post(
        [
            NewEntry(
                real,
                date(2026, 10, 5),
                "Sunset sail",
                [("Assets:Bank:Checking", 800_00), ("Income:Charters", -800_00)],
            )
        ]
    )
    with ledger.session() as s:
        s.add(Target(entity_id=real, kpi_id="revenue", month=202610, value=900))
        s.add(
            CategorizationRule(
                entity_id=real,
                pattern="SHELL",
                account="Expenses:Fuel",
                created_at=datetime.now(UTC),
            )
        )
        s.commit()
    _subscription(ledger, real)
    _subscription(ledger, demo_ids[0])
    return ledger, owner, real, demo_ids


def test_only_the_demo_goes(portfolio: tuple[LedgerStore, UserScope, str, list[str]]) -> None:
    store, owner, real, demo_ids = portfolio
    real_rows = _rows_of(store, [real])
    assert any(_rows_of(store, demo_ids).values())

    assert replace_demo(store, owner) == sorted(demo_ids)

    assert [e.id for e in store.list_entities()] == [real]
    assert not any(_rows_of(store, demo_ids).values())
    assert _rows_of(store, [real]) == real_rows
    assert store.targets(real) == {("revenue", 202610): 900}
    assert store.targets("all") == {}  # set over a portfolio that held the demo
    with store.session() as s:
        subs = list(s.exec(select(Subscription.entity)).scalars())
        runs = list(s.exec(select(SubscriptionRun.subscription_id)).scalars())
    assert subs == [real] and len(runs) == 1
    assert not store.has_demo_data()
    assert store.rollup_matches_lines()
    assert [b.name for b in list_businesses(store)] == ["My Charters"]
    assert replace_demo(store, owner) == []  # nothing left to remove


def test_refused_to_anyone_but_an_owner(
    portfolio: tuple[LedgerStore, UserScope, str, list[str]],
) -> None:
    store, _owner, _real, demo_ids = portfolio
    add_user(store, email="cfo@example.com", role="cfo", password="x" * 12)
    with pytest.raises(Forbidden):
        replace_demo(store, get_user(store, "cfo@example.com"))
    assert {e.id for e in store.list_entities() if e.is_demo} == set(demo_ids)


def test_all_or_nothing(
    portfolio: tuple[LedgerStore, UserScope, str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, owner, _real, demo_ids = portfolio
    before = _rows_of(store, demo_ids)

    def fail(_conn: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_removal, "bump_revision", fail)  # the last statement fails
    with pytest.raises(RuntimeError):
        replace_demo(store, owner)
    assert _rows_of(store, demo_ids) == before
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Entity)) == len(demo_ids) + 1
        assert conn.scalar(select(func.count()).select_from(JournalEntry)) > 1
