"""``alerts run``: evaluate every active rule, and send each alert once.

Each firing is claimed with an insert on ``alert_firings``' primary key (rule, occurrence)
before anything is sent, exactly as ``send-due`` claims a subscription's occurrence: two runs
at once (the schedule and an import, two processes) send one email. A failed send is claimed
again by the next run; a refused one (its creator or a recipient may no longer see the
entity) is logged and not retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.alerts.conditions import is_crossed, step
from core.alerts.email import AlertFacts, render_alert
from core.alerts.kpis import kpi_for, kpi_history, split_kpi
from core.alerts.rules import alerts_actor
from core.auth.dashboard_users import OPERATOR, UserScope
from core.config import Settings
from core.delivery.message import Outgoing
from core.delivery.reports import check_recipients, may_see
from core.delivery.runs import send_logged
from core.delivery.senders import Sender, sender_address
from core.errors import DomainError, Forbidden
from core.ledger.models import DeliveryLog
from core.ledger.models_alerts import AlertFiring, AlertRule
from core.ledger.store import LedgerStore
from core.periods import format_period, month_of, parse_period
from core.reports.model import KPI, Report


@dataclass(frozen=True)
class AlertRunResult:
    """What one run did: rules evaluated, emails sent, failed, already claimed, refused."""

    evaluated: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    refused: int = 0
    errors: int = 0  # rules whose KPI could not be read (e.g. an entity removed since)


def run_alerts(
    store: LedgerStore,
    sender: Sender,
    settings: Settings,
    *,
    now: datetime | None = None,
    entity: str | None = None,
) -> AlertRunResult:
    """Evaluate every unpaused rule (only those on ``entity`` or ``all`` when given) as of
    ``now``, and send what fires."""
    now = now or datetime.now(UTC)
    q = select(AlertRule).where(AlertRule.paused == False).order_by(AlertRule.id)  # type: ignore[arg-type]  # noqa: E712
    if entity is not None:
        q = q.where(AlertRule.entity.in_([entity, "all"]))  # type: ignore[attr-defined]
    with store.session() as s:
        rules = list(s.exec(q).scalars())
    counts = dict.fromkeys(("sent", "failed", "skipped", "refused", "errors", "quiet"), 0)
    for rule in rules:
        counts[_evaluate(store, sender, settings, rule, now)] += 1
    del counts["quiet"]
    return AlertRunResult(evaluated=len(rules) - counts["errors"], **counts)


def _evaluate(
    store: LedgerStore, sender: Sender, settings: Settings, rule: AlertRule, now: datetime
) -> str:
    """One rule: read its KPI, record the state, fire if due; the outcome's counter name."""
    local = now.astimezone(settings.tz)
    period = month_of(local.date())
    try:
        built, kpi = kpi_for(store, rule.kpi, rule.entity, period, settings=settings, now=now)
    except DomainError:
        return "errors"
    crossed = is_crossed(rule.condition, rule.threshold, kpi)
    move = step(
        mode=rule.mode, armed=rule.armed, cycle=rule.cycle, crossed=crossed, day=local.date()
    )
    with store.session() as s:
        state = {"crossed": crossed, "last_value": kpi.value, "evaluated_at": now}
        s.exec(update(AlertRule).where(AlertRule.id == rule.id).values(**state))  # type: ignore[arg-type]
        if move.rearm:  # once only: of two runs re-arming at once, one moves the cycle on
            s.exec(
                update(AlertRule)
                .where(AlertRule.id == rule.id, AlertRule.cycle == rule.cycle)  # type: ignore[arg-type]
                .values(armed=True, cycle=rule.cycle + 1)
            )
        s.commit()
    if not move.fire or move.occurrence is None:
        return "quiet"
    if not _claim(store, rule, move.occurrence, kpi.value, rule.last_value, period, now):
        return "skipped"
    try:
        _check_scope(store, rule)
    except Forbidden as exc:
        _finish(store, rule, move.occurrence, "refused", now, error=str(exc))
        return "refused"
    try:
        status, error = _send(store, sender, settings, rule, built, kpi, now)
    except Exception as exc:  # a crash must neither hold the claim for ever nor stop the run
        _finish(store, rule, move.occurrence, "failed", now, error=f"{type(exc).__name__}: {exc}")
        return "failed"
    _finish(store, rule, move.occurrence, status, now, error=error)
    if status == "sent":
        with store.session() as s:
            done = {"fired_at": now} | ({"armed": False} if rule.mode == "once" else {})
            s.exec(update(AlertRule).where(AlertRule.id == rule.id).values(**done))  # type: ignore[arg-type]
            s.commit()
    return status


