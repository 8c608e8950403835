"""Sign-in on SQLite and PostgreSQL: one message for every wrong pair, throttling in the DB."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.auth import dashboard_users
from core.auth import sign_in as sign_in_module
from core.auth.dashboard_users import add_user, ensure_owner, get_user, list_users
from core.auth.sign_in import MAX_FAILURES, WINDOW, password_change_required, sign_in
from core.errors import RateLimited, Unauthorized
from core.ledger.models import SignInFailure
from core.ledger.store import LedgerStore
from tests.core.auth.conftest import PASSWORD

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
WRONG = "Email or password is incorrect."


@pytest.fixture
def cfo(ledger: LedgerStore, fast_bcrypt: None) -> str:
    add_user(ledger, email="cfo@example.com", role="cfo", password=PASSWORD)
    return "cfo@example.com"


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hashes sign_in checked a password against, in order."""
    seen: list[str] = []
    real = dashboard_users.check_password

    def spy(password: str, password_hash: str) -> bool:
        seen.append(password_hash)
        return real(password, password_hash)

    monkeypatch.setattr(sign_in_module, "check_password", spy)
    return seen


def fail(ledger: LedgerStore, email: str, client: str, now: datetime) -> None:
    with pytest.raises(Unauthorized):
        sign_in(ledger, email, "wrong password!", client=client, now=now)


def failures(ledger: LedgerStore) -> int:
    with ledger.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(SignInFailure)).scalar_one())


def get_user_hash(ledger: LedgerStore, email: str) -> str:
    [user] = [u for u in list_users(ledger) if u.email == email]
    return user.password_hash


def test_right_password_signs_in_and_is_not_counted(ledger: LedgerStore, cfo: str) -> None:
    user = sign_in(ledger, " CFO@example.com ", PASSWORD, client="10.0.0.1", now=T0)
    assert user == get_user(ledger, cfo)
    assert failures(ledger) == 0


def test_unknown_email_and_wrong_password_look_the_same(
    ledger: LedgerStore, cfo: str, checks: list[str]
) -> None:
    with pytest.raises(Unauthorized) as wrong:
        sign_in(ledger, cfo, "not the password", client="c", now=T0)
    with pytest.raises(Unauthorized) as unknown:
        sign_in(ledger, "nobody@example.com", PASSWORD, client="c", now=T0)
    assert wrong.value.message == unknown.value.message == WRONG
    # the unknown email was checked against a bcrypt hash too (of the same cost)
    assert len(checks) == 2 and checks[1].startswith("$2b$04$") and checks[0][:7] == checks[1][:7]


def test_unknown_email_takes_as_long_as_a_wrong_password(ledger: LedgerStore) -> None:
    # real bcrypt cost (no fast_bcrypt): the difference is what an attacker could measure
    add_user(ledger, email="cfo@example.com", role="cfo", password=PASSWORD)
    assert sign_in_module.DUMMY_HASH[:7] == get_user_hash(ledger, "cfo@example.com")[:7]

    def took(email: str, client: str) -> float:
        # CPU time of this thread: bcrypt's cost, not the load other processes put on the machine
        start = time.thread_time()
        with pytest.raises(Unauthorized):
            sign_in(ledger, email, "not the password", client=client, now=T0)
        return time.thread_time() - start

    wrong, unknown = [], []
    for i in range(3):
        wrong.append(took("cfo@example.com", f"w{i}"))
        unknown.append(took(f"nobody{i}@example.com", f"u{i}"))
    assert min(wrong) > 0.05  # a real bcrypt check was measured
    # every attempt, the first of the process included (nothing is made on first use)
    assert min(unknown) / max(wrong) > 0.7 and max(unknown) / min(wrong) < 1.4, (unknown, wrong)


