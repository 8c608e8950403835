"""Dashboard sign-in: password check with throttling counted in the ledger database.

At most ``MAX_FAILURES`` failed sign-ins per email and per client address fall in any
``WINDOW``; after that an attempt is refused before its password is checked. Each attempt first
reserves a failure row in a transaction that holds the lock rows of its email and address, so
that parallel attempts from several server processes are counted one after another; a correct
password deletes its reservation again. The bcrypt check runs outside that transaction.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

from core.auth.dashboard_sessions import token_hash
from core.auth.dashboard_users import (
    ACCOUNTS_LOCK,
    UserScope,
    as_utc,
    check_password,
    get_user,
    hash_password,
    hold_locks,
    password_problems,
    revoke_sessions_in,
    set_password_in,
    utc_now,
)
from core.errors import Conflict, Invalid, NotFound, RateLimited, Unauthorized
from core.ledger.models import DashboardUser, DashboardUserState, SignInFailure
from core.ledger.store import LedgerStore
from core.logs import audited

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
WRONG = "Email or password is incorrect."
# lock rows are buckets of a hash: a bounded table, and two keys rarely share one
_LOCK_BUCKETS = 256
_MAX_KEY = 320


# Checked for unknown emails so that they take as long as a wrong password. A constant of the
# cost hash_password uses (bcrypt's default, 12): making it on first use would make the first
# unknown email of each process measurably slower.
DUMMY_HASH = "$2b$12$dwjly7xfWixsGgPNeAgXFeTOmpf8cZTTCZIQOhl2BXorATyEoltFK"


def _lock_key(kind: str, value: str) -> str:
    bucket = int(hashlib.sha256(f"{kind}:{value}".encode()).hexdigest(), 16) % _LOCK_BUCKETS
    return f"sign-in:{bucket}"


def _wait_message(until: datetime, now: datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many sign-in attempts. Wait {minutes} {unit} and try again."


def _free_at(times: list[datetime]) -> datetime | None:
    """When a key with these failure times (in the window) may try again; None: it may now."""
    if len(times) < MAX_FAILURES:
        return None
    ordered = sorted(times)
    # the attempt is allowed once all but MAX_FAILURES - 1 of them have left the window
    return ordered[len(ordered) - MAX_FAILURES] + WINDOW


def _reserve(store: LedgerStore, email: str, client: str, now: datetime) -> int:
    """Count the failures of ``email`` and ``client``; RateLimited, or a reserved failure id."""
    since = now - WINDOW
    keys = [_lock_key("email", email)] + ([_lock_key("client", client)] if client else [])
    with store.engine.begin() as conn:
        hold_locks(conn, *keys)
        conn.execute(delete(SignInFailure).where(SignInFailure.at <= since))
        who = SignInFailure.email == email
        if client:  # no address (a proxy hid it): count by email only, not all such users as one
            who = who | (SignInFailure.client == client)
        rows = conn.execute(
            select(SignInFailure.email, SignInFailure.client, SignInFailure.at).where(
                who, SignInFailure.at > since
            )
        ).all()
        by_email = [as_utc(r.at) for r in rows if r.email == email]
        by_client = [as_utc(r.at) for r in rows if client and r.client == client]
        waits = [t for t in (_free_at(by_email), _free_at(by_client)) if t is not None]
        if waits:
            raise RateLimited(_wait_message(max(waits), now))
        result = conn.execute(
            insert(SignInFailure)
            .values(email=email, client=client, at=now)
            .returning(SignInFailure.id)
        )
        return int(result.scalar_one())


@audited("sign-in", actor="email", fields=("client",))
def sign_in(
    store: LedgerStore, email: str, password: str, *, client: str, now: datetime | None = None
) -> UserScope:
    """Check a password. Raises core.errors.RateLimited (message like "Too many sign-in attempts. Wait 12 minutes and try again.") once 5 failures per email OR per client address fall in the last 15 minutes (counted in the database so it holds across sessions and server processes; a throttled attempt does not check the password); raises core.errors.Unauthorized("Email or password is incorrect.") for an unknown email and a wrong password alike, taking about the same time (bcrypt-check a dummy hash for unknown emails)."""  # noqa: E501
    email = email.strip().lower()[:_MAX_KEY]
    client = client.strip()[:_MAX_KEY]
    when = utc_now(now)
    reserved = _reserve(store, email, client, when)
    with store.session() as s:
        row = s.get(DashboardUser, email)
    stored_hash = row.password_hash if row is not None else DUMMY_HASH
    if not check_password(password, stored_hash) or row is None:
        raise Unauthorized(WRONG)  # the reserved row stays: it is this failure
    with store.engine.begin() as conn:
        conn.execute(delete(SignInFailure).where(SignInFailure.id == reserved))
    try:
        return get_user(store, email)
    except NotFound as exc:  # removed between the check and now
        raise Unauthorized(WRONG) from exc


def password_change_required(store: LedgerStore, email: str) -> bool:
    """True when the user must choose a new password before using the dashboard."""
    with store.session() as s:
        state = s.get(DashboardUserState, email.strip().lower())
    return bool(state and state.must_change_password)


# -- the signed-in user's own password ----------------------------------------------------
def change_own_password(
    store: LedgerStore,
    email: str,
    current: str,
    new: str,
    *,
    keep_token: str = "",
    client: str = "",
    now: datetime | None = None,
) -> None:
    """Change a signed-in user's own password after checking ``current``.

    Revokes every session of the user (except ``keep_token``'s, the browser doing the change,
    when given) and clears "must change password". Wrong current passwords count as failed
    sign-ins (from ``client``): a stolen session cannot be used to guess the password.
    """
    email = email.strip().lower()
    problems = password_problems(new)
    if new == current:
        problems.append("the new password must differ from the current one")
    if problems:
        raise Invalid("password not changed", problems=problems)
    with store.session() as s:
        before = s.get(DashboardUser, email)
    try:
        sign_in(store, email, current, client=client, now=now)  # throttled like a sign-in
    except Unauthorized as exc:
        raise Unauthorized("Current password is incorrect.") from exc
    new_hash = hash_password(new)
    when = utc_now(now)
    with store.engine.begin() as conn:
        hold_locks(conn, ACCOUNTS_LOCK)
        row = conn.execute(select(DashboardUser).where(DashboardUser.email == email)).first()
        if before is None or row is None or row.password_hash != before.password_hash:
            raise Conflict("The password was changed meanwhile; sign in again.")
        set_password_in(conn, email, new_hash, when, must_change=False)
        revoke_sessions_in(
            conn, email, when, keep_hash=token_hash(keep_token) if keep_token else ""
        )
