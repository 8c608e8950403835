"""The ``ptb_nudge`` schedule: send each due reminder at most once per event, kind and day."""

from __future__ import annotations

from datetime import timedelta

from core.auth.wiring import OpsAccess
from core.delivery.message import Outgoing
from core.delivery.senders import sender_address
from core.ops.models import utcnow
from core.ops.nudges import due_nudges


def send_nudges(d: OpsAccess) -> int:
    """Send what is due now; the once-only mark is taken before sending."""
    ops = d.ops
    now = utcnow()
    admins = [u.email for u in ops.store.list_users() if u.role == "admin"]
    sent = 0
    for event in ops.store.list_events(now, now + timedelta(hours=72)):
        view = ops.view(event.id)
        day = now.astimezone(ops.tz).date().isoformat()
        for nudge in due_nudges(view, now):
            if not ops.store.first_time(
                f"nudge:{event.id}:{nudge.kind}:{day}", now + timedelta(days=3)
            ):
                continue
            to = list(admins)
            if nudge.kind == "unfinished_checklist":
                to += [ops.store.get_user(c.user_id).email for c in view.claims]
            if not to:
                continue
            local = view.timing.departure_at.strftime("%a %-d %b %H:%M")
            d.sender.send(
                Outgoing(
                    sender=sender_address(d.settings),
                    to=sorted(set(to)),
                    subject=f"Reminder: {event.title} ({local}): {nudge.detail}",
                    text=f"{event.title} departs {local}.\n{nudge.detail.capitalize()}.\n",
                )
            )
            sent += 1
    return sent
