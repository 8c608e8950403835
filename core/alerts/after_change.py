"""The one call at the end of an import or a sync: evaluate the alerts that change may trip."""

from __future__ import annotations

import logging

from core.ledger.store import LedgerStore

log = logging.getLogger(__name__)


def alerts_after_change(store: LedgerStore, entity_id: str) -> None:
    """Run the alerts on ``entity_id`` and on ``all`` now; never fails the change that called
    it (the next scheduled run evaluates again, and a claimed send is not repeated)."""
    try:
        from core.alerts.run import run_alerts
        from core.config import get_settings
        from core.delivery.senders import make_sender

        settings = get_settings()
        run_alerts(store, make_sender(settings), settings, entity=entity_id)
    except Exception:  # the import or sync has succeeded: an alert problem is only logged
        log.exception("alerts after a change to %s failed", entity_id)
