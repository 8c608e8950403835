"""Operational shortfalls for the CEO: upcoming trips with open crew slots, unfinished
checklists, or guests still on hold (no waiver), limited to the reader's entities."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.ops.service import OpsService

HORIZON = timedelta(days=14)


@dataclass(frozen=True)
class TripShortfall:
    """One upcoming trip and what it still lacks."""

    event_id: str
    entity: str
    title: str
    starts_at: datetime  # in the portfolio time zone
    open_slots: int
    checklist_open: int
    guests_on_hold: int

    @property
    def any(self) -> bool:
        """True when the trip lacks anything."""
        return bool(self.open_slots or self.checklist_open or self.guests_on_hold)


def upcoming_shortfalls(
    service: OpsService, entity_ids: Collection[str], now: datetime, horizon: timedelta = HORIZON
) -> list[TripShortfall]:
    """Scheduled trips of ``entity_ids`` departing within ``horizon``, soonest first."""
    out = []
    for event in service.store.list_events(now, now + horizon):
        if event.entity not in entity_ids or event.status != "scheduled":
            continue
        view = service.describe(event)
        out.append(
            TripShortfall(
                event_id=event.id,
                entity=event.entity,
                title=event.title,
                starts_at=event.starts_at.astimezone(service.tz),
                open_slots=sum(view.open_slots(r) for r in event.slots),
                checklist_open=view.checklist_total - view.checklist_done,
                guests_on_hold=view.guests_on_hold,
            )
        )
    return sorted(out, key=lambda s: s.starts_at)
