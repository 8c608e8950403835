"""Dashboard sign-in sessions kept in the ledger database (a browser holds only a random token).

A session ends when it is revoked (sign out, "sign out everywhere", an owner changing the
user's role, scope or password, removing the user), ``SESSION_TTL`` after it started, or
``IDLE_TIMEOUT`` after it was last used. Only the SHA-256 of a token is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update

from core.auth.dashboard_users import (
    ACCOUNTS_LOCK,
    UserScope,
    as_utc,
    get_user,
    hold_locks,
    require_owner,
    revoke_sessions_in,
    utc_now,
)
from core.errors import NotFound
from core.ledger.models import DashboardSession
from core.ledger.store import LedgerStore

SESSION_TTL = timedelta(days=7)
IDLE_TIMEOUT = timedelta(hours=24)
# last_seen_at is written at most this often: a page view must not be a database write
TOUCH_EVERY = timedelta(minutes=1)
# ended sessions stay listed this long (who signed in from where), then are deleted
KEEP_ENDED = timedelta(days=30)
_MAX_TEXT = 200


@dataclass(frozen=True)
class SessionInfo:
    """One session as shown to its user or an operator (no token, no full hash)."""

    id: str  # the first 8 hex digits of the token's hash: a handle, not a secret
    email: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    client: str
    user_agent: str

    def state(self, now: datetime | None = None) -> str:
        """``live``, ``revoked``, ``expired`` (past expires_at) or ``idle`` (unused too long)."""
        when = utc_now(now)
        if self.revoked_at is not None:
            return "revoked"
        if when >= self.expires_at:
            return "expired"
        if when - self.last_seen_at >= IDLE_TIMEOUT:
            return "idle"
        return "live"


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    store: LedgerStore,
    email: str,
    *,
    client: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> str:
    """A new session for a signed-in user; returns the random token (only its SHA-256 is stored)."""
    user = get_user(store, email)  # NotFound for an unknown user: no session for nobody
    when = utc_now(now)
    token = secrets.token_urlsafe(32)
    row = DashboardSession(
        token_hash=token_hash(token),
        email=user.email,
        created_at=when,
        last_seen_at=when,
        expires_at=when + SESSION_TTL,
        client=client[:_MAX_TEXT],
        user_agent=user_agent[:_MAX_TEXT],
    )
    with store.session() as s:
        # prune here: sign-ins are rare, so this keeps the table small at no noticeable cost
        s.exec(delete(DashboardSession).where(DashboardSession.expires_at < when - KEEP_ENDED))
        s.add(row)
        s.commit()
    return token


_LIVE_SESSION = select(
    DashboardSession.email,
    DashboardSession.last_seen_at,
    DashboardSession.expires_at,
    DashboardSession.revoked_at,
).where(DashboardSession.token_hash == bindparam("digest"))


def session_user(
    store: LedgerStore, token: str, *, now: datetime | None = None
) -> UserScope | None:
    """The user behind a live session (role/scope read fresh), or None: unknown, expired, idle too long, revoked, user removed. Updates last_seen (at most once a minute, to keep writes rare)."""  # noqa: E501
    if not token:
        return None
    when = utc_now(now)
    digest = token_hash(token)
    # a plain SELECT, not an ORM session: this runs on every page run of every user
    with store.engine.connect() as conn:
        row = conn.execute(_LIVE_SESSION, {"digest": digest}).first()
    if row is None or row.revoked_at is not None:
        return None
    last_seen = as_utc(row.last_seen_at)
    if when >= as_utc(row.expires_at) or when - last_seen >= IDLE_TIMEOUT:
        return None
    try:
        user = get_user(store, row.email)
    except NotFound:
        return None
    if when - last_seen >= TOUCH_EVERY:
        with store.engine.begin() as conn:
            conn.execute(
                update(DashboardSession)
                .where(DashboardSession.token_hash == digest)
                .where(DashboardSession.last_seen_at < when)
                .values(last_seen_at=when)
            )
    return user


def revoke_session(store: LedgerStore, token: str, *, now: datetime | None = None) -> None:
    """End one session (sign out); unknown or already revoked tokens are ignored."""
    if not token:
        return
    with store.engine.begin() as conn:
        conn.execute(
            update(DashboardSession)
            .where(DashboardSession.token_hash == token_hash(token))
            .where(DashboardSession.revoked_at.is_(None))
            .values(revoked_at=utc_now(now))
        )


def revoke_all(store: LedgerStore, email: str, *, now: datetime | None = None) -> int:
    """End every session of a user ("sign out everywhere"); returns how many were live.

    For the user's own "sign out everywhere"; an owner ending another user's sessions calls
    ``sign_out_user``, which checks that the actor may.
    """
    return _revoke_all(store, None, email, now)


def sign_out_user(
    store: LedgerStore, actor: UserScope, email: str, *, now: datetime | None = None
) -> int:
    """End every session of ``email`` as ``actor`` (an owner, OPERATOR or the user themself)."""
    return _revoke_all(store, actor, email, now)


def user_sessions(store: LedgerStore, actor: UserScope, email: str) -> list[SessionInfo]:
    """``list_sessions`` as ``actor`` (an owner, OPERATOR or the user themself)."""
    email = email.strip().lower()
    with store.engine.connect() as conn:
        require_owner(conn, actor, or_self=email)
    return list_sessions(store, email)


def _revoke_all(
    store: LedgerStore, actor: UserScope | None, email: str, now: datetime | None
) -> int:
    email = email.strip().lower()
    when = utc_now(now)
    with store.engine.begin() as conn:
        if actor is not None:
            hold_locks(conn, ACCOUNTS_LOCK)
            require_owner(conn, actor, or_self=email)
        ended = revoke_sessions_in(conn, email, when)
    return sum(1 for seen, expires in ended if when < expires and when - seen < IDLE_TIMEOUT)


def list_sessions(store: LedgerStore, email: str) -> list[SessionInfo]:
    """A user's sessions, newest first, ended ones included until they are pruned."""
    with store.session() as s:
        rows = list(
            s.exec(
                select(DashboardSession).where(DashboardSession.email == email.strip().lower())
            ).scalars()
        )
    infos = [
        SessionInfo(
            id=r.token_hash[:8],
            email=r.email,
            created_at=as_utc(r.created_at),
            last_seen_at=as_utc(r.last_seen_at),
            expires_at=as_utc(r.expires_at),
            revoked_at=None if r.revoked_at is None else as_utc(r.revoked_at),
            client=r.client,
            user_agent=r.user_agent,
        )
        for r in rows
    ]
    return sorted(infos, key=lambda i: (i.created_at, i.id), reverse=True)
