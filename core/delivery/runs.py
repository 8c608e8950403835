"""Subscription occurrences: claimed with an insert on a primary key before anything is sent,
so two runs at once send each occurrence once; a failed one may be claimed again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core.delivery.message import Outgoing
from core.delivery.senders import Sender
from core.errors import DomainError
from core.ledger.models import DeliveryLog, Subscription, SubscriptionRun
from core.ledger.store import LedgerStore
from core.periods import format_period


def claim(store: LedgerStore, sub_id: int, due_at: str, now: datetime) -> bool:
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


def finish(store: LedgerStore, sub_id: int, due_at: str, status: str, now: datetime) -> None:
    """Record how a claimed occurrence ended (sent, failed, refused, skipped)."""
    with store.session() as s:
        s.exec(
            update(SubscriptionRun)
            .where(SubscriptionRun.subscription_id == sub_id)  # type: ignore[arg-type]
            .where(SubscriptionRun.due_at == due_at)  # type: ignore[arg-type]
            .values(status=status, updated_at=now)
        )
        s.commit()


def log_refused(store: LedgerStore, backend: str, sub: Subscription, period: int, why: str) -> None:
    """Log a scheduled send that was not made, so the log says why nothing arrived."""
    with store.session() as s:
        s.add(
            DeliveryLog(
                report=sub.report,
                entity=sub.entity,
                period=format_period(period),
                recipients=sub.recipients,
                backend=backend,
                status="refused",
                error=why,
                requested_by=f"subscription {sub.id}",
                subscription_id=sub.id,
                sent_at=datetime.now(UTC),
            )
        )
        s.commit()


def logged(store: LedgerStore, log: DeliveryLog) -> DeliveryLog:
    """Write one attempt to the delivery log, as it ended."""
    with store.session() as s:
        s.add(log)
        s.commit()
        s.refresh(log)
    return log


def send_logged(
    store: LedgerStore, sender: Sender, log: DeliveryLog, message: Outgoing
) -> DeliveryLog:
    """Send ``message`` and log the attempt (``log`` starts as failed): sent with its message
    ids, or failed with the sender's error; never a failure logged as sent."""
    try:
        log.status, log.message_id = "sent", ",".join(sender.send(message))
    except DomainError as exc:
        log.status, log.error = "failed", str(exc)
    return logged(store, log)
