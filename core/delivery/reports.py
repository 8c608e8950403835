"""Sending reports: on demand, again from the log, and on subscription schedules.

Every attempt is logged as sent, failed or refused. A recipient who is a dashboard user limited
to some entities only ever receives reports on those entities. ``send_due`` claims each
subscription occurrence with an insert on a primary key before sending, so two runs at once
send it once.

Who may see and touch what is decided here, for every door. The log and the subscriptions are
read and changed on behalf of an actor: a dashboard user (``UserScope``, re-read on every call,
so a role or scope changed since sign-in counts at once) whose role may open /reports, or the
``OPERATOR`` the command line passes. A scoped user sees and touches only the rows of their own
entities; a row for ``all`` belongs to users with every entity. A row outside the actor's reach
answers NotFound, exactly like a missing one. A scheduled send runs with its creator's current
scope: a creator removed, moved to a role without /reports, or no longer allowed the entity
makes that occurrence ``refused`` (logged, not sent, not retried).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from sqlalchemy import select

from core.auth.dashboard_users import OPERATOR, UserScope, get_user, list_users
from core.auth.roles import may_open
from core.config import Settings
from core.delivery.attachments import parse_attach, report_attachments
from core.delivery.message import Outgoing, clean_addresses
from core.delivery.options import Options, options_of, options_row
from core.delivery.runs import claim, finish, log_refused, logged, send_logged
from core.delivery.senders import Sender, sender_address
from core.errors import DomainError, Forbidden, Invalid, NotFound
from core.ledger.models import DeliveryLog, Subscription, SubscriptionOptions
from core.ledger.store import LedgerStore
from core.logs import audited
from core.ops.factory import open_ops
from core.periods import format_period, month_of, parse_period
from core.reports.email import render_email
from core.reports.model import Report
from core.reports.registry import build_scoped, builder_for
from core.reports.request import ReportRequest, resolve_request
from core.reports.scope import ALL, MINE

REPORTS_PAGE = "reports"  # the page whose roles may manage deliveries and subscriptions


@dataclass(frozen=True)
class DueResult:
    """What one send-due run did (``skipped``: already sent; ``refused``: the creator may no
    longer send it)."""

    sent: int
    failed: int
    skipped: int
    refused: int = 0
    empty: int = 0  # skipped because no KPI had a value (the subscription asks for that)


def current_actor(store: LedgerStore, actor: UserScope) -> UserScope:
    """The actor's role and scope as they are now; Forbidden for a user removed since, or one
    whose role may not manage report deliveries."""
    return OPERATOR if actor is OPERATOR else _reports_user(store, actor.email)


def _reports_user(store: LedgerStore, email: str) -> UserScope:
    try:
        user = get_user(store, email)
    except NotFound as exc:
        raise Forbidden(f"{email or '(nobody)'} is no longer a dashboard user") from exc
    if not may_open(user.role, REPORTS_PAGE):
        raise Forbidden(f"the {user.role} role may not manage report emails")
    return user


def may_see(actor: UserScope, entity: str) -> bool:
    """True when a delivery or subscription on ``entity`` is within the actor's scope: one of
    their entities, and ``all`` only for an actor with every entity."""
    return actor.entities is None or (entity != ALL and entity in actor.entities)


def _within(column: Any, actor: UserScope) -> Any:
    """SQL for rows whose entity ``column`` the actor may see (None: no filter)."""
    if actor.entities is None:
        return None
    return column.in_(sorted(actor.entities))  # 'all' is never one of them


def check_recipients(store: LedgerStore, entity: str, recipients: list[str]) -> None:
    """Forbidden if a scoped dashboard user would receive numbers outside their scope."""
    scoped = {u.email: set(u.entities.split(",")) for u in list_users(store) if u.entities != "all"}
    refused = [r for r in recipients if r in scoped and (entity == ALL or entity not in scoped[r])]
    if refused:
        raise Forbidden(
            f"{', '.join(refused)} may not receive reports on {entity!r} (outside their entities)"
        )


@audited("send", actor="request", fields=("to", "subscription_id"))
def send_report(
    store: LedgerStore,
    sender: Sender,
    settings: Settings,
    request: ReportRequest,
    *,
    to: list[str],
    requested_by: str | None = None,
    subscription_id: int | None = None,
    now: datetime | None = None,
    attach: tuple[str, ...] = (),
    skip_if_empty: bool = False,
) -> DeliveryLog:
    """Build, render and send one report within the request's scope; the attempt is logged
    whatever happens. ``requested_by`` (default: the reader's address) is what the log shows;
    ``attach`` adds the report's PDF and/or XLSX; ``skip_if_empty`` logs ``skipped`` instead of
    sending when no KPI has a value for the period."""
    builder_for(request.report)
    attach = parse_attach(attach)
    recipients = clean_addresses(to)
    bcc = clean_addresses([settings.report_bcc]) if settings.report_bcc else []
    scope = resolve_request(store, request)
    check_recipients(store, scope.entity if scope.entity != MINE else ALL, recipients)
    built = build_scoped(
        request.report,
        store,
        scope,
        tz=settings.tz,
        now=now,
        ops=lambda: open_ops(settings).service,
        as_of=request.as_of,
    )
    demo = store.has_demo_data()
    email = render_email(built, demo=demo, dashboard_url=settings.dashboard_url)
    log = DeliveryLog(
        report=request.report,
        entity=request.entity,
        period=format_period(request.period),
        recipients=",".join(recipients),
        bcc=",".join(bcc),
        subject=email.subject,
        backend=sender.name,
        status="failed",
        requested_by=request.reader.email if requested_by is None else requested_by,
        subscription_id=subscription_id,
        sent_at=datetime.now(UTC),  # the real time, even when --now simulates the schedule
    )
    if skip_if_empty and is_empty(built):
        log.status = "skipped"
        log.error = f"nothing to report: every KPI is missing or zero for {log.period}"
        return logged(store, log)
    files = report_attachments(built, attach, demo=demo, page_size=settings.pdf_page_size)
    message = Outgoing(
        sender=sender_address(settings),
        to=recipients,
        subject=email.subject,
        text=email.text,
        html=email.html,
        bcc=bcc,
        images=email.images,
        attachments=files,
    )
    return send_logged(store, sender, log, message)


def is_empty(report: Report) -> bool:
    """Nothing to report: every KPI is missing or zero (a period with no activity builds as
    zeros, not as missing values)."""
    return all(not k.value for k in report.kpis)


def delivery_log(store: LedgerStore, *, actor: UserScope, limit: int = 200) -> list[DeliveryLog]:
    """The attempts within the actor's scope, most recent first."""
    actor = current_actor(store, actor)
    q = select(DeliveryLog)
    where = _within(DeliveryLog.entity, actor)
    if where is not None:
        q = q.where(where)
    with store.session() as s:
        q = q.order_by(DeliveryLog.id.desc()).limit(limit)  # type: ignore[union-attr]
        return list(s.exec(q).scalars())


def resend(
    store: LedgerStore, sender: Sender, settings: Settings, log_id: int, *, actor: UserScope
) -> DeliveryLog:
    """Send a logged report again to the same recipients (a new log entry), with the actor's
    current scope; NotFound for a delivery outside it."""
    actor = current_actor(store, actor)
    with store.session() as s:
        old = s.get(DeliveryLog, log_id)
    if old is None or not may_see(actor, old.entity):
        raise NotFound(f"no delivery {log_id}")
    request = ReportRequest(
        reader=actor, report=old.report, entity=old.entity, period=parse_period(old.period)
    )
    return send_report(store, sender, settings, request, to=old.recipients.split(","))


# subscriptions ----------------------------------------------------------------------------
def zone_of(name: str) -> ZoneInfo:
    """The named IANA zone; Invalid for a name that is none."""
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
    actor: UserScope,
    now: datetime | None = None,
    options: Options | None = None,
) -> Subscription:
    """Create a schedule on behalf of ``actor``; bad cron, zone, report, entity, recipients or
    attachments are refused, and so is an entity outside the actor's current scope (it is sent
    with it). ``options``: files to attach, and whether an empty report is skipped."""
    actor = current_actor(store, actor)
    builder_for(report)
    options = options or Options()
    options = Options(parse_attach(options.attach), options.skip_if_empty)
    if not may_see(actor, entity):
        raise Forbidden(f"you may only schedule reports on your own entities, not {entity!r}")
    if not croniter.is_valid(cron) or len(cron.split()) != 5:
        raise Invalid(
            f"{cron!r} is not a cron expression of five fields "
            "(minute hour day-of-month month day-of-week), e.g. '0 7 * * MON'"
        )
    zone_of(tz)
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
        created_by=actor.email,
        created_at=now or datetime.now(UTC),
    )
    with store.session() as s:
        s.add(sub)
        s.flush()  # the id, for the options row in the same transaction
        s.add(options_row(sub.id or 0, options))
        s.commit()
        s.refresh(sub)
    return sub


