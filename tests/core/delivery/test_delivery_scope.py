"""Who sees and touches report deliveries and subscriptions: decided in the core, by role and
entity, for the dashboard (a user), the CLI (the operator) and the schedule (the creator)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, update

from core.auth.dashboard_users import OPERATOR, UserScope, add_user, get_user
from core.config import Settings
from core.delivery.reports import (
    add_subscription,
    delivery_log,
    list_subscriptions,
    remove_subscription,
    resend,
    send_due,
    send_report,
)
from core.delivery.senders import OutboxSender
from core.errors import Forbidden, NotFound
from core.ledger.models import DashboardUser
from core.ledger.store import LedgerStore
from core.reports.request import ReportRequest

CREATED = datetime(2026, 11, 1, tzinfo=UTC)
MONDAY_8AM_LA = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # the 07:00 run is due
ENTITIES = ("JADA", "QuickDumpNow", "all")
PASSWORD = "x" * 12


def user(store: LedgerStore, email: str, role: str, entities: str = "all") -> UserScope:
    add_user(store, email=email, role=role, password=PASSWORD, entities=entities)
    return get_user(store, email)


def rescope(store: LedgerStore, email: str, entities: str) -> None:
    """Change a user's scope behind their back (as `dashboard-user set-role` would)."""
    with store.session() as s:
        s.exec(update(DashboardUser).where(DashboardUser.email == email).values(entities=entities))  # type: ignore[arg-type]
        s.commit()


def subscribe(store: LedgerStore, entity: str, actor: UserScope = OPERATOR) -> int:
    sub = add_subscription(
        store,
        report="cfo",
        entity=entity,
        to=["boss@example.com"],
        cron="0 7 * * MON",
        tz="America/Los_Angeles",
        actor=actor,
        now=CREATED,
    )
    return sub.id or 0


@pytest.fixture
def books(ledger: LedgerStore, settings: Settings) -> dict[str, dict[str, int]]:
    """One delivery and one subscription per entity (and for ``all``), made by the operator."""
    sender = OutboxSender(settings.outbox_dir)
    ids: dict[str, dict[str, int]] = {"log": {}, "sub": {}}
    for entity in ENTITIES:
        log = send_report(
            ledger,
            sender,
            settings,
            ReportRequest(reader=OPERATOR, report="cfo", entity=entity, period=202610),
            to=["boss@example.com"],
        )
        ids["log"][entity] = log.id or 0
        ids["sub"][entity] = subscribe(ledger, entity)
    return ids


def test_a_scoped_cfo_sees_only_their_entities_rows(
    ledger: LedgerStore, books: dict[str, dict[str, int]]
) -> None:
    dump = user(ledger, "dump@example.com", "cfo", "QuickDumpNow")
    owner = user(ledger, "owner@example.com", "owner")
    assert [d.entity for d in delivery_log(ledger, actor=dump)] == ["QuickDumpNow"]
    assert [s.entity for s in list_subscriptions(ledger, actor=dump)] == ["QuickDumpNow"]
    assert {d.entity for d in delivery_log(ledger, actor=owner)} == set(ENTITIES)
    assert [s.entity for s in list_subscriptions(ledger, actor=OPERATOR)] == list(ENTITIES)


def test_a_scoped_cfo_cannot_resend_or_remove_other_rows(
    ledger: LedgerStore, settings: Settings, books: dict[str, dict[str, int]]
) -> None:
    dump = user(ledger, "dump@example.com", "cfo", "QuickDumpNow")
    sender = OutboxSender(settings.outbox_dir)
    for entity in ("JADA", "all"):
        with pytest.raises(NotFound, match=f"no delivery {books['log'][entity]}$"):
            resend(ledger, sender, settings, books["log"][entity], actor=dump)
        with pytest.raises(NotFound, match=f"no subscription {books['sub'][entity]}$"):
            remove_subscription(ledger, books["sub"][entity], actor=dump)
    assert len(delivery_log(ledger, actor=OPERATOR)) == 3
    assert len(list_subscriptions(ledger, actor=OPERATOR)) == 3
    assert len((settings.outbox_dir / "index.jsonl").read_text().splitlines()) == 3

    again = resend(ledger, sender, settings, books["log"]["QuickDumpNow"], actor=dump)
    assert (again.status, again.entity, again.requested_by) == (
        "sent",
        "QuickDumpNow",
        "dump@example.com",
    )
    remove_subscription(ledger, books["sub"]["QuickDumpNow"], actor=dump)
    assert [s.entity for s in list_subscriptions(ledger, actor=OPERATOR)] == ["JADA", "all"]


