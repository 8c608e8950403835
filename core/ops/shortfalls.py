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
    trips = [
        TripShortfall(
            event_id=view.event.id,
            entity=view.event.entity,
            title=view.event.title,
            starts_at=view.event.starts_at.astimezone(service.tz),
            open_slots=sum(view.open_slots(r) for r in view.event.slots),
            checklist_open=view.checklist_total - view.checklist_done,
            guests_on_hold=view.guests_on_hold,
        )
        for view in service.scheduled(now, now + horizon, entity_ids)
    ]
    return sorted(trips, key=lambda s: s.starts_at)