def _subscriptions(actor: UserScope | None) -> Any:
    q = select(Subscription).order_by(Subscription.id)  # type: ignore[arg-type]
    where = None if actor is None else _within(Subscription.entity, actor)
    return q if where is None else q.where(where)


def list_subscriptions(store: LedgerStore, *, actor: UserScope) -> list[Subscription]:
    """The subscriptions within the actor's scope, oldest first."""
    actor = current_actor(store, actor)
    with store.session() as s:
        return list(s.exec(_subscriptions(actor)).scalars())


def remove_subscription(store: LedgerStore, sub_id: int, *, actor: UserScope) -> None:
    """Delete a subscription; NotFound if unknown or outside the actor's scope."""
    actor = current_actor(store, actor)
    with store.session() as s:
        sub = s.get(Subscription, sub_id)
        if sub is None or not may_see(actor, sub.entity):
            raise NotFound(f"no subscription {sub_id}")
        s.delete(sub)
        if (extra := s.get(SubscriptionOptions, sub_id)) is not None:
            s.delete(extra)
        s.commit()


def last_due(sub: Subscription, now: datetime) -> datetime | None:
    """The latest occurrence at or before ``now`` that came after the subscription began."""
    zone = zone_of(sub.tz)
    local_now = now.astimezone(zone)
    prev = croniter(sub.cron, local_now + timedelta(seconds=1)).get_prev(datetime)
    created = sub.created_at if sub.created_at.tzinfo else sub.created_at.replace(tzinfo=UTC)
    return prev if prev > created else None


