"""Businesses from the web page: add (with a chart of accounts per kind), rename, archive.

Every change is made on behalf of an actor and refused unless that actor is an owner (read
fresh from the database). Entity ids are made from the name; names are unique (ignoring case)
so that pickers never show two businesses alike. Archiving hides a business from the report
pickers; its entries, records and targets stay, and consolidated figures still include them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.auth.dashboard_users import UserScope
from core.errors import Conflict, Invalid, NotFound
from core.ledger.models import COST_BEHAVIORS, Account, Entity
from core.ledger.models_entities import EntityProfile
from core.ledger.store import LedgerStore, account_root, bump_revision, upsert_insert
from core.onboarding.owner import require_owner_now
from core.onboarding.templates import KINDS, insert_accounts, kind_problem, template_for

CURRENCIES = ("USD",)
MAX_NAME = 80
_NOT_ID = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class Business:
    """One entity as the Businesses page lists it."""

    id: str
    name: str
    kind: str
    kind_label: str
    currency: str
    archived: bool
    is_demo: bool


def _name_problem(conn: Connection, name: str, *, other_than: str = "") -> str | None:
    if not name:
        return "a business needs a name"
    if len(name) > MAX_NAME:
        return f"at most {MAX_NAME} characters"
    taken = conn.execute(select(Entity.id, Entity.name)).all()
    if any(n.casefold() == name.casefold() and i != other_than for i, n in taken):
        return f"a business named {name!r} already exists"
    return None


def _new_id(conn: Connection, name: str) -> str:
    """An id from the name's letters and digits (``Harbor Tours`` -> ``Harbor-Tours``)."""
    base = _NOT_ID.sub("-", name).strip("-")[:56] or "business"
    taken = set(conn.scalars(select(Entity.id)))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def add_business(
    store: LedgerStore, actor: UserScope, *, name: str, kind: str, currency: str = "USD"
) -> Business:
    """Create a business with its kind's chart of accounts, all or nothing (owner only)."""
    name = name.strip()
    try:
        with store.engine.begin() as conn:
            require_owner_now(conn, actor, "add a business")
            fields: dict[str, str] = {}
            if problem := _name_problem(conn, name):
                fields["name"] = problem
            if problem := kind_problem(kind):
                fields["kind"] = problem
            if currency not in CURRENCIES:
                fields["currency"] = "only USD for now"
            if fields:
                raise Invalid("business not added", fields=fields)
            entity_id = _new_id(conn, name)
            conn.execute(insert(Entity).values(id=entity_id, name=name, kind=kind, is_demo=False))
            conn.execute(insert(EntityProfile).values(entity_id=entity_id, currency=currency))
            insert_accounts(conn, entity_id, template_for(kind))
            bump_revision(conn)
    except IntegrityError as exc:  # the same name or id added at the same moment
        raise Conflict("a business was added at the same moment; try again") from exc
    return Business(entity_id, name, kind, KINDS[kind], currency, False, False)


def rename_business(store: LedgerStore, actor: UserScope, entity_id: str, *, name: str) -> None:
    """Give a business a new name (owner only); its id, and so its history, stays."""
    name = name.strip()
    with store.engine.begin() as conn:
        require_owner_now(conn, actor, "rename a business")
        _existing(conn, entity_id)
        if problem := _name_problem(conn, name, other_than=entity_id):
            raise Invalid("business not renamed", fields={"name": problem})
        conn.execute(update(Entity).where(Entity.id == entity_id).values(name=name))
        bump_revision(conn)


def set_archived(store: LedgerStore, actor: UserScope, entity_id: str, *, archived: bool) -> None:
    """Archive a business (or bring it back); owner only. Nothing of its history is removed."""
    with store.engine.begin() as conn:
        require_owner_now(conn, actor, "archive a business")
        _existing(conn, entity_id)
        values = {
            "entity_id": entity_id,
            "archived_at": datetime.now(UTC) if archived else None,
            "archived_by": actor.email if archived else "",
        }
        stmt = upsert_insert(conn.dialect.name)(EntityProfile).values(**values)
        changed = {k: v for k, v in values.items() if k != "entity_id"}
        conn.execute(stmt.on_conflict_do_update(index_elements=["entity_id"], set_=changed))
        bump_revision(conn)


def add_account(
    store: LedgerStore,
    actor: UserScope,
    entity_id: str,
    *,
    path: str,
    cost_behavior: str | None = None,
) -> bool:
    """Add an account to a business's chart (owner only); False when it already had it."""
    path = path.strip()
    fields: dict[str, str] = {}
    try:
        root = account_root(path)
    except Invalid as exc:
        fields["path"] = exc.message
        root = ""
    if root == "Expenses" and cost_behavior is None:
        cost_behavior = "fixed"  # as a posting creates it
    if cost_behavior is not None and cost_behavior not in COST_BEHAVIORS:
        fields["cost_behavior"] = "fixed or variable"
    with store.engine.begin() as conn:
        require_owner_now(conn, actor, "change a chart of accounts")
        _existing(conn, entity_id)
        if fields:
            raise Invalid("account not added", fields=fields)
        added = insert_accounts(conn, entity_id, ((path, cost_behavior),))
        bump_revision(conn)
    return added == 1


def chart_of_accounts(store: LedgerStore, entity_id: str) -> list[Account]:
    """Every account of a business, by path (template, added and posted-to alike)."""
    with store.session() as s:
        rows = list(s.exec(select(Account).where(Account.entity_id == entity_id)).scalars())
    return sorted(rows, key=lambda a: a.path)  # code points, as on every backend


def list_businesses(store: LedgerStore) -> list[Business]:
    """Every entity with its currency and archive state, by name."""
    with store.engine.connect() as conn:
        profiles = {p.entity_id: p for p in conn.execute(select(EntityProfile))}
    out = []
    for e in store.list_entities():
        profile = profiles.get(e.id)
        out.append(
            Business(
                id=e.id,
                name=e.name,
                kind=e.kind,
                kind_label=KINDS.get(e.kind, e.kind),
                currency=profile.currency if profile else "USD",
                archived=bool(profile and profile.archived_at is not None),
                is_demo=e.is_demo,
            )
        )
    return out


def archived_ids(store: LedgerStore) -> frozenset[str]:
    """Ids of the archived entities (left out of the report pickers)."""
    with store.engine.connect() as conn:
        rows = conn.scalars(
            select(EntityProfile.entity_id).where(EntityProfile.archived_at.is_not(None))
        )
        return frozenset(rows)


def active_entities(store: LedgerStore, allowed: Collection[str] | None = None) -> list[Entity]:
    """Entities that are not archived and that a reader limited to ``allowed`` ids (None: any)
    may see, by name: what the pickers offer."""
    hidden = archived_ids(store)
    return [
        e
        for e in store.list_entities()
        if e.id not in hidden and (allowed is None or e.id in allowed)
    ]


def _existing(conn: Connection, entity_id: str) -> None:
    if conn.scalar(select(Entity.id).where(Entity.id == entity_id)) is None:
        raise NotFound(f"unknown business {entity_id!r}")
