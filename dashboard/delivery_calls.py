"""The dashboard's calls for what a report email carries and where subscriptions stand; every
decision (scope, recipients, options) is made in core.delivery."""

from __future__ import annotations

from collections.abc import Callable

from core.auth.dashboard_users import UserScope
from core.config import get_settings
from core.delivery.attachments import file_stem
from core.delivery.options import Options
from core.delivery.reports import add_subscription, send_report
from core.delivery.subscription_status import (
    SubscriptionStatus,
    send_now,
    subscription_statuses,
)
from core.ledger.models import DeliveryLog, Subscription
from core.reports.model import Report
from core.reports.request import ReportRequest
from dashboard.core_calls import has_demo_data, ledger, mail_sender


def send_with_files(
    request: ReportRequest, *, to: list[str], attach: tuple[str, ...]
) -> DeliveryLog:
    """Send through the core (scope and recipients checked there), with the chosen files."""
    return send_report(ledger(), mail_sender(), get_settings(), request, to=to, attach=attach)


def pdf_download(report: Report) -> tuple[str, Callable[[], bytes]]:
    """The PDF's file name, and a function that draws it when the button is pressed."""
    demo, size = has_demo_data(), get_settings().pdf_page_size

    def draw() -> bytes:
        from core.reports.pdf import render_pdf

        return render_pdf(report, demo=demo, page_size=size)

    return f"{file_stem(report)}.pdf", draw


def statuses(user: UserScope) -> list[SubscriptionStatus]:
    """The subscriptions within the user's scope, with next run and last result."""
    return subscription_statuses(ledger(), actor=user)


def send_subscription_now(sub_id: int, user: UserScope) -> DeliveryLog:
    """Send a subscription's report at once (the user's scope checked in the core)."""
    return send_now(ledger(), mail_sender(), get_settings(), sub_id, actor=user)


def subscribe_with(
    name: str,
    *,
    entity: str,
    to: list[str],
    cron: str,
    tz: str,
    options: Options,
    user: UserScope,
) -> Subscription:
    """Create a schedule with its options (validated in the core)."""
    return add_subscription(
        ledger(), report=name, entity=entity, to=to, cron=cron, tz=tz, actor=user, options=options
    )
