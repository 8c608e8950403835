"""Dashboard users: hashed passwords, validated roles and scopes, fresh reads."""

from __future__ import annotations

import bcrypt
import pytest

from core.auth.dashboard_users import add_user, get_user, list_users
from core.auth.roles import may_open
from core.errors import Conflict, Invalid
from core.ledger.store import LedgerStore

PASSWORD = "correct-horse-battery"


def test_password_is_stored_only_as_bcrypt(store: LedgerStore) -> None:
    u = add_user(store, email="a@example.com", role="cfo", password=PASSWORD)
    assert PASSWORD not in u.password_hash
    assert bcrypt.checkpw(PASSWORD.encode(), u.password_hash.encode())
    [row] = list_users(store)
    assert row.password_hash == u.password_hash and row.role == "cfo"


def test_every_problem_is_reported_and_nothing_added(store: LedgerStore) -> None:
    with pytest.raises(Invalid) as err:
        add_user(store, email="nope", role="king", password="short", entities="Ghost")
    text = str(err.value)
    for part in ("not an email", "role must be", "at least 12", "unknown entity Ghost"):
        assert part in text
    assert list_users(store) == []


def test_scope_and_duplicates(store: LedgerStore) -> None:
    store.add_entity(id="A", name="Alpha")
    add_user(store, email="s@example.com", role="accountant", password=PASSWORD, entities=" A ,A")
    assert get_user(store, "S@example.com").entities == frozenset({"A"})
    with pytest.raises(Conflict):
        add_user(store, email="s@example.com", role="cfo", password=PASSWORD)


def test_page_access_by_role() -> None:
    assert may_open("owner", "cfo") and may_open("cfo", "cfo") and may_open("accountant", "cfo")
    assert not may_open("cto", "cfo") and not may_open("cmo", "cfo")
    assert not may_open("owner", "no-such-page")


@pytest.mark.parametrize("email", ["a,b@example.com", "a@example.com\r\n", "a@b"])
def test_dashboard_users_get_the_one_strict_email_check(store: LedgerStore, email: str) -> None:
    with pytest.raises(Invalid):
        add_user(store, email=email, role="cfo", password=PASSWORD)
    assert list_users(store) == []
