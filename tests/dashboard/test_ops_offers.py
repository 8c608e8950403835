"""AppTest of the open offers on /operations: an admin sees them on the trip's slot board and
cancels one through the core."""

from __future__ import annotations

from pathlib import Path

from core.config import get_settings
from core.ops.factory import open_ops_store
from core.ops.models import utcnow
from core.ops.offers import Offer
from tests.dashboard.test_operations import open_operations, store_events


def test_an_admin_sees_and_cancels_an_open_offer(ledger_dir: Path) -> None:
    at = open_operations()
    assert not [b for b in at.button if b.label == "Cancel"]  # none offered yet
    store = open_ops_store(get_settings())
    first = store_events()[0]
    held = store.claims(first.id)[0]
    offer = store.put_offer(
        Offer(
            id="offer1",
            event_id=first.id,
            role=held.role,
            slot_no=held.slot_no,
            offered_by=held.user_id,
            created_at=utcnow(),
            closes_at=first.starts_at,
        )
    )
    at.run()
    assert not at.exception, at.exception
    shown = [t.value for t in at.text if "offered by" in t.value]
    assert shown and shown[0].startswith(f"{held.role.title()} {held.slot_no}: offered by ")
    next(b for b in at.button if b.label == "Cancel").click().run()
    assert not at.exception, at.exception
    assert store.get_offer(offer.id).status == "cancelled"
    assert not [b for b in at.button if b.label == "Cancel"]
    assert {c.user_id for c in store.claims(first.id)} >= {held.user_id}  # the slot stays
