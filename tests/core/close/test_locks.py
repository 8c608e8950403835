"""The period lock: who may lock and unlock, failing checks, forced locks and the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.close.locks import audit_log, lock_period, locks_of, unlock_period
from core.close.status import close_status
from core.errors import Conflict, Forbidden, Invalid
from core.ledger.store import LedgerStore, NewEntry

OCT, SEP = 202610, 202609
BANK = "Assets:Bank:Checking"


def user(role: str, *entities: str) -> UserScope:
    return UserScope(f"{role}@example.com", role, role, frozenset(entities) if entities else None)


@pytest.fixture
def books(store: LedgerStore) -> LedgerStore:
    """A with clean October books; B with an uncategorized October line (a failing check)."""
    store.add_entity(id="A", name="Alpha")
    store.add_entity(id="B", name="Beta")
    for eid, account in (("A", "Income:Sales"), ("B", "Income:Uncategorized")):
        store.post(
            [
                NewEntry(
                    eid, date(2026, 10, 31), "DEPOSIT", [(BANK, 100), (account, -100)], source="csv"
                )
            ]
        )
    return store


def test_book_roles_lock_within_their_scope_and_only_the_owner_unlocks(books: LedgerStore) -> None:
    for who in (user("ceo"), user("cto"), user("cfo", "B")):
        with pytest.raises(Forbidden):
            lock_period(books, who, "A", OCT)
    lock_period(books, user("accountant", "A"), "A", SEP)
    lock_period(books, user("cfo", "A"), "A", OCT)
    for who in (user("cfo"), user("accountant")):
        with pytest.raises(Forbidden, match="only the owner"):
            unlock_period(books, who, "A", OCT, reason="reopen")
    with pytest.raises(Conflict, match="already locked"):
        lock_period(books, OPERATOR, "A", OCT)
    with pytest.raises(Conflict, match="also locked through 2026-10"):
        unlock_period(books, OPERATOR, "A", SEP, reason="reopen")
    unlock_period(books, user("owner"), "A", OCT, reason="a late bill")
    with pytest.raises(Conflict, match="is not locked"):
        unlock_period(books, user("owner"), "A", OCT, reason="again")


def test_a_failing_check_refuses_the_lock_unless_forced_with_a_reason(books: LedgerStore) -> None:
    with pytest.raises(Conflict) as caught:
        lock_period(books, OPERATOR, "B", OCT)
    assert caught.value.code == "checks_failing"
    assert caught.value.problems == ["uncategorized: 1 uncategorized line"]
    with pytest.raises(Invalid, match="needs a reason"):
        lock_period(books, OPERATOR, "B", OCT, force=True, reason="  ")
    with pytest.raises(Invalid, match="needs a reason"):
        unlock_period(books, OPERATOR, "A", OCT, reason="")
    assert locks_of(books, ["B"]) == {"B": []}
    assert lock_period(
        books, OPERATOR, "B", OCT, force=True, reason="accountant on leave"
    ).action == ("force_lock")
    (lock,) = locks_of(books, ["B"])["B"]
    assert (lock.month, lock.forced, lock.reason, lock.locked_by) == (
        OCT,
        True,
        "accountant on leave",
        "cli",
    )


def test_the_audit_log_keeps_who_when_why_and_the_checks(books: LedgerStore) -> None:
    start = datetime.now(UTC)
    lock_period(books, user("cfo"), "A", OCT)
    lock_period(books, OPERATOR, "B", OCT, force=True, reason="late statement")
    unlock_period(books, user("owner"), "A", OCT, reason="a late bill")
    rows = audit_log(books, ["A", "B"])
    assert [(r.entity_id, r.month, r.action, r.actor, r.reason) for r in rows] == [
        ("A", OCT, "unlock", "owner@example.com", "a late bill"),
        ("B", OCT, "force_lock", "cli", "late statement"),
        ("A", OCT, "lock", "cfo@example.com", ""),
    ]
    for r in rows:
        at = r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC)
        assert start - timedelta(seconds=1) <= at <= datetime.now(UTC)
    failing = {c["id"]: c["status"] for c in rows[1].checks}
    assert failing["uncategorized"] == "fail" and failing["trial_balance"] == "pass"
    assert audit_log(books, ["A"])[0].action == "unlock"  # scoped to the entities asked


def test_close_status_json_has_checks_lock_state_and_an_anomalies_key(books: LedgerStore) -> None:
    lock_period(books, OPERATOR, "A", OCT)
    data = close_status(books, user("cfo", "A"), "all", SEP)  # a scoped user sees only A
    assert [e["entity_id"] for e in data["entities"]] == ["A"]
    assert data["entities"][0]["locked"]["through"] == "2026-10"  # September is frozen by it
    assert data["anomalies"] == []
    ids = [c["id"] for c in data["checks"]]
    assert ids == [
        "bank_statements", "stripe_payouts", "cloud_cost", "trial_balance", "uncategorized",
        "deferred_revenue", "receivables",
    ]  # fmt: skip
    assert {"entity_id", "status", "evidence_count"} <= set(data["checks"][0])
    with pytest.raises(Forbidden):
        close_status(books, user("cfo", "A"), "B", OCT)
    with pytest.raises(Forbidden):
        close_status(books, user("ceo"), "all", OCT)
