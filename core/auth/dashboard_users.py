"""Dashboard users in the ledger database: bcrypt hashes, role, entity scope, account changes.

Every account change is authorized here (owner only; a user changes only their own password)
and runs in one transaction that first writes a lock row, so that two server processes cannot
both remove "one of two" owners.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import bcrypt
from sqlalchemy import Connection, delete, func, insert, select, update

from core.auth.roles import DASHBOARD_ROLES
from core.emails import email_problem
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.ledger.models import DashboardLock, DashboardSession, DashboardUser, DashboardUserState
from core.ledger.store import LedgerStore, upsert_insert

MIN_PASSWORD = 12
OWNER_EMAIL = "owner@example.com"


@dataclass(frozen=True)
class UserScope:
    """A signed-in user's role and the entity ids they may see (None: all)."""

    email: str
    name: str
    role: str
    entities: frozenset[str] | None


# The command line's actor: it runs on the server with the database's credentials, so it has
# the owner's rights; passing it says so explicitly (no account function has a default actor).
# Its email "cli" is what the command line has always recorded (created_by, requested_by);
# no dashboard user can have it (not an address), and the checks compare by identity.
OPERATOR = UserScope(email="cli", name="Operator (command line)", role="owner", entities=None)
ACCOUNTS_LOCK = "accounts"