def report_period(due: datetime) -> int:
    """The month a scheduled report covers: the month of the day before it is sent."""
    return month_of((due - timedelta(days=1)).date())


def send_due(
    store: LedgerStore, sender: Sender, settings: Settings, *, now: datetime | None = None
) -> DueResult:
    """Send every subscription whose latest occurrence has not been sent yet."""
    now = now or datetime.now(UTC)
    sent = failed = skipped = refused = empty = 0
    with store.session() as s:
        subs = list(s.exec(_subscriptions(None)).scalars())
    for sub in subs:
        due = last_due(sub, now)
        if due is None:
            continue
        due_at = due.astimezone(UTC).isoformat()
        if not claim(store, sub.id or 0, due_at, now):
            skipped += 1
            continue
        try:
            creator = creator_scope(store, sub)
        except Forbidden as exc:
            log_refused(store, sender.name, sub, report_period(due), str(exc))
            finish(store, sub.id or 0, due_at, "refused", now)
            refused += 1
            continue
        status = send_subscription(store, sender, settings, sub, creator, report_period(due), now)
        finish(store, sub.id or 0, due_at, status, now)
        sent, failed, empty = (
            sent + (status == "sent"),
            failed + (status == "failed"),
            empty + (status == "skipped"),
        )
    return DueResult(sent=sent, failed=failed, skipped=skipped, refused=refused, empty=empty)


def send_subscription(
    store: LedgerStore,
    sender: Sender,
    settings: Settings,
    sub: Subscription,
    reader: UserScope,
    period: int,
    now: datetime | None = None,
    requested_by: str | None = None,
) -> str:
    """Send one subscription's report for ``period`` as ``reader``, with its options; the
    outcome: ``sent``, ``failed`` or ``skipped`` (empty, when the subscription skips those)."""
    options = options_of(store, sub.id or 0)
    try:
        request = ReportRequest(reader=reader, report=sub.report, entity=sub.entity, period=period)
        log = send_report(
            store,
            sender,
            settings,
            request,
            to=sub.recipients.split(","),
            requested_by=requested_by or f"subscription {sub.id}",
            subscription_id=sub.id,
            now=now,
            attach=options.attach,
            skip_if_empty=options.skip_if_empty,
        )
    except DomainError:
        return "failed"
    return log.status if log.status in ("sent", "skipped") else "failed"


def creator_scope(store: LedgerStore, sub: Subscription) -> UserScope:
    """The scope a subscription is sent with: its creator's, as it is now. Forbidden when the
    creator is gone, lost /reports, or may no longer see the subscription's entity."""
    if sub.created_by == OPERATOR.email:
        return OPERATOR
    try:
        creator = _reports_user(store, sub.created_by)
    except Forbidden as exc:
        raise Forbidden(f"not sent: subscription {sub.id}'s creator: {exc}") from exc
    if not may_see(creator, sub.entity):
        raise Forbidden(
            f"not sent: its creator {creator.email} may no longer see entity {sub.entity!r}"
        )
    return creator