def _claim(
    store: LedgerStore,
    rule: AlertRule,
    occurrence: str,
    value: float | None,
    previous: float | None,
    period: int,
    now: datetime,
) -> bool:
    """Take a firing: a new row, or a failed one retried; False if another run has it."""
    with store.session() as s:
        s.add(
            AlertFiring(
                rule_id=rule.id or 0,
                occurrence=occurrence,
                status="sending",
                value=value,
                previous=previous,
                period=format_period(period),
                recipients=rule.recipients,
                fired_at=now,
                updated_at=now,
            )
        )
        try:
            s.commit()
            return True
        except IntegrityError:
            s.rollback()
        taken = s.exec(
            update(AlertFiring)
            .where(AlertFiring.rule_id == rule.id, AlertFiring.occurrence == occurrence)  # type: ignore[arg-type]
            .where(AlertFiring.status == "failed")  # type: ignore[arg-type]
            .values(status="sending", value=value, previous=previous, updated_at=now)
        )
        s.commit()
        return taken.rowcount == 1


def _finish(
    store: LedgerStore,
    rule: AlertRule,
    occurrence: str,
    status: str,
    now: datetime,
    *,
    error: str | None = None,
) -> None:
    with store.session() as s:
        s.exec(
            update(AlertFiring)
            .where(AlertFiring.rule_id == rule.id, AlertFiring.occurrence == occurrence)  # type: ignore[arg-type]
            .values(status=status, error=error, updated_at=now)
        )
        s.commit()


def creator_of(store: LedgerStore, rule: AlertRule) -> UserScope:
    """The scope a rule is sent with: its creator's, as it is now; Forbidden when the creator
    is gone, lost /alerts, or may no longer see the rule's entity."""
    if rule.created_by == OPERATOR.email:
        return OPERATOR
    try:
        creator = alerts_actor(
            store, UserScope(email=rule.created_by, name="", role="", entities=frozenset())
        )
    except Forbidden as exc:
        raise Forbidden(f"not sent: alert {rule.id}'s creator: {exc}") from exc
    if not may_see(creator, rule.entity):
        raise Forbidden(f"not sent: its creator {creator.email} may no longer see {rule.entity!r}")
    return creator


def _check_scope(store: LedgerStore, rule: AlertRule) -> None:
    """Forbidden unless the creator and every recipient may still see the rule's entity."""
    creator_of(store, rule)
    check_recipients(store, rule.entity, rule.recipients.split(","))


def _send(
    store: LedgerStore,
    sender: Sender,
    settings: Settings,
    rule: AlertRule,
    built: Report,
    kpi: KPI,
    now: datetime,
) -> tuple[str, str | None]:
    """Render and send the alert, logged in the delivery log; (status, error)."""
    report, _ = split_kpi(rule.kpi)
    period = parse_period(built.period)
    facts = AlertFacts(
        rule=rule,
        kpi=kpi,
        previous=rule.last_value,
        period=period,
        report_title=built.title,
        entity_name=built.entity_name,
        history=kpi_history(store, rule.kpi, rule.entity, period, settings=settings, now=now),
        as_of=now.astimezone(settings.tz),
        timezone=settings.portfolio_tz,
    )
    email = render_alert(facts, dashboard_url=settings.dashboard_url)
    recipients = rule.recipients.split(",")
    log = DeliveryLog(
        report=report,
        entity=rule.entity,
        period=format_period(period),
        recipients=rule.recipients,
        subject=email.subject,
        backend=sender.name,
        status="failed",
        requested_by=f"alert {rule.id}",
        sent_at=datetime.now(UTC),
    )
    message = Outgoing(
        sender=sender_address(settings),
        to=recipients,
        subject=email.subject,
        text=email.text,
        html=email.html,
        images=email.images,
    )
    log = send_logged(store, sender, log, message)
    return log.status, log.error