def hash_password(password: str) -> str:
    """A bcrypt hash of the password (the only form it is stored in)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def parse_entities(text: str) -> str:
    """Normalize ``all`` or ``ID,ID``; raises Invalid on an empty list."""
    text = text.strip()
    if text.lower() == "all":
        return "all"
    ids = sorted({p.strip() for p in text.split(",") if p.strip()})
    if not ids:
        raise Invalid("--entities must be 'all' or a comma-separated list of entity ids")
    return ",".join(ids)


def add_user(
    store: LedgerStore,
    *,
    email: str,
    role: str,
    password: str,
    entities: str = "all",
    name: str = "",
    must_change_password: bool = False,
) -> DashboardUser:
    """Create a dashboard user; every input is checked before anything is written.

    No actor: for the command line and first-run setup. The dashboard uses ``create_user``.
    """
    return _add_user(
        store, None, email, role, password, entities, name, must_change=must_change_password
    )


def create_user(
    store: LedgerStore,
    actor: UserScope,
    *,
    email: str,
    role: str,
    password: str,
    entities: str = "all",
    name: str = "",
    must_change: bool = False,
) -> UserScope:
    """Create a dashboard user as ``actor`` (an owner or OPERATOR; Forbidden otherwise)."""
    row = _add_user(store, actor, email, role, password, entities, name, must_change=must_change)
    return _scope(row)


def _add_user(
    store: LedgerStore,
    actor: UserScope | None,
    email: str,
    role: str,
    password: str,
    entities: str,
    name: str,
    *,
    must_change: bool,
) -> DashboardUser:
    problems = []
    problem = email_problem(email)
    if problem is not None:
        problems.append(f"{email!r}: {problem}")
    email = email.strip().lower()
    problems += _role_problems(role)
    problems += password_problems(password)
    scope, scope_problems = _checked_scope(store, entities)
    problems += scope_problems
    password_hash = "" if problems else hash_password(password)  # slow: not under the lock
    with store.engine.begin() as conn:
        hold_locks(conn, ACCOUNTS_LOCK)
        if actor is not None:
            require_owner(conn, actor)
        if problems:
            raise Invalid("user not added", problems=problems)
        user = DashboardUser(
            email=email,
            name=name.strip() or email.split("@")[0],
            role=role,
            entities=scope,
            password_hash=password_hash,
            created_at=datetime.now(UTC),
        )
        if conn.execute(select(DashboardUser.email).where(DashboardUser.email == email)).first():
            raise Conflict(f"dashboard user {email} already exists")
        conn.execute(insert(DashboardUser).values(**user.model_dump()))
        # a leftover row of an earlier user with this email must not carry over
        _set_state(conn, email, must_change=must_change, changed_at=None)
    return user


def password_problems(password: str) -> list[str]:
    """Why a new password is not accepted (empty when it is)."""
    if len(password) < MIN_PASSWORD:
        return [f"password must be at least {MIN_PASSWORD} characters"]
    return []


def _role_problems(role: str) -> list[str]:
    if role not in DASHBOARD_ROLES:
        return [f"role must be one of {', '.join(DASHBOARD_ROLES)}"]
    return []


def _checked_scope(store: LedgerStore, entities: str) -> tuple[str, list[str]]:
    """The normalized scope and what is wrong with it (unknown entity ids...)."""
    try:
        scope = parse_entities(entities)
    except Invalid as exc:
        return "all", [exc.message]
    if scope != "all":
        known = {e.id for e in store.list_entities()}
        unknown = [e for e in scope.split(",") if e not in known]
        if unknown:
            return scope, [f"unknown entity {', '.join(unknown)}"]
    return scope, []


def _scope(row: DashboardUser) -> UserScope:
    entities = None if row.entities == "all" else frozenset(row.entities.split(","))
    return UserScope(email=row.email, name=row.name, role=row.role, entities=entities)


def get_user(store: LedgerStore, email: str) -> UserScope:
    """The current role and scope of a user, read fresh (authorization is decided on this)."""
    with store.session() as s:
        row = s.get(DashboardUser, email.strip().lower())
    if row is None:
        raise NotFound(f"no dashboard user {email}")
    return _scope(row)


def list_users(store: LedgerStore) -> list[DashboardUser]:
    """All dashboard users by email."""
    with store.session() as s:
        rows = list(s.exec(select(DashboardUser)).scalars())
    # sorted here: ORDER BY on text follows PostgreSQL's collation, not code points as in SQLite
    return sorted(rows, key=lambda u: u.email)


def ensure_owner(store: LedgerStore) -> tuple[str, str] | None:
    """Create the first owner with a random password when there is no user; else None."""
    with store.session() as s:
        if s.exec(select(func.count()).select_from(DashboardUser)).scalar_one():
            return None
    password = secrets.token_urlsafe(15)
    add_user(
        store,
        email=OWNER_EMAIL,
        role="owner",
        password=password,
        name="Owner",
        must_change_password=True,  # it was printed in a terminal and may sit in a log
    )
    return OWNER_EMAIL, password


def check_password(password: str, password_hash: str) -> bool:
    """True when ``password`` matches the bcrypt hash (False for a malformed hash)."""
    try:
        return bcrypt.checkpw(password.encode(), password_hash.encode())
    except ValueError:
        return False


# -- transactions and locks -----------------------------------------------------------------
def hold_locks(conn: Connection, *keys: str) -> None:
    """Write the lock rows ``keys`` first in this transaction; they stay locked until it ends.

    PostgreSQL locks each upserted row until commit; SQLite takes its single write lock at the
    first write (waiting up to busy_timeout). Keys are taken in sorted order: no deadlock.
    """
    upsert = upsert_insert(conn.dialect.name)
    for key in sorted(set(keys)):
        stmt = upsert(DashboardLock).values(key=key, uses=1)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["key"], set_={"uses": DashboardLock.uses + 1}
            )
        )


def utc_now(now: datetime | None = None) -> datetime:
    """``now`` (or the clock) as an aware UTC time; naive times are taken as UTC."""
    return as_utc(now or datetime.now(UTC))


def as_utc(moment: datetime) -> datetime:
    """An aware UTC time (SQLite returns naive times, PostgreSQL the server's zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def revoke_sessions_in(
    conn: Connection, email: str, now: datetime, *, keep_hash: str = ""
) -> list[tuple[datetime, datetime]]:
    """Revoke the user's unrevoked sessions in this transaction (all but ``keep_hash``).

    Returns (last_seen_at, expires_at) of each session it revoked, in UTC.
    """
    stmt = (
        update(DashboardSession)
        .where(DashboardSession.email == email, DashboardSession.revoked_at.is_(None))
        .where(DashboardSession.token_hash != keep_hash)
        .values(revoked_at=now)
        .returning(DashboardSession.last_seen_at, DashboardSession.expires_at)
    )
    return [(as_utc(seen), as_utc(expires)) for seen, expires in conn.execute(stmt)]


def _user_row(conn: Connection, email: str) -> Any:
    row = conn.execute(select(DashboardUser).where(DashboardUser.email == email)).first()
    if row is None:
        raise NotFound(f"no dashboard user {email}")
    return row


