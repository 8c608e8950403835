"""The dashboard's calls into the core, through Streamlit's caches (the only place with them).

A report, its drill-down, queue, targets and email take one ``ReportRequest`` built by the page;
the core resolves its scope.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.books import categorize
from core.config import get_settings
from core.delivery.reports import (
    delivery_log,
    remove_subscription,
    resend,
    send_report,
)
from core.delivery.senders import Sender, make_sender
from core.ledger.models import DeliveryLog
from core.ledger.recategorize import RuleOutcome, apply_rule
from core.ledger.store import LedgerStore, UncategorizedLine, ledger_revision, open_ledger
from core.onboarding.businesses import active_entities
from core.onboarding.checklist import SetupChecklist
from core.onboarding.checklist import setup_checklist as _setup_checklist
from core.ops.actors import dashboard_actor
from core.ops.factory import OpenOps, open_ops
from core.ops.models import InboundEvent, OpsUser
from core.ops.service import OpsService
from core.ops_access.access import AccessService
from core.ops_access.jwt_key import JwtKey
from core.periods import month_add, month_of
from core.reports.accounting import uncategorized_for
from core.reports.drilldown import DrillDown, drill_down_for
from core.reports.email import RenderedEmail, render_email
from core.reports.model import Report
from core.reports.registry import build_report
from core.reports.request import ReportRequest
from core.reports.targets import save_targets_for


@st.cache_resource
def ledger() -> LedgerStore:
    """The process-wide ledger store."""
    return open_ledger(get_settings().ledger_url)


# a request's cache key is what the built value depends on (core's ReportRequest.cache_key)
BY_REQUEST = {ReportRequest: lambda request: request.cache_key}


@st.cache_data(ttl=30, show_spinner=False, hash_funcs=BY_REQUEST)
def _report(request: ReportRequest, revision: tuple[int, int]) -> Report:
    return build_report(ledger(), request, tz=get_settings().tz, ops=ops)


def report(request: ReportRequest) -> Report:
    """Build (or reuse) a report; the scope is checked in the core against the reader's."""
    return _report(request, ledger_revision(ledger()))


@st.cache_data(ttl=30, show_spinner="Reading the ledger lines…", hash_funcs=BY_REQUEST)
def _drill(request: ReportRequest, kpi_id: str, revision: tuple[int, int]) -> DrillDown:
    return drill_down_for(ledger(), request, kpi_id)


def drill(request: ReportRequest, kpi_id: str) -> DrillDown:
    """The ledger lines behind a KPI; the scope is checked in the core against the reader's."""
    return _drill(request, kpi_id, ledger_revision(ledger()))


def save_report_targets(
    request: ReportRequest, *, values: dict[str, float | None], rest_of_year: bool
) -> int:
    """Save targets through the core, which refuses anyone but the owner."""
    return save_targets_for(
        ledger(), request, report=report(request), values=values, rest_of_year=rest_of_year
    )


def queue(request: ReportRequest) -> list[UncategorizedLine]:
    """Uncategorized lines in the reader's scope (checked in the core), newest first."""
    return uncategorized_for(ledger(), request)


def make_rule(
    *,
    entity_id: str,
    pattern: str,
    account: str,
    cost_behavior: str | None,
    picked_entry_id: int,
    user: UserScope,
) -> RuleOutcome:
    """Save a rule and re-categorize its lines (role and scope checked in the core)."""
    return apply_rule(
        ledger(),
        entity_id=entity_id,
        pattern=pattern,
        account=account,
        cost_behavior=cost_behavior,
        created_by=user.email,
        allowed=user.entities,
        picked_entry_id=picked_entry_id,
        role=user.role,
    )


# -- the frame around every page (app.py's sidebar): cached on the ledger revision ----------
_frame = threading.local()  # each session's script runs on its own thread
FRAME_TTL = 30  # s: also bounds a change that moves no revision (a CLI `entity add`)


@contextmanager
def page_frame() -> Iterator[None]:
    """Within the block, read the ledger revision once and serve the entity list and the demo
    flag from caches keyed on it: app.py's sidebar before a page runs, where nothing writes.
    Outside the block (the pages, which write) every call reads the ledger as it is now."""
    _frame.revision, _frame.active = None, True
    try:
        yield
    finally:
        _frame.revision, _frame.active = None, False


def _frame_revision() -> tuple[int, int] | None:
    """The revision read once per page_frame block; None outside one."""
    if not getattr(_frame, "active", False):
        return None
    if _frame.revision is None:
        _frame.revision = ledger_revision(ledger())
    return _frame.revision


def _visible_entities(allowed: frozenset[str] | None) -> list[tuple[str, str]]:
    return [(e.id, e.name) for e in active_entities(ledger(), allowed)]


@st.cache_data(ttl=FRAME_TTL, show_spinner=False, max_entries=256)
def _cached_entities(
    scope: tuple[str, ...] | None, revision: tuple[int, int]
) -> list[tuple[str, str]]:
    # the reader's scope is the key: one reader's list is never served to another scope
    return _visible_entities(None if scope is None else frozenset(scope))


