"""The setup checklist ticks itself from what exists; demo data never ticks a step."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope, add_user, get_user
from core.demo import seed_demo
from core.errors import Forbidden
from core.ledger.csv_import import import_csv
from core.ledger.models import Subscription, Target
from core.ledger.store import LedgerStore
from core.onboarding.businesses import add_business
from core.onboarding.checklist import set_checklist_dismissed, setup_checklist

STATEMENT = "Date,Description,Amount\n2026-10-02,SHELL OIL 57442,-48.10\n2026-10-03,CLIENT,900.00\n"


def done(store: LedgerStore) -> dict[str, bool]:
    return {s.id: s.done for s in setup_checklist(store).steps}


@pytest.fixture
def owner(store: LedgerStore) -> UserScope:
    add_user(store, email="owner@example.com", role="owner", password="x" * 12)
    return get_user(store, "owner@example.com")


def test_an_empty_ledger_has_every_step_to_do(store: LedgerStore) -> None:
    checklist = setup_checklist(store)
    assert [s.id for s in checklist.steps] == [
        "businesses",
        "import",
        "categorise",
        "targets",
        "invite",
        "schedule",
    ]
    assert not any(s.done for s in checklist.steps)
    assert [s.page for s in checklist.steps] == [
        "businesses",
        "data",
        "accounting",  # the queue, not Data where statements are imported
        "cfo",
        "users",
        "reports",
    ]
    assert checklist.next_step is not None and checklist.next_step.id == "businesses"
    assert not checklist.dismissed and not checklist.complete


def test_steps_tick_as_the_owner_sets_up(
    store: LedgerStore, owner: UserScope, tmp_path: Path
) -> None:
    biz = add_business(store, owner, name="Harbor Tours", kind="sailing-charters")
    assert done(store) == {
        "businesses": True,
        "import": False,
        "categorise": False,
        "targets": False,
        "invite": False,
        "schedule": False,
    }
    csv_file = tmp_path / "bank.csv"
    csv_file.write_text(STATEMENT)
    import_csv(store, path=str(csv_file), entity_id=biz.id, account="Assets:Bank:Checking")
    assert done(store)["import"] and not done(store)["categorise"]  # two lines uncategorised
    with store.session() as s:
        s.add(Target(entity_id=biz.id, kpi_id="revenue", month=202610, value=1000))
        s.add(
            Subscription(
                report="cfo",
                entity=biz.id,
                recipients="me@example.com",
                cron="0 7 * * MON-FRI",
                tz="UTC",
                created_at=datetime.now(UTC),
            )
        )
        s.commit()
    add_user(store, email="acc@example.com", role="accountant", password="x" * 12)
    ticks = done(store)
    assert ticks == {**ticks, "targets": True, "invite": True, "schedule": True}
    assert not ticks["categorise"]


def test_categorised_when_no_line_waits(
    store: LedgerStore, owner: UserScope, tmp_path: Path
) -> None:
    biz = add_business(store, owner, name="Harbor Tours", kind="sailing-charters")
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "- {match: SHELL, account: 'Expenses:Fuel'}\n"
        "- {match: CLIENT, account: 'Income:Charters'}\n"
    )
    csv_file = tmp_path / "bank.csv"
    csv_file.write_text(STATEMENT)
    import_csv(
        store,
        path=str(csv_file),
        entity_id=biz.id,
        account="Assets:Bank:Checking",
        rules_path=str(rules),
    )
    assert done(store)["categorise"]


def test_the_demo_ticks_nothing(store: LedgerStore) -> None:
    seed_demo(store, months=2, today=date(2026, 11, 15))
    assert not any(done(store).values())


def test_dismissing_is_for_the_owner_and_stays(store: LedgerStore, owner: UserScope) -> None:
    add_user(store, email="cfo@example.com", role="cfo", password="x" * 12)
    with pytest.raises(Forbidden):
        set_checklist_dismissed(store, get_user(store, "cfo@example.com"), dismissed=True)
    assert not setup_checklist(store).dismissed
    set_checklist_dismissed(store, owner, dismissed=True)
    assert setup_checklist(store).dismissed
    set_checklist_dismissed(store, OPERATOR, dismissed=False)
    assert not setup_checklist(store).dismissed
