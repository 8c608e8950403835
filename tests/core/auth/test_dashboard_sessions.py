"""Server-side dashboard sessions on SQLite and PostgreSQL: lifetime, revocation, fresh roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.auth.dashboard_sessions import (
    IDLE_TIMEOUT,
    SESSION_TTL,
    list_sessions,
    revoke_all,
    revoke_session,
    session_user,
    start_session,
    token_hash,
)
from core.auth.dashboard_users import OPERATOR, add_user, remove_user, set_role
from core.errors import NotFound
from core.ledger.models import DashboardSession
from core.ledger.store import LedgerStore
from tests.core.auth.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fast_bcrypt")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def cfo(ledger: LedgerStore) -> str:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    add_user(ledger, email="owner@example.com", role="owner", password=PASSWORD)
    add_user(ledger, email="cfo@example.com", role="cfo", password=PASSWORD, entities="A")
    return "cfo@example.com"


def test_only_the_token_hash_is_stored(ledger: LedgerStore, cfo: str) -> None:
    token = start_session(ledger, cfo, client="10.0.0.7", user_agent="Firefox", now=T0)
    with ledger.session() as s:
        [row] = s.exec(select(DashboardSession)).scalars()
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    assert len(token) >= 40  # 32 random bytes
    [info] = list_sessions(ledger, cfo)
    assert info.id == row.token_hash[:8] and info.client == "10.0.0.7"
    assert info.user_agent == "Firefox" and info.created_at == T0
    assert info.expires_at == T0 + SESSION_TTL and info.state(T0) == "live"


def test_session_user_reads_role_and_scope_fresh(ledger: LedgerStore, cfo: str) -> None:
    token = start_session(ledger, cfo, now=T0)
    user = session_user(ledger, token, now=T0)
    assert user is not None and user.role == "cfo" and user.entities == frozenset({"A"})
    set_role(ledger, OPERATOR, cfo, role="accountant", entities="B")
    assert session_user(ledger, token, now=T0) is None  # a role change signs the user out
    token = start_session(ledger, cfo, now=T0)
    user = session_user(ledger, token, now=T0)
    assert user is not None and user.role == "accountant" and user.entities == frozenset({"B"})


def test_unknown_and_empty_tokens(ledger: LedgerStore, cfo: str) -> None:
    start_session(ledger, cfo, now=T0)
    assert session_user(ledger, "", now=T0) is None
    assert session_user(ledger, "not-a-token", now=T0) is None
    with pytest.raises(NotFound):
        start_session(ledger, "nobody@example.com", now=T0)


def test_absolute_lifetime_even_when_used(ledger: LedgerStore, cfo: str) -> None:
    token = start_session(ledger, cfo, now=T0)
    moment = T0
    while moment + timedelta(hours=12) < T0 + SESSION_TTL:
        moment += timedelta(hours=12)
        assert session_user(ledger, token, now=moment) is not None
    assert session_user(ledger, token, now=T0 + SESSION_TTL) is None
    assert list_sessions(ledger, cfo)[0].state(T0 + SESSION_TTL) == "expired"


def test_idle_timeout_counts_from_last_use(ledger: LedgerStore, cfo: str) -> None:
    token = start_session(ledger, cfo, now=T0)
    later = T0 + IDLE_TIMEOUT - timedelta(minutes=1)
    assert session_user(ledger, token, now=later) is not None  # moves last_seen to `later`
    assert session_user(ledger, token, now=later + IDLE_TIMEOUT - timedelta(seconds=1))
    idle = list_sessions(ledger, cfo)[0]
    assert idle.state(idle.last_seen_at + IDLE_TIMEOUT) == "idle"
    assert session_user(ledger, token, now=idle.last_seen_at + IDLE_TIMEOUT) is None


def test_last_seen_is_written_at_most_once_a_minute(ledger: LedgerStore, cfo: str) -> None:
    token = start_session(ledger, cfo, now=T0)
    session_user(ledger, token, now=T0 + timedelta(seconds=59))
    assert list_sessions(ledger, cfo)[0].last_seen_at == T0
    session_user(ledger, token, now=T0 + timedelta(seconds=61))
    assert list_sessions(ledger, cfo)[0].last_seen_at == T0 + timedelta(seconds=61)


def test_sign_out_ends_one_session(ledger: LedgerStore, cfo: str) -> None:
    laptop = start_session(ledger, cfo, client="laptop", now=T0)
    phone = start_session(ledger, cfo, client="phone", now=T0 + timedelta(minutes=1))
    revoke_session(ledger, laptop, now=T0 + timedelta(minutes=2))
    revoke_session(ledger, "unknown-token")  # ignored
    assert session_user(ledger, laptop, now=T0 + timedelta(minutes=3)) is None
    assert session_user(ledger, phone, now=T0 + timedelta(minutes=3)) is not None
    newest, oldest = list_sessions(ledger, cfo)
    assert (newest.client, newest.revoked_at) == ("phone", None)
    assert oldest.revoked_at == T0 + timedelta(minutes=2) and oldest.state() == "revoked"


def test_sign_out_everywhere_counts_live_sessions(ledger: LedgerStore, cfo: str) -> None:
    stale = start_session(ledger, cfo, now=T0 - SESSION_TTL)  # expired, not counted
    tokens = [start_session(ledger, cfo, now=T0) for _ in range(3)]
    revoke_session(ledger, tokens[0], now=T0)
    other = start_session(ledger, "owner@example.com", now=T0)
    assert revoke_all(ledger, cfo.upper(), now=T0) == 2
    assert all(session_user(ledger, t, now=T0) is None for t in [stale, *tokens])
    assert session_user(ledger, other, now=T0) is not None  # another user's session stays
    assert revoke_all(ledger, cfo, now=T0) == 0


def test_removed_user_has_no_session(ledger: LedgerStore, cfo: str) -> None:
    token = start_session(ledger, cfo, now=T0)
    remove_user(ledger, OPERATOR, cfo)
    assert session_user(ledger, token, now=T0) is None
    assert list_sessions(ledger, cfo)[0].revoked_at is not None


def test_long_ended_sessions_are_pruned(ledger: LedgerStore, cfo: str) -> None:
    start_session(ledger, cfo, now=T0 - timedelta(days=60))
    start_session(ledger, cfo, now=T0 - timedelta(days=10))  # ended 3 days ago: still listed
    start_session(ledger, cfo, now=T0)
    assert [i.created_at for i in list_sessions(ledger, cfo)] == [
        T0,
        T0 - timedelta(days=10),
    ]
