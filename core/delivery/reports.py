"""Sending reports: on demand, again from the log, and on subscription schedules.

Every attempt is logged as sent or failed. A recipient who is a dashboard user limited to some
entities only ever receives reports on those entities. ``send_due`` claims each subscription
occurrence with an insert on a primary key before sending, so two runs at once send it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.auth.dashboard_users import list_users
from core.config import Settings
from core.delivery.message import Outgoing, clean_addresses
from core.delivery.senders import Sender, sender_address
from core.errors import DomainError, Forbidden, Invalid, NotFound
from core.ledger.models import DeliveryLog, Subscription, SubscriptionRun
from core.ledger.store import LedgerStore
from core.ops.factory import ops_for_reports
from core.periods import format_period, month_of
from core.reports.email import render_email
from core.reports.registry import NEEDS_OPS, build_report, builder_for
from core.reports.scope import ALL, resolve_scope


@dataclass(frozen=True)
class DueResult:
    """What one send-due run did."""

    sent: int
    failed: int
    skipped: int


def check_recipients(store: LedgerStore, entity: str, recipients: list[str]) -> None:
    """Forbidden if a scoped dashboard user would receive numbers outside their scope."""
    scoped = {u.email: set(u.entities.split(",")) for u in list_users(store) if u.entities != "all"}
    refused = [r for r in recipients if r in scoped and (entity == ALL or entity not in scoped[r])]
    if refused:
        raise Forbidden(
            f"{', '.join(refused)} may not receive reports on {entity!r} (outside their entities)"
        )


def send_report(
    store: LedgerStore,
    sender: Sender,
    settings: Settings,
    *,
    report: str,
    entity: str,
    period: int,
    to: list[str],
    requested_by: str = "",
    allowed: frozenset[str] | None = None,
    subscription_id: int | None = None,
    now: datetime | None = None,
) -> DeliveryLog:
    """Build, render and send one report; the attempt is logged whatever happens."""
    builder_for(report)
    recipients = clean_addresses(to)
    bcc = clean_addresses([settings.report_bcc]) if settings.report_bcc else []
    scope = resolve_scope(store, entity=entity, period=period, allowed=allowed)
    check_recipients(store, scope.entity if scope.entity != "mine" else ALL, recipients)
    ops = ops_for_reports(settings) if report in NEEDS_OPS else None
    built = build_report(report, store, scope, tz=settings.tz, now=now, ops=ops)
    email = render_email(built, demo=store.has_demo_data(), dashboard_url=settings.dashboard_url)
    log = DeliveryLog(
        report=report,
        entity=entity,
        period=format_period(period),
        recipients=",".join(recipients),
        bcc=",".join(bcc),
        subject=email.subject,
        backend=sender.name,
        status="failed",
        requested_by=requested_by,
        subscription_id=subscription_id,
        sent_at=datetime.now(UTC),  # the real time, even when --now simulates the schedule
    )
    try:
        ids = sender.send(
            Outgoing(
                sender=sender_address(settings),
                to=recipients,
                subject=email.subject,
                text=email.text,
                html=email.html,
                bcc=bcc,
                images=email.images,
            )
        )
        log.status, log.message_id = "sent", ",".join(ids)
    except DomainError as exc:
        log.error = str(exc)
    with store.session() as s:
        s.add(log)
        s.commit()
        s.refresh(log)
    return log


def delivery_log(store: LedgerStore, *, limit: int = 200) -> list[DeliveryLog]:
    """Most recent attempts first."""
    with store.session() as s:
        q = select(DeliveryLog).order_by(DeliveryLog.id.desc()).limit(limit)  # type: ignore[union-attr]
        return list(s.exec(q).scalars())


def resend(
    store: LedgerStore, sender: Sender, settings: Settings, log_id: int, *, requested_by: str
) -> DeliveryLog:
    """Send a logged report again to the same recipients (a new log entry)."""
    with store.session() as s:
        old = s.get(DeliveryLog, log_id)
    if old is None:
        raise NotFound(f"no delivery {log_id}")
    return send_report(
        store,
        sender,
        settings,
        report=old.report,
        entity=old.entity,
        period=int(old.period.replace("-", "")),
        to=old.recipients.split(","),
        requested_by=requested_by,
    )


# subscriptions ----------------------------------------------------------------------------
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"{name!r} is not a time zone like America/Los_Angeles") from exc


def add_subscription(
    store: LedgerStore,
    *,
    report: str,
    entity: str,
    to: list[str],
    cron: str,
    tz: str,
    created_by: str = "",
    allowed: frozenset[str] | None = None,
    now: datetime | None = None,
) -> Subscription:
    """Create a schedule; bad cron, zone, report, entity or recipients are refused, and so is
    an entity outside the creator's ``allowed`` scope (schedules run with no reader scope)."""
    builder_for(report)
    if allowed is not None and (entity == ALL or entity not in allowed):
        raise Forbidden(f"you may only schedule reports on your own entities, not {entity!r}")
    if not croniter.is_valid(cron) or len(cron.split()) != 5:
        raise Invalid(
            f"{cron!r} is not a cron expression of five fields "
            "(minute hour day-of-month month day-of-week), e.g. '0 7 * * MON'"
        )
    _zone(tz)
    if entity != ALL:
        store.get_entity(entity)
    recipients = clean_addresses(to)
    check_recipients(store, entity, recipients)
    sub = Subscription(
        report=report,
        entity=entity,
        recipients=",".join(recipients),
        cron=cron,
        tz=tz,
        created_by=created_by,
        created_at=now or datetime.now(UTC),
    )
    with store.session() as s:
        s.add(sub)
        s.commit()
        s.refresh(sub)
    return sub


