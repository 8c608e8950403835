"""Alert rules on behalf of an actor: add, list, pause, remove, and each rule's history.

Scoped like report subscriptions (core/delivery/reports.py): the actor is a dashboard user
whose role may open /alerts (re-read on every call, so a role or scope changed since sign-in
counts at once) or the command line's ``OPERATOR``. A user limited to some entities sets,
sees and touches only rules on those entities (``all`` needs every entity), and only sends
them to addresses allowed to see those entities. A rule outside the actor's reach answers
NotFound, exactly like a missing one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, update

from core.alerts.conditions import CONDITIONS, MODES
from core.alerts.kpis import kpi_problems, split_kpi
from core.auth.dashboard_users import OPERATOR, UserScope, get_user
from core.auth.roles import may_open
from core.config import Settings
from core.delivery.message import clean_addresses
from core.delivery.reports import check_recipients, may_see
from core.errors import DomainError, Forbidden, Invalid, NotFound
from core.ledger.models_alerts import AlertFiring, AlertRule
from core.ledger.store import LedgerStore
from core.periods import month_of

ALERTS_PAGE = "alerts"  # the page whose roles may manage alerts


def alerts_actor(store: LedgerStore, actor: UserScope) -> UserScope:
    """The actor's role and scope as they are now; Forbidden for a user removed since, or one
    whose role may not manage alerts."""
    if actor is OPERATOR:
        return OPERATOR
    try:
        user = get_user(store, actor.email)
    except NotFound as exc:
        raise Forbidden(f"{actor.email or '(nobody)'} is no longer a dashboard user") from exc
    if not may_open(user.role, ALERTS_PAGE):
        raise Forbidden(f"the {user.role} role may not manage alerts")
    return user


def add_rule(
    store: LedgerStore,
    *,
    kpi: str,
    entity: str,
    condition: str,
    threshold: float | None,
    to: list[str],
    every: bool = False,
    actor: UserScope,
    settings: Settings,
    now: datetime | None = None,
) -> AlertRule:
    """Create a rule; Invalid listing every problem (KPI, entity, condition, recipients) and
    nothing written; Forbidden for an entity or recipient outside the actor's scope."""
    actor = alerts_actor(store, actor)
    now = now or datetime.now(UTC)
    entity = entity.strip()
    if not may_see(actor, entity):
        raise Forbidden(f"you may only set alerts on your own entities, not {entity!r}")
    problems = []
    if condition not in CONDITIONS:
        problems.append(f"condition must be one of {', '.join(CONDITIONS)}, not {condition!r}")
    elif condition != "off_target" and threshold is None:
        problems.append(f"a {condition} alert needs a threshold (--{condition} X)")
    try:
        split_kpi(kpi)
        period = month_of(now.astimezone(settings.tz).date())
        problems += kpi_problems(store, kpi, entity, settings=settings, now=now, period=period)
    except DomainError as exc:
        problems.append(str(exc))
    recipients: list[str] = []
    try:
        recipients = clean_addresses(to)
        if not recipients:
            problems.append("at least one recipient (--to ADDR)")
    except DomainError as exc:
        problems.append(str(exc))
    if problems:
        raise Invalid("alert not added", problems=problems)
    check_recipients(store, entity, recipients)
    rule = AlertRule(
        kpi=kpi.strip(),
        entity=entity,
        condition=condition,
        threshold=None if condition == "off_target" else threshold,
        recipients=",".join(recipients),
        mode=MODES[1] if every else MODES[0],
        created_by=actor.email,
        created_at=now,
    )
    with store.session() as s:
        s.add(rule)
        s.commit()
        s.refresh(rule)
    return rule


def _visible(actor: UserScope):  # type: ignore[no-untyped-def]
    q = select(AlertRule).order_by(AlertRule.id)  # type: ignore[arg-type]
    if actor.entities is not None:  # "all" is never one of a scoped user's entities
        q = q.where(AlertRule.entity.in_(sorted(actor.entities)))  # type: ignore[attr-defined]
    return q


def list_rules(store: LedgerStore, *, actor: UserScope) -> list[AlertRule]:
    """The rules within the actor's scope, oldest first."""
    actor = alerts_actor(store, actor)
    with store.session() as s:
        return list(s.exec(_visible(actor)).scalars())


def get_rule(store: LedgerStore, rule_id: int, *, actor: UserScope) -> AlertRule:
    """One rule; NotFound if unknown or outside the actor's scope."""
    actor = alerts_actor(store, actor)
    with store.session() as s:
        rule = s.get(AlertRule, rule_id)
    if rule is None or not may_see(actor, rule.entity):
        raise NotFound(f"no alert {rule_id}")
    return rule


def set_paused(store: LedgerStore, rule_id: int, paused: bool, *, actor: UserScope) -> AlertRule:
    """Pause or resume a rule; a paused rule is not evaluated (its state stays as it was)."""
    rule = get_rule(store, rule_id, actor=actor)
    with store.session() as s:
        s.exec(update(AlertRule).where(AlertRule.id == rule_id).values(paused=paused))  # type: ignore[arg-type]
        s.commit()
    rule.paused = paused
    return rule


def remove_rule(store: LedgerStore, rule_id: int, *, actor: UserScope) -> None:
    """Delete a rule and its history; NotFound if unknown or outside the actor's scope."""
    get_rule(store, rule_id, actor=actor)
    with store.session() as s:
        # the history goes too: a new rule given the same id must not find old claims
        s.exec(delete(AlertFiring).where(AlertFiring.rule_id == rule_id))  # type: ignore[arg-type]
        s.exec(delete(AlertRule).where(AlertRule.id == rule_id))  # type: ignore[arg-type]
        s.commit()


def rule_history(
    store: LedgerStore, rule_id: int, *, actor: UserScope, limit: int = 50
) -> list[AlertFiring]:
    """A rule's firings (sent, failed, refused), most recent first."""
    get_rule(store, rule_id, actor=actor)
    q = (
        select(AlertFiring)
        .where(AlertFiring.rule_id == rule_id)  # type: ignore[arg-type]
        .order_by(AlertFiring.fired_at.desc())  # type: ignore[attr-defined]
        .limit(limit)
    )
    with store.session() as s:
        return list(s.exec(q).scalars())