def test_sixth_failure_waits_from_the_oldest(
    ledger: LedgerStore, cfo: str, checks: list[str]
) -> None:
    for minute in range(MAX_FAILURES):
        fail(ledger, cfo, "10.0.0.1", T0 + timedelta(minutes=minute))
    with pytest.raises(RateLimited) as err:  # even the right password is not checked
        sign_in(ledger, cfo, PASSWORD, client="10.0.0.2", now=T0 + timedelta(minutes=3, seconds=1))
    assert err.value.message == "Too many sign-in attempts. Wait 12 minutes and try again."
    assert len(checks) == MAX_FAILURES
    with pytest.raises(RateLimited, match="Wait 1 minute and"):
        sign_in(ledger, cfo, PASSWORD, client="x", now=T0 + WINDOW - timedelta(seconds=5))
    # the oldest failure left the window: one more attempt may be made
    assert sign_in(ledger, cfo, PASSWORD, client="x", now=T0 + WINDOW).email == cfo
    fail(ledger, cfo, "x", T0 + WINDOW)
    with pytest.raises(RateLimited, match="Wait 1 minute"):
        sign_in(ledger, cfo, PASSWORD, client="x", now=T0 + WINDOW)


def test_throttled_attempts_are_not_counted(ledger: LedgerStore, cfo: str) -> None:
    for _ in range(MAX_FAILURES):
        fail(ledger, cfo, "10.0.0.1", T0)
    for minute in range(1, 15):  # an attacker keeps trying: the lock does not extend
        with pytest.raises(RateLimited):
            sign_in(ledger, cfo, "guess", client="10.0.0.1", now=T0 + timedelta(minutes=minute))
    assert failures(ledger) == MAX_FAILURES
    assert sign_in(ledger, cfo, PASSWORD, client="10.0.0.1", now=T0 + WINDOW).email == cfo


def test_one_address_is_limited_across_emails(ledger: LedgerStore, cfo: str) -> None:
    for i in range(MAX_FAILURES):
        fail(ledger, f"guess{i}@example.com", "203.0.113.9", T0)
    with pytest.raises(RateLimited, match="Wait 15 minutes"):
        sign_in(ledger, cfo, PASSWORD, client="203.0.113.9", now=T0)
    # the user, from another address, is not locked out by someone else's guessing
    assert sign_in(ledger, cfo, PASSWORD, client="198.51.100.1", now=T0).email == cfo


def test_no_address_counts_by_email_only(ledger: LedgerStore, cfo: str) -> None:
    for i in range(MAX_FAILURES):
        fail(ledger, f"guess{i}@example.com", "", T0)
    assert sign_in(ledger, cfo, PASSWORD, client="", now=T0).email == cfo


def test_old_failures_are_pruned(ledger: LedgerStore, cfo: str) -> None:
    for minute in range(3):
        fail(ledger, cfo, "a", T0 + timedelta(minutes=minute))
    assert failures(ledger) == 3
    sign_in(ledger, cfo, PASSWORD, client="a", now=T0 + WINDOW + timedelta(minutes=1, seconds=1))
    assert failures(ledger) == 1  # the one of minute 2 is still in the window


@pytest.mark.parametrize("same_client", [False, True])
def test_parallel_wrong_passwords_from_two_processes(
    ledger: LedgerStore, cfo: str, checks: list[str], same_client: bool
) -> None:
    # two stores with their own connection pools stand for two server processes
    stores = [ledger, LedgerStore(ledger.url)]
    start = threading.Barrier(16)

    def attempt(i: int) -> str:
        email = cfo if not same_client else f"guess{i}@example.com"
        client = "203.0.113.9" if same_client else f"10.0.0.{i}"
        start.wait()
        try:
            sign_in(stores[i % 2], email, "wrong password!", client=client, now=T0)
        except (Unauthorized, RateLimited) as exc:
            return type(exc).__name__
        return "signed in"

    try:
        with ThreadPoolExecutor(16) as pool:
            outcomes = list(pool.map(attempt, range(16)))
    finally:
        stores[1].engine.dispose()
    assert outcomes.count("Unauthorized") == MAX_FAILURES
    assert outcomes.count("RateLimited") == 16 - MAX_FAILURES
    assert len(checks) == MAX_FAILURES  # a refused attempt never reached bcrypt
    assert failures(ledger) == MAX_FAILURES


def test_first_owner_must_change_password(ledger: LedgerStore, fast_bcrypt: None) -> None:
    created = ensure_owner(ledger)
    assert created is not None
    email, password = created
    add_user(ledger, email="cfo@example.com", role="cfo", password=PASSWORD)
    assert sign_in(ledger, email, password, client="c", now=T0).role == "owner"
    assert password_change_required(ledger, email)
    assert not password_change_required(ledger, "cfo@example.com")
    assert not password_change_required(ledger, "nobody@example.com")
