"""Where each subscription stands (next run, last result, failures) and "Send now"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from croniter import croniter
from sqlalchemy import func, select

from core.auth.dashboard_users import UserScope
from core.config import Settings
from core.delivery.options import Options, options_of
from core.delivery.reports import (
    current_actor,
    list_subscriptions,
    may_see,
    report_period,
    send_subscription,
    zone_of,
)
from core.delivery.schedules import describe
from core.delivery.senders import Sender
from core.errors import NotFound
from core.ledger.models import DeliveryLog, Subscription
from core.ledger.store import LedgerStore


@dataclass(frozen=True)
class SubscriptionStatus:
    """A subscription with its options, schedule in words, next run and last outcome."""

    sub: Subscription
    options: Options
    schedule: str
    next_run: datetime  # in the subscription's own time zone
    last_result: str | None  # sent | failed | skipped | refused; None before the first run
    last_at: datetime | None
    last_error: str | None
    failures: int  # failed attempts in the log


def next_run(sub: Subscription, now: datetime) -> datetime:
    """The next occurrence after ``now``, in the subscription's zone (DST-aware: 07:00 stays
    07:00 local across the changes)."""
    local = now.astimezone(zone_of(sub.tz))
    return croniter(sub.cron, local).get_next(datetime)


def subscription_statuses(
    store: LedgerStore, *, actor: UserScope, now: datetime | None = None
) -> list[SubscriptionStatus]:
    """Every subscription within the actor's scope, with where it stands."""
    now = now or datetime.now(UTC)
    subs = list_subscriptions(store, actor=actor)
    ids = [s.id for s in subs]
    with store.session() as s:
        failures = dict(
            s.execute(
                select(DeliveryLog.subscription_id, func.count())
                .where(DeliveryLog.subscription_id.in_(ids))  # type: ignore[union-attr]
                .where(DeliveryLog.status == "failed")
                .group_by(DeliveryLog.subscription_id)
            ).all()
        )
        last: dict[int, DeliveryLog] = {}
        rows = s.exec(
            select(DeliveryLog)
            .where(DeliveryLog.subscription_id.in_(ids))  # type: ignore[union-attr]
            .order_by(DeliveryLog.id)  # type: ignore[arg-type]
        ).scalars()
        for row in rows:
            last[row.subscription_id or 0] = row
    out = []
    for sub in subs:
        recent = last.get(sub.id or 0)
        out.append(
            SubscriptionStatus(
                sub=sub,
                options=options_of(store, sub.id or 0),
                schedule=describe(sub.cron),
                next_run=next_run(sub, now),
                last_result=recent.status if recent else None,
                last_at=recent.sent_at if recent else None,
                last_error=recent.error if recent else None,
                failures=int(failures.get(sub.id, 0)),
            )
        )
    return out


def send_now(
    store: LedgerStore,
    sender: Sender,
    settings: Settings,
    sub_id: int,
    *,
    actor: UserScope,
    now: datetime | None = None,
) -> DeliveryLog:
    """Send a subscription's report at once, for the period its next scheduled run would
    cover, within the actor's current scope; the attempt is logged like a scheduled one.
    NotFound for a subscription outside that scope."""
    actor = current_actor(store, actor)
    with store.session() as s:
        sub = s.get(Subscription, sub_id)
    if sub is None or not may_see(actor, sub.entity):
        raise NotFound(f"no subscription {sub_id}")
    now = now or datetime.now(UTC)
    send_subscription(
        store,
        sender,
        settings,
        sub,
        actor,
        report_period(now),
        requested_by=f"{actor.email} (send now, subscription {sub.id})",
    )
    with store.session() as s:
        return s.exec(
            select(DeliveryLog)
            .where(DeliveryLog.subscription_id == sub_id)  # type: ignore[arg-type]
            .order_by(DeliveryLog.id.desc())  # type: ignore[union-attr]
            .limit(1)
        ).scalar_one()
