"""Dashboard users in the ledger database: bcrypt hashes, role, entity scope."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import bcrypt
from sqlalchemy import func, select

from core.auth.roles import DASHBOARD_ROLES
from core.emails import email_problem
from core.errors import Conflict, Invalid, NotFound
from core.ledger.models import DashboardUser
from core.ledger.store import LedgerStore

MIN_PASSWORD = 12
OWNER_EMAIL = "owner@example.com"


@dataclass(frozen=True)
class UserScope:
    """A signed-in user's role and the entity ids they may see (None: all)."""

    email: str
    name: str
    role: str
    entities: frozenset[str] | None


# The command line's actor: the operator of the install, acting with every entity. Passed
# explicitly by the CLI (never implied by a missing user); no dashboard user can hold its role.
OPERATOR_ROLE = "operator"
OPERATOR = UserScope(email="cli", name="Operator (command line)", role=OPERATOR_ROLE, entities=None)


def hash_password(password: str) -> str:
    """bcrypt hash (the format streamlit-authenticator checks)."""
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
) -> DashboardUser:
    """Create a dashboard user; every input is checked before anything is written."""
    problems = []
    problem = email_problem(email)
    if problem is not None:
        problems.append(f"{email!r}: {problem}")
    email = email.strip().lower()
    if role not in DASHBOARD_ROLES:
        problems.append(f"role must be one of {', '.join(DASHBOARD_ROLES)}")
    if len(password) < MIN_PASSWORD:
        problems.append(f"password must be at least {MIN_PASSWORD} characters")
    scope = "all"
    try:
        scope = parse_entities(entities)
    except Invalid as exc:
        problems.append(exc.message)
    if scope != "all":
        known = {e.id for e in store.list_entities()}
        unknown = [e for e in scope.split(",") if e not in known]
        if unknown:
            problems.append(f"unknown entity {', '.join(unknown)}")
    if problems:
        raise Invalid("user not added", problems=problems)
    user = DashboardUser(
        email=email,
        name=name.strip() or email.split("@")[0],
        role=role,
        entities=scope,
        password_hash=hash_password(password),
        created_at=datetime.now(UTC),
    )
    with store.session() as s:
        if s.get(DashboardUser, email) is not None:
            raise Conflict(f"dashboard user {email} already exists")
        s.add(user)
        s.commit()
    return user


def get_user(store: LedgerStore, email: str) -> UserScope:
    """The current role and scope of a user, read fresh (authorization is decided on this)."""
    with store.session() as s:
        row = s.get(DashboardUser, email.strip().lower())
    if row is None:
        raise NotFound(f"no dashboard user {email}")
    entities = None if row.entities == "all" else frozenset(row.entities.split(","))
    return UserScope(email=row.email, name=row.name, role=row.role, entities=entities)


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
    add_user(store, email=OWNER_EMAIL, role="owner", password=password, name="Owner")
    return OWNER_EMAIL, password


def authenticator_credentials(store: LedgerStore) -> dict[str, dict[str, dict[str, object]]]:
    """The ``credentials`` mapping streamlit-authenticator expects (hashes only)."""
    return {
        "usernames": {
            u.email: {
                "email": u.email,
                "name": u.name,
                "password": u.password_hash,
                "roles": [u.role],
            }
            for u in list_users(store)
        }
    }
