"""The scheduled reports Lambda: what `python -m core send-due` does, as a handler; with
``{"job": "alerts"}`` (the alerts schedule's input) what `python -m core alerts run` does.

Runs in the reports container image (lambda_app/reports.Dockerfile), which carries the whole
core with pandas and matplotlib; the ops API's zip never imports this module.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import datetime
from typing import Any

from core.config import get_settings
from core.instants import parse_aware
from core.secret_value import CachedSecret


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
    from core.delivery.reports import send_due
    from core.delivery.senders import make_sender
    from core.ledger.store import open_ledger

    _load_database_url()
    settings = get_settings()
    if isinstance(event, dict) and event.get("job") == "alerts":
        return _run_alerts(event, settings)
    result = send_due(
        open_ledger(settings.ledger_url), make_sender(settings), settings, now=_now(event)
    )
    summary = {
        "sent": result.sent,
        "failed": result.failed,
        "skipped": result.skipped,
        "refused": result.refused,  # the creator may no longer send it: logged, not retried
    }
    print(json.dumps({"send_due": summary}))  # one line in CloudWatch Logs per run
    if result.failed or result.refused:
        raise SendDueFailed(f"send-due: {summary} (see the delivery log)")
    return summary


def _run_alerts(event: dict[str, Any], settings: Any) -> dict[str, int]:
    """Evaluate every KPI alert once (`alerts run`); its counts."""
    from core.alerts.run import run_alerts
    from core.delivery.senders import make_sender
    from core.ledger.store import open_ledger

    result = run_alerts(
        open_ledger(settings.ledger_url), make_sender(settings), settings, now=_now(event)
    )
    summary = asdict(result)
    print(json.dumps({"alerts": summary}))
    if result.failed or result.refused or result.errors:
        raise AlertsFailed(f"alerts run: {summary} (see the /alerts page)")
    return summary
