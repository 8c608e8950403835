"""The Lambda functions' logs and metrics: Powertools ``Logger`` (JSON lines) and ``Metrics``
(CloudWatch embedded metric format), both redacted by core.logs before anything is written.

Names are fixed here so the SAM template's alarms and docs/observability.md can name them:
namespace ``ExecPlatform`` (``POWERTOOLS_METRICS_NAMESPACE`` overrides), dimension
``service`` = ``api`` or ``reports``.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics import MetricUnit

from core.delivery.message import Outgoing
from core.delivery.senders import Sender
from core.logs import CurrentStream, install_redaction, log_settings, redact

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "ExecPlatform"

# Metric names (docs/observability.md lists them; template.yaml alarms on two)
CLAIMS_WON = "ClaimsWon"
CLAIMS_CONFLICT = "ClaimsConflict"
CLAIMS_REFUSED = "ClaimsRefused"
CLAIMS_FAILED = "ClaimsFailed"  # any other answer to a slot claim (404, 422, 5xx)
CODE_CLAIMS_FAILED = "CodeClaimsFailed"  # a sign-in or invite code that did not work
RATE_LIMITED = "RateLimited"  # every 429 the API answered
LOGIN_LINKS_SENT = "LoginLinksSent"
EMAILS_SENT = "EmailsSent"
EMAILS_FAILED = "EmailsFailed"
NUDGES_SENT = "NudgesSent"
NUDGES_FAILED = "NudgesFailed"  # messages of a nudge run that could not be sent
WEBHOOK_NEW = "WebhookEventsNew"
WEBHOOK_DUPLICATE = "WebhookEventsDuplicate"
WEBHOOK_BAD_SIGNATURE = "WebhookBadSignature"
REPORTS_SENT = "ReportsSent"
REPORTS_FAILED = "ReportsFailed"  # failed or refused sends of a run: the template alarms on it
REPORTS_SKIPPED = "ReportsSkipped"
SUBSCRIPTION_RUNS = "SubscriptionRuns"


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON, redacted as a whole (appended keys and tracebacks included)."""

    def format(self, record: logging.LogRecord) -> str:
        """The JSON line with secrets masked (records are also redacted at birth)."""
        return redact(super().format(record))


@cache
def make_logger(service: str) -> Logger:
    """A Powertools logger for ``service`` at LOG_LEVEL (see ``wire_core`` for core's lines)."""
    install_redaction()
    level, _ = log_settings()
    return Logger(
        service=service,
        level=logging.getLevelName(level),
        stream=CurrentStream("stdout"),  # type: ignore[arg-type]
        logger_formatter=RedactingFormatter(),
    )


def wire_core(log: Logger) -> None:
    """Send core's own loggers (e.g. "login link not sent") through ``log``: the same JSON, the
    same sink. Called per invocation, not at import, so importing a handler module (a test,
    the local server's CLI neighbours) does not turn core's lines into JSON on stdout."""
    core = logging.getLogger("core")
    if log.registered_handler not in core.handlers:
        core.addHandler(log.registered_handler)
        core.setLevel(log_settings()[0])
        # on Lambda the runtime's root handler would print each line a second time, as text
        core.propagate = "AWS_LAMBDA_FUNCTION_NAME" not in os.environ


@cache
def make_metrics(service: str) -> Metrics:
    """Powertools metrics in our namespace with the ``service`` dimension."""
    return Metrics(namespace=NAMESPACE, service=service)


def count(metrics: Metrics, name: str, value: float = 1) -> None:
    """Add ``value`` to the counter ``name`` of this invocation (0 is not written)."""
    if value:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush(metrics: Metrics) -> None:
    """Write this invocation's metrics as one EMF line (nothing when there are none)."""
    if metrics.metric_set:
        metrics.flush_metrics()


class MeteredSender:
    """A sender that counts what it sent and what failed (for EmailsSent / EmailsFailed)."""

    def __init__(self, inner: Sender) -> None:
        self.inner = inner
        self.name = inner.name
        self.sent = 0
        self.failed = 0
        self._lock = threading.Lock()  # login links are sent from a thread

    def send(self, msg: Outgoing) -> list[str]:
        """Send through the wrapped sender and count the outcome."""
        try:
            ids = self.inner.send(msg)
        except Exception:
            with self._lock:
                self.failed += 1
            raise
        with self._lock:
            self.sent += len(ids)
        return ids

    def take(self) -> tuple[int, int]:
        """(sent, failed) since the last take."""
        with self._lock:
            out, self.sent, self.failed = (self.sent, self.failed), 0, 0
        return out


def context_fields(event: dict[str, Any]) -> dict[str, Any]:
    """The API Gateway request id (our correlation id) of an HTTP API event."""
    ctx = event.get("requestContext") if isinstance(event, dict) else None
    return {"request_id": ctx.get("requestId")} if isinstance(ctx, dict) else {}
