"""The ``ptb_nudge`` schedule: send each due reminder at most once per event, kind and day."""

from __future__ import annotations

from core.delivery.message import Outgoing
from core.delivery.senders import sender_address
from core.ops.models import utcnow
from core.ops_access.wiring import OpsAccess


def send_nudges(d: OpsAccess) -> int:
    """Send what is due now, one message per recipient (nobody sees the others' addresses);
    the once-only mark is taken (in the core) before sending. Returns the nudges sent."""
    reminders = d.ops.nudge_plan(utcnow())
    for r in reminders:
        for address in r.to:
            d.sender.send(
                Outgoing(
                    sender=sender_address(d.settings), to=[address], subject=r.subject, text=r.text
                )
            )
    return len(reminders)
