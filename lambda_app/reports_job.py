"""The scheduled reports Lambda: what `python -m core send-due` does, as a handler; with
``{"job": "alerts"}`` (the alerts schedule's input) what `python -m core alerts run` does.

Runs in the reports container image (lambda_app/reports.Dockerfile), which carries the whole
core with pandas and matplotlib; the ops API's zip never imports this module.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict
from datetime import datetime
from typing import Any

from core.config import get_settings
from core.instants import parse_aware
from core.secret_value import CachedSecret
from lambda_app.telemetry import (
    REPORTS_FAILED,
    REPORTS_SENT,
    REPORTS_SKIPPED,
    SUBSCRIPTION_RUNS,
    count,
    flush,
    make_logger,
    make_metrics,
    wire_core,
)

logger = make_logger("reports")
metrics = make_metrics("reports")


class AlertsFailed(RuntimeError):
    """Some alerts could not be sent or read: raised so the function's Errors alarm fires."""


class SendDueFailed(RuntimeError):
    """Some due reports could not be sent: raised so the function's Errors alarm fires (the
    next scheduled run retries failed ones; refused ones wait for their next occurrence)."""


def _load_database_url() -> None:
    """Set DATABASE_URL from the secret DATABASE_URL_SECRET_ARN names, when only that is set.

    The stack keeps the ledger's password in Secrets Manager, not in the function's
    configuration; an explicit DATABASE_URL wins (tests, local runs).
    """
    arn = os.environ.get("DATABASE_URL_SECRET_ARN", "").strip()
    if not arn or os.environ.get("DATABASE_URL", "").strip():
        return
    os.environ["DATABASE_URL"] = CachedSecret(arn).get()
    get_settings.cache_clear()


def _now(event: dict[str, Any]) -> datetime | None:
    """``{"now": ISO}`` in a manual invocation acts like `send-due --now`; else the real now."""
    raw = event.get("now") if isinstance(event, dict) else None
    return None if raw is None else parse_aware(str(raw), "now")


def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    """Send every due report subscription once; return its counts (sent, failed, ...).
    ``{"job": "alerts"}`` evaluates the KPI alerts instead."""
    wire_core(logger)
    _load_database_url()
    settings = get_settings()
    if isinstance(event, dict) and event.get("job") == "alerts":
        return _run_alerts(event, settings)
    started = time.perf_counter()
    try:
        summary = _send_due(event, settings)
    except Exception:
        logger.exception("send-due run crashed")
        count(metrics, SUBSCRIPTION_RUNS)
        count(metrics, REPORTS_FAILED)  # the failed-sends alarm also sees a crashed run
        flush(metrics)
        raise
    duration = round((time.perf_counter() - started) * 1000, 1)
    logger.info("send-due run", extra={**summary, "duration_ms": duration})  # one line per run
    count(metrics, SUBSCRIPTION_RUNS)
    count(metrics, REPORTS_SENT, summary["sent"])
    count(metrics, REPORTS_FAILED, summary["failed"] + summary["refused"])
    count(metrics, REPORTS_SKIPPED, summary["skipped"] + summary["empty"])
    flush(metrics)
    if summary["failed"] or summary["refused"]:
        raise SendDueFailed(f"send-due: {summary} (see the delivery log)")
    return summary


def _send_due(event: dict[str, Any], settings: Any) -> dict[str, int]:
    """One send-due pass over the ledger; its counts."""
    from core.delivery.reports import send_due
    from core.delivery.senders import make_sender
    from core.ledger.store import open_ledger

    result = send_due(
        open_ledger(settings.ledger_url), make_sender(settings), settings, now=_now(event)
    )
    return {
        "sent": result.sent,
        "failed": result.failed,
        "skipped": result.skipped,
        "refused": result.refused,  # the creator may no longer send it: logged, not retried
        "empty": result.empty,  # skipped: nothing to report, and the subscription skips those
    }


def _run_alerts(event: dict[str, Any], settings: Any) -> dict[str, int]:
    """Evaluate every KPI alert once (`alerts run`); its counts."""
    from core.alerts.run import run_alerts
    from core.delivery.senders import make_sender
    from core.ledger.store import open_ledger

    result = run_alerts(
        open_ledger(settings.ledger_url), make_sender(settings), settings, now=_now(event)
    )
    summary = asdict(result)
    logger.info("alerts run", extra=summary)  # one line per run
    if result.failed or result.refused or result.errors:
        raise AlertsFailed(f"alerts run: {summary} (see the /alerts page)")
    return summary