def require_owner(conn: Connection, actor: UserScope, *, or_self: str = "") -> None:
    """Raise Forbidden unless ``actor`` is OPERATOR, (read now) an owner, or user ``or_self``."""
    if actor is OPERATOR:
        return
    if or_self and actor.email.strip().lower() == or_self:
        return
    row = conn.execute(
        select(DashboardUser.role).where(DashboardUser.email == actor.email.strip().lower())
    ).first()
    if row is None or row.role != "owner":
        raise Forbidden("Only an owner can manage dashboard users.")


def _owner_count(conn: Connection) -> int:
    count = select(func.count()).select_from(DashboardUser).where(DashboardUser.role == "owner")
    return int(conn.execute(count).scalar_one())


def _set_state(
    conn: Connection, email: str, *, must_change: bool, changed_at: datetime | None
) -> None:
    upsert = upsert_insert(conn.dialect.name)
    values = {
        "email": email,
        "must_change_password": must_change,
        "password_changed_at": changed_at,
    }
    conn.execute(
        upsert(DashboardUserState)
        .values(**values)
        .on_conflict_do_update(index_elements=["email"], set_=values)
    )


def set_password_in(
    conn: Connection, email: str, new_hash: str, now: datetime, *, must_change: bool
) -> None:
    """Store a new password hash and its must-change flag (inside the caller's transaction)."""
    conn.execute(
        update(DashboardUser).where(DashboardUser.email == email).values(password_hash=new_hash)
    )
    _set_state(conn, email, must_change=must_change, changed_at=now)


# -- account changes ------------------------------------------------------------------------
def set_password(
    store: LedgerStore,
    actor: UserScope,
    email: str,
    new: str,
    *,
    must_change: bool = False,
    now: datetime | None = None,
) -> None:
    """Set another user's password (owner or OPERATOR only); revokes the user's sessions."""
    email = email.strip().lower()
    problems = password_problems(new)
    new_hash = "" if problems else hash_password(new)  # slow: not while holding the lock
    when = utc_now(now)
    with store.engine.begin() as conn:
        hold_locks(conn, ACCOUNTS_LOCK)
        require_owner(conn, actor)
        _user_row(conn, email)
        if problems:
            raise Invalid("password not set", problems=problems)
        set_password_in(conn, email, new_hash, when, must_change=must_change)
        revoke_sessions_in(conn, email, when)


def set_role(
    store: LedgerStore,
    actor: UserScope,
    email: str,
    *,
    role: str,
    entities: str = "all",
    now: datetime | None = None,
) -> UserScope:
    """Change a user's role and entity scope (owner only); revokes their sessions on a change.

    Refuses (Conflict, code ``last_owner``) to demote the last owner.
    """
    email = email.strip().lower()
    scope, problems = _checked_scope(store, entities)
    problems = _role_problems(role) + problems
    when = utc_now(now)
    with store.engine.begin() as conn:
        hold_locks(conn, ACCOUNTS_LOCK)
        require_owner(conn, actor)
        row = _user_row(conn, email)
        if problems:
            raise Invalid("role not changed", problems=problems)
        if row.role == "owner" and role != "owner" and _owner_count(conn) <= 1:
            raise Conflict(
                f"{email} is the last owner; make another user owner first", code="last_owner"
            )
        if (row.role, row.entities) != (role, scope):
            conn.execute(
                update(DashboardUser)
                .where(DashboardUser.email == email)
                .values(role=role, entities=scope)
            )
            revoke_sessions_in(conn, email, when)
    entity_ids = None if scope == "all" else frozenset(scope.split(","))
    return UserScope(email=email, name=row.name, role=role, entities=entity_ids)


def remove_user(
    store: LedgerStore, actor: UserScope, email: str, *, now: datetime | None = None
) -> None:
    """Remove a user (owner only) and revoke their sessions; never the last owner."""
    email = email.strip().lower()
    when = utc_now(now)
    with store.engine.begin() as conn:
        hold_locks(conn, ACCOUNTS_LOCK)
        require_owner(conn, actor)
        row = _user_row(conn, email)
        if row.role == "owner" and _owner_count(conn) <= 1:
            raise Conflict(f"{email} is the last owner and cannot be removed", code="last_owner")
        conn.execute(delete(DashboardUser).where(DashboardUser.email == email))
        conn.execute(delete(DashboardUserState).where(DashboardUserState.email == email))
        revoke_sessions_in(conn, email, when)
