"""Sending the emails of a late trip change (``core.ops.trip_changes`` decides them)."""

from __future__ import annotations

import logging

from core.delivery.message import Outgoing
from core.delivery.senders import Sender
from core.ops.trip_changes import TripChangeMail

logger = logging.getLogger(__name__)


def send_trip_changes(sender: Sender, from_address: str, mails: list[TripChangeMail]) -> int:
    """Send each mail on its own; a failure is logged and the others still go. How many went."""
    sent = 0
    for mail in mails:
        try:
            sender.send(
                Outgoing(sender=from_address, to=[mail.to], subject=mail.subject, text=mail.text)
            )
            sent += 1
        except Exception:  # SES refusal, outbox error: the change stands, the log says who
            logger.exception("trip change email to %s not sent", mail.to)
    return sent
