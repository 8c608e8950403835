""" "Replace the demo with my data": remove the demo businesses and everything of theirs.

Only entities marked ``is_demo`` go, with every row that names them (entries, lines, rollups,
accounts, records, rules, targets, source runs, subscriptions and their runs), in one
transaction. Consolidated (``all``) targets go too: they were set over a portfolio that held
the demo. The delivery log stays: it records mail that was really sent.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import SQLModel

from core.auth.dashboard_users import UserScope
from core.ledger.models import Entity, Subscription, SubscriptionRun, Target
from core.ledger.store import LedgerStore, bump_revision
from core.onboarding.owner import require_owner_now

ALL = "all"


def replace_demo(store: LedgerStore, actor: UserScope) -> list[str]:
    """Remove every demo entity and its data (owner only); the ids removed."""
    with store.engine.begin() as conn:
        require_owner_now(conn, actor, "remove the demo")
        ids = sorted(conn.scalars(select(Entity.id).where(Entity.is_demo.is_(True))))
        if not ids:
            return []
        subs = select(Subscription.id).where(Subscription.entity.in_(ids))
        conn.execute(delete(SubscriptionRun).where(SubscriptionRun.subscription_id.in_(subs)))
        conn.execute(delete(Subscription).where(Subscription.entity.in_(ids)))
        # every table with an entity_id column, dependents first (foreign keys are on)
        for table in reversed(SQLModel.metadata.sorted_tables):
            if "entity_id" in table.c and table.name != Target.__tablename__:
                conn.execute(delete(table).where(table.c.entity_id.in_(ids)))
        conn.execute(delete(Target).where(Target.entity_id.in_([*ids, ALL])))
        conn.execute(delete(Entity).where(Entity.id.in_(ids)))
        bump_revision(conn)
    return ids