def test_the_scope_is_read_fresh_not_taken_from_the_caller(
    ledger: LedgerStore, settings: Settings, books: dict[str, dict[str, int]]
) -> None:
    """A UserScope from an earlier sign-in (or a forged one) counts for nothing: the core
    re-reads the user's role and entities before acting."""
    user(ledger, "dump@example.com", "cfo", "all")
    stale = get_user(ledger, "dump@example.com")  # all entities at sign-in
    rescope(ledger, "dump@example.com", "QuickDumpNow")  # narrowed since
    sender = OutboxSender(settings.outbox_dir)
    assert [d.entity for d in delivery_log(ledger, actor=stale)] == ["QuickDumpNow"]
    with pytest.raises(NotFound):
        resend(ledger, sender, settings, books["log"]["JADA"], actor=stale)
    forged = UserScope(email="dump@example.com", name="", role="owner", entities=None)
    with pytest.raises(NotFound):
        remove_subscription(ledger, books["sub"]["all"], actor=forged)


@pytest.mark.parametrize("who", ["cto", "accountant", "gone"])
def test_roles_without_reports_and_removed_users_may_not_act(
    ledger: LedgerStore, settings: Settings, books: dict[str, dict[str, int]], who: str
) -> None:
    actor = (
        UserScope(email="gone@example.com", name="", role="owner", entities=None)
        if who == "gone"
        else user(ledger, f"{who}@example.com", who)
    )
    sender = OutboxSender(settings.outbox_dir)
    calls = [
        lambda: delivery_log(ledger, actor=actor),
        lambda: list_subscriptions(ledger, actor=actor),
        lambda: resend(ledger, sender, settings, books["log"]["JADA"], actor=actor),
        lambda: remove_subscription(ledger, books["sub"]["JADA"], actor=actor),
        lambda: subscribe(ledger, "JADA", actor),
    ]
    for call in calls:
        with pytest.raises(Forbidden):
            call()
    assert len(list_subscriptions(ledger, actor=OPERATOR)) == 3


def test_send_due_sends_with_the_creators_current_scope(
    ledger: LedgerStore, settings: Settings
) -> None:
    """A schedule is sent with its creator's scope as it is when it is due: a creator narrowed
    to other entities, or removed, gets that occurrence refused (logged, not sent, not
    retried); the operator's and an in-scope creator's go out."""
    boss = user(ledger, "boss-cfo@example.com", "cfo")  # every entity when subscribing
    mover = user(ledger, "mover@example.com", "ceo")
    leaver = user(ledger, "leaver@example.com", "owner")
    kept = subscribe(ledger, "QuickDumpNow", boss)
    narrowed = subscribe(ledger, "JADA", boss)
    consolidated = subscribe(ledger, "all", mover)
    orphan = subscribe(ledger, "JADA", leaver)
    by_cli = subscribe(ledger, "all")
    rescope(ledger, "boss-cfo@example.com", "QuickDumpNow")
    rescope(ledger, "mover@example.com", "JADA")
    with ledger.session() as s:
        s.exec(delete(DashboardUser).where(DashboardUser.email == "leaver@example.com"))  # type: ignore[arg-type]
        s.commit()

    sender = OutboxSender(settings.outbox_dir)
    result = send_due(ledger, sender, settings, now=MONDAY_8AM_LA)
    assert (result.sent, result.failed, result.refused) == (2, 0, 3)
    logs = {d.subscription_id: d for d in delivery_log(ledger, actor=OPERATOR)}
    assert {i: logs[i].status for i in logs} == {
        kept: "sent",
        by_cli: "sent",
        narrowed: "refused",
        consolidated: "refused",
        orphan: "refused",
    }
    assert "boss-cfo@example.com may no longer see entity 'JADA'" in (logs[narrowed].error or "")
    assert "no longer a dashboard user" in (logs[orphan].error or "")
    assert len((settings.outbox_dir / "index.jsonl").read_text().splitlines()) == 2

    again = send_due(ledger, sender, settings, now=MONDAY_8AM_LA)
    assert (again.sent, again.refused, again.skipped) == (0, 0, 5)  # refusals are not retried
