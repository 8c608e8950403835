"""The ``ptb_nudge`` schedule: send each due reminder at most once per event, kind and day."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.delivery.message import Outgoing
from core.delivery.senders import sender_address
from core.ops.models import utcnow
from core.ops.nudges import Reminder
from core.ops_access.wiring import OpsAccess

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NudgeRun:
    """What one run did: reminders sent, due ones already sent today, messages that failed."""

    sent: int
    skipped: int
    failed: int


def send_nudges(d: OpsAccess) -> NudgeRun:
    """Send what is due now, one message per recipient (nobody sees the others' addresses);
    the once-only mark is taken (in the core) before sending. A failed message is logged with
    its traceback and the others still go out."""
    skipped: list[Reminder] = []
    reminders = d.ops.nudge_plan(utcnow(), skipped=skipped)
    failed = 0
    for r in reminders:
        for address in r.to:
            try:
                d.sender.send(
                    Outgoing(
                        sender=sender_address(d.settings),
                        to=[address],
                        subject=r.subject,
                        text=r.text,
                    )
                )
            except Exception:  # SES refused one address: the rest of the run still goes out
                failed += 1
                logger.exception("nudge %r not sent", r.subject)
    return NudgeRun(sent=len(reminders), skipped=len(skipped), failed=failed)