def entities(allowed: frozenset[str] | None) -> list[tuple[str, str]]:
    """(id, name) of the entities the user may see, archived ones left out (the pickers)."""
    revision = _frame_revision()
    if revision is None:
        return _visible_entities(allowed)
    return _cached_entities(None if allowed is None else tuple(sorted(allowed)), revision)


@st.cache_data(ttl=FRAME_TTL, show_spinner=False, max_entries=4)
def _cached_demo(revision: tuple[int, int]) -> bool:
    return ledger().has_demo_data()


def has_demo_data() -> bool:
    """True while the ledger holds the demo portfolio."""
    revision = _frame_revision()
    return ledger().has_demo_data() if revision is None else _cached_demo(revision)


def months_available(count: int = 36) -> list[int]:
    """Recent months, newest first, ending with the current month."""
    current = month_of(datetime.now(get_settings().tz).date())
    return [month_add(current, -i) for i in range(count)]


def current_month() -> int:
    """This month in the portfolio time zone."""
    return month_of(datetime.now(get_settings().tz).date())


@st.cache_resource
def _opened_ops() -> OpenOps:
    """The configured ops store, created on first use."""
    return open_ops(get_settings())


def ops() -> OpsService:
    """The operations rules over the ops store."""
    return _opened_ops().service


def ops_actor(user: UserScope) -> OpsUser:
    """Who the dashboard user is in operations (derived in the core, never stored)."""
    return dashboard_actor(user)


@st.cache_resource
def mail_sender() -> Sender:
    """The configured mail sender (outbox by default)."""
    return make_sender(get_settings())


@st.cache_data(ttl=60, show_spinner="Rendering the email…", hash_funcs=BY_REQUEST)
def _email(request: ReportRequest, revision: tuple[int, int]) -> RenderedEmail:
    built = _report(request, revision)
    return render_email(
        built, demo=ledger().has_demo_data(), dashboard_url=get_settings().dashboard_url
    )


def email_preview(request: ReportRequest) -> RenderedEmail:
    """Exactly the email that Send would deliver now."""
    return _email(request, ledger_revision(ledger()))


def send_report_email(request: ReportRequest, *, to: list[str]) -> DeliveryLog:
    """Send through the core (scope and recipients checked there) and log it."""
    return send_report(ledger(), mail_sender(), get_settings(), request, to=to)


def default_recipients(user: UserScope) -> str:
    """REPORT_DEFAULT_TO, or the user's own address."""
    return get_settings().report_default_to or user.email


def deliveries(user: UserScope) -> list[DeliveryLog]:
    """The delivery log within the user's scope (decided in the core), newest first."""
    return delivery_log(ledger(), actor=user)


def resend_delivery(log_id: int, user: UserScope) -> DeliveryLog:
    """Send a logged report again, with the user's current scope (checked in the core)."""
    return resend(ledger(), mail_sender(), get_settings(), log_id, actor=user)


def portfolio_tz() -> str:
    """The reporting time zone name."""
    return get_settings().portfolio_tz


def unsubscribe(sub_id: int, user: UserScope) -> None:
    """Delete a schedule (only one within the user's scope: checked in the core)."""
    remove_subscription(ledger(), sub_id, actor=user)


def access() -> AccessService:
    """Codes and links over the ops store, mailing through the configured sender."""
    settings = get_settings()
    opened = _opened_ops()
    return AccessService(
        opened.service,
        settings,
        codes=opened.codes,
        sender=mail_sender(),
        secret=_jwt_key().get,
    )


@st.cache_resource
def _jwt_key() -> JwtKey:
    return JwtKey(get_settings())


# -- data sources (/data): live reads, no caching --------------------------------------------
def stripe_webhook_events(since: datetime) -> list[InboundEvent]:
    """Stripe webhook deliveries kept by the API since ``since``, newest first."""
    return _opened_ops().inbound.inbound_events("stripe", since)


def setup_checklist() -> SetupChecklist:
    """The first-run setup steps, each done or not, from the ledger as it is now."""
    return _setup_checklist(ledger())


# -- categorising the queue (/accounting): live reads and writes, no caching ----------------
def category_accounts(entity_id: str, *, money_in: bool, user: UserScope) -> list[str]:
    """Accounts offered for a queued line of ``entity_id`` (scope checked in the core)."""
    return categorize.category_accounts(
        ledger(), actor=user, entity_id=entity_id, money_in=money_in
    )


def categorize_lines(picks: dict[int, str], user: UserScope) -> categorize.CategorizeOutcome:
    """Move the picked lines (entry id -> account) all at once, or none (Invalid lists why)."""
    return categorize.categorize_lines(ledger(), actor=user, picks=picks)


def rule_preview(
    entity_id: str, pattern: str, *, month: int, user: UserScope
) -> list[categorize.RuleMatch]:
    """The entity's queued lines a pattern matches, ``month``'s first and marked."""
    return categorize.rule_preview(
        ledger(), actor=user, entity_id=entity_id, pattern=pattern, month=month
    )