def list_subscriptions(store: LedgerStore) -> list[Subscription]:
    """Every subscription, oldest first."""
    with store.session() as s:
        return list(s.exec(select(Subscription).order_by(Subscription.id)).scalars())  # type: ignore[arg-type]


def remove_subscription(store: LedgerStore, sub_id: int) -> None:
    """Delete a subscription; NotFound if unknown."""
    with store.session() as s:
        sub = s.get(Subscription, sub_id)
        if sub is None:
            raise NotFound(f"no subscription {sub_id}")
        s.delete(sub)
        s.commit()


def last_due(sub: Subscription, now: datetime) -> datetime | None:
    """The latest occurrence at or before ``now`` that came after the subscription began."""
    zone = _zone(sub.tz)
    local_now = now.astimezone(zone)
    prev = croniter(sub.cron, local_now + timedelta(seconds=1)).get_prev(datetime)
    created = sub.created_at if sub.created_at.tzinfo else sub.created_at.replace(tzinfo=UTC)
    return prev if prev > created else None


def report_period(due: datetime) -> int:
    """The month a scheduled report covers: the month of the day before it is sent."""
    return month_of((due - timedelta(days=1)).date())


def _claim(store: LedgerStore, sub_id: int, due_at: str, now: datetime) -> bool:
    """Take an occurrence: a new row, or a failed one retried; False if someone has it."""
    with store.session() as s:
        s.add(
            SubscriptionRun(subscription_id=sub_id, due_at=due_at, status="sending", updated_at=now)
        )
        try:
            s.commit()
            return True
        except IntegrityError:
            s.rollback()
        result = s.exec(
            update(SubscriptionRun)
            .where(SubscriptionRun.subscription_id == sub_id)  # type: ignore[arg-type]
            .where(SubscriptionRun.due_at == due_at)  # type: ignore[arg-type]
            .where(SubscriptionRun.status == "failed")  # type: ignore[arg-type]
            .values(status="sending", updated_at=now)
        )
        s.commit()
        return result.rowcount == 1


def _finish(store: LedgerStore, sub_id: int, due_at: str, status: str, now: datetime) -> None:
    with store.session() as s:
        s.exec(
            update(SubscriptionRun)
            .where(SubscriptionRun.subscription_id == sub_id)  # type: ignore[arg-type]
            .where(SubscriptionRun.due_at == due_at)  # type: ignore[arg-type]
            .values(status=status, updated_at=now)
        )
        s.commit()


def send_due(
    store: LedgerStore, sender: Sender, settings: Settings, *, now: datetime | None = None
) -> DueResult:
    """Send every subscription whose latest occurrence has not been sent yet."""
    now = now or datetime.now(UTC)
    sent = failed = skipped = 0
    for sub in list_subscriptions(store):
        due = last_due(sub, now)
        if due is None:
            continue
        due_at = due.astimezone(UTC).isoformat()
        if not _claim(store, sub.id or 0, due_at, now):
            skipped += 1
            continue
        try:
            log = send_report(
                store,
                sender,
                settings,
                report=sub.report,
                entity=sub.entity,
                period=report_period(due),
                to=sub.recipients.split(","),
                requested_by=f"subscription {sub.id}",
                subscription_id=sub.id,
                now=now,
            )
            ok = log.status == "sent"
        except DomainError:
            ok = False
        _finish(store, sub.id or 0, due_at, "sent" if ok else "failed", now)
        sent, failed = sent + ok, failed + (not ok)
    return DueResult(sent=sent, failed=failed, skipped=skipped)
